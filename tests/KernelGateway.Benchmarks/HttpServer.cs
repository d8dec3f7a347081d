using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Zmq;

namespace KernelGateway.Benchmarks;

/// <summary>A server with the kernels REST API and the channels WebSocket, run as a child process.</summary>
internal sealed class HttpServer : IAsyncDisposable
{
    internal const string Token = "bench-token-0123456789abcdef";
    private readonly HttpClient _http;

    private HttpServer(string name, string description, KernelProcess process, int port)
    {
        Name = name;
        Description = description;
        Process = process;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", Token);
    }

    public string Name { get; }
    public string Description { get; }
    public KernelProcess Process { get; }
    public int Port { get; }

    /// <summary>Starts <c>kernelgateway serve</c> on the kernelspecs under <paramref name="jupyterPath"/>, with <paramref name="prespawn"/> warm ipykernels.</summary>
    public static async Task<HttpServer> StartOursAsync(string work, string jupyterPath, CancellationToken cancellationToken, int prespawn = 1,
        string defaultKernel = GatewayBenchmark.Kernel, int maxKernels = 40)
    {
        var port = ConnectionInfo.FreeLocalPort();
        var dll = KernelKind.KernelOverride is { } k && k.EndsWith(".dll", StringComparison.Ordinal) ? k : KernelKind.KernelGatewayDll;
        var env = new Dictionary<string, string>
        {
            ["KG_DATA_DIR"] = Path.Combine(work, "kg-data"),
            ["JUPYTER_PATH"] = jupyterPath,
            ["KG_PRESPAWN_COUNT"] = prespawn.ToString(CultureInfo.InvariantCulture),
            ["KG_DEFAULT_KERNEL_NAME"] = defaultKernel,
            ["KG_AUTH_TOKEN"] = Token,
            ["KG_MAX_KERNELS"] = maxKernels.ToString(CultureInfo.InvariantCulture),
            ["KG_LOG_LEVEL"] = "Warning",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var process = KernelProcess.StartCommand("kernelgateway serve", KernelKind.DotnetHost, [dll, "serve", "--port", port.ToString(CultureInfo.InvariantCulture)], env);
        var server = new HttpServer("ours", $"{KernelKind.DotnetHost} {dll} serve (KG_PRESPAWN_COUNT={prespawn}, KG_DEFAULT_KERNEL_NAME={defaultKernel}, KG_MAX_KERNELS={maxKernels})", process, port);
        await server.WaitUntilServingAsync(cancellationToken);
        return server;
    }

    public static async Task<HttpServer> StartJupyterServerAsync(string work, string jupyterPath, CancellationToken cancellationToken)
    {
        var port = ConnectionInfo.FreeLocalPort();
        var home = Path.Combine(work, "jupyter-server-home");
        Directory.CreateDirectory(home);
        var env = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["JUPYTER_PATH"] = jupyterPath,
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(home, "config"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(home, "runtime"),
            ["JUPYTER_DATA_DIR"] = Path.Combine(home, "data"),
            ["IPYTHONDIR"] = Path.Combine(work, "ipython"),
        };
        string[] args =
        [
            "-m", "jupyter_server", "--no-browser", $"--port={port}", "--ip=127.0.0.1", $"--ServerApp.token={Token}",
            $"--ServerApp.root_dir={home}", "--ServerApp.port_retries=0", "--allow-root", "--log-level=WARN",
        ];
        var process = KernelProcess.StartCommand("jupyter server", KernelKind.Python, args, env);
        var server = new HttpServer("Jupyter Server", $"{KernelKind.Python} {string.Join(' ', args)}", process, port);
        await server.WaitUntilServingAsync(cancellationToken);
        return server;
    }

    private async Task WaitUntilServingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            if (Process.HasExited) throw new InvalidOperationException($"{Name} exited: {Process.Tail}");
            try
            {
                using var response = await _http.GetAsync("/api/kernelspecs", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"{Name} did not answer: {Process.Tail}");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Waits until our server's prespawn pool holds <paramref name="count"/> warm kernels and none is starting
    /// (<c>GET /api/status</c>: a kernel joins the pool once it has answered its warm-up cell), for at most two minutes.
    /// </summary>
    public async Task WaitForWarmKernelsAsync(int count, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            using var status = await _http.GetAsync("/api/status", cancellationToken);
            if (status.IsSuccessStatusCode)
            {
                var pool = JsonDocument.Parse(await status.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("prespawn");
                if (pool.GetProperty("ready").GetInt32() >= count && pool.GetProperty("starting").GetInt32() == 0) return;
            }
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"the prespawn pool never held {count} warm kernels");
            await Task.Delay(50, cancellationToken);
        }
    }

    public async Task<string> CreateKernelAsync(string name, string? env, CancellationToken cancellationToken)
    {
        var body = env is null ? $$"""{"name":"{{name}}"}""" : $$"""{"name":"{{name}}","env":{{env}}}""";
        using var response = await _http.PostAsync("/api/kernels", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{Name}: POST /api/kernels {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    public async Task DeleteKernelAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync($"/api/kernels/{id}", cancellationToken);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{Name}: DELETE {(int)response.StatusCode}");
    }

    /// <summary>Opens the channels WebSocket and sends kernel_info_request every 50 ms until one is answered (Jupyter Server can drop what arrives right after the socket opens).</summary>
    public async Task<WsKernel> ConnectReadyAsync(string id, CancellationToken cancellationToken)
    {
        // A session_id per socket: Jupyter Server keeps one socket per (kernel, session_id) and closes the older one.
        var ws = await WsKernel.ConnectAsync(new Uri($"ws://127.0.0.1:{Port}/api/kernels/{id}/channels?session_id={Guid.NewGuid():N}&token={Token}"), cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        var asked = new HashSet<string>();
        while (true)
        {
            var sent = Guid.NewGuid().ToString("N");
            lock (asked) asked.Add(sent);
            var reply = ws.WaitForAsync(m => m.MessageType == MessageTypes.KernelInfoReply && m.ParentHeader?.MessageId is { } p && Contains(asked, p), deadline.Token);
            await ws.SendAsync(KernelChannel.Shell, MessageTypes.KernelInfoRequest, KernelClient.EmptyContent, deadline.Token, sent);
            if (await Task.WhenAny(reply, Task.Delay(50, deadline.Token)) == reply)
            {
                await reply;
                return ws;
            }
            ws.CancelWaits();
        }
    }

    private static bool Contains(HashSet<string> set, string value)
    {
        lock (set) return set.Contains(value);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        // Ours stops its kernels on SIGTERM; Jupyter Server on SIGTERM too.
        if (!Process.HasExited) _ = Signal(Process.Id, 15);
        for (var i = 0; i < 100 && !Process.HasExited; i++) await Task.Delay(100);
        Process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);
}
