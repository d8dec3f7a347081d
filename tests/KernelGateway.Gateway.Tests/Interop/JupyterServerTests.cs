using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Tests;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Gateway.Tests.Interop;

/// <summary>Debian's Jupyter Server 1.23 started with <c>--gateway-url</c> pointing at our gateway, used through its own API.</summary>
public sealed class JupyterServerTests
{
    [Theory]
    [InlineData(GatewayServer.CSharpKernel, "Console.WriteLine(6 * 7);")]
    [InlineData(GatewayServer.PythonKernel, "print(6 * 7)")]
    public async Task Jupyter_server_runs_a_cell_on_a_kernel_of_ours_through_the_gateway(string kernelName, string code)
    {
        await using var gateway = await GatewayServer.StartAsync(o => { o.AuthToken = "gateway-secret"; o.ListKernels = true; });
        await using var jupyter = await JupyterServer.StartAsync(gateway);

        var specs = JsonNode.Parse(await jupyter.Http.GetStringAsync("/api/kernelspecs"))!;
        Assert.NotNull(specs["kernelspecs"]![kernelName]);

        using var created = await jupyter.Http.PostAsync("/api/kernels", new StringContent($$"""{"name":"{{kernelName}}"}""", Encoding.UTF8, "application/json"));
        var model = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.True(created.IsSuccessStatusCode, model.ToJsonString());
        var id = model["id"]!.GetValue<string>();
        Assert.Equal(kernelName, gateway.Kernels.Get(id).Name);

        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{jupyter.Port}/api/kernels/{id}/channels?token={JupyterServer.Token}"), Soon());
        // Jupyter Server can drop what a client sends right after the socket opens: resend kernel_info until answered.
        // (Cancelling a WebSocket receive aborts the socket, so one loop reads and the waits are on its queue.)
        var inbox = System.Threading.Channels.Channel.CreateUnbounded<JsonNode>();
        var pump = PumpAsync(ws, inbox.Writer);
        var session = Guid.NewGuid().ToString();
        while (true)
        {
            var infoId = await SendAsync(ws, session, "kernel_info_request", new JsonObject());
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                while (true)
                {
                    var m = await inbox.Reader.ReadAsync(attempt.Token);
                    if (m["parent_header"]?["msg_id"]?.GetValue<string>() == infoId && m["msg_type"]?.GetValue<string>() == "kernel_info_reply") break;
                }
                break;
            }
            catch (OperationCanceledException) { }
        }

        var msgId = await SendAsync(ws, session, "execute_request", new JsonObject { ["code"] = code, ["silent"] = false });
        var stdout = new StringBuilder();
        bool reply = false, idle = false;
        while (!(reply && idle))
        {
            var m = await inbox.Reader.ReadAsync(Soon());
            if (m["parent_header"]?["msg_id"]?.GetValue<string>() != msgId) continue;
            var type = m["header"]!["msg_type"]!.GetValue<string>();
            if (type == "stream") stdout.Append(m["content"]!["text"]!.GetValue<string>());
            if (type == "execute_reply") { reply = true; Assert.Equal("ok", m["content"]!["status"]!.GetValue<string>()); }
            if (type == "status" && m["content"]!["execution_state"]!.GetValue<string>() == "idle") idle = true;
        }
        Assert.Equal("42\n", stdout.ToString());
        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", Soon());
        await pump;

        using var deleted = await jupyter.Http.DeleteAsync($"/api/kernels/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(gateway.Kernels.Find(id));
    }

    private static async Task<string> SendAsync(ClientWebSocket ws, string session, string msgType, JsonObject content)
    {
        var msgId = Guid.NewGuid().ToString("N");
        var message = new JsonObject
        {
            ["channel"] = "shell",
            ["header"] = new JsonObject { ["msg_id"] = msgId, ["msg_type"] = msgType, ["session"] = session, ["username"] = "test", ["version"] = "5.3", ["date"] = DateTime.UtcNow.ToString("o") },
            ["parent_header"] = new JsonObject(),
            ["metadata"] = new JsonObject(),
            ["content"] = content,
        };
        await ws.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, Soon());
        return msgId;
    }

    private static async Task PumpAsync(ClientWebSocket ws, System.Threading.Channels.ChannelWriter<JsonNode> inbox)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                using var ms = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await ws.ReceiveAsync(buffer, CancellationToken.None);
                    ms.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) break;
                inbox.TryWrite(JsonNode.Parse(ms.ToArray())!);
            }
        }
        catch (WebSocketException) { }
        finally
        {
            inbox.TryComplete();
        }
    }

    private sealed class JupyterServer : IAsyncDisposable
    {
        public const string Token = "jupyter-token";
        private readonly Process _process;
        private readonly StringBuilder _log;

        private JupyterServer(Process process, int port, StringBuilder log)
        {
            _process = process;
            Port = port;
            _log = log;
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", Token);
        }

        public int Port { get; }

        public HttpClient Http { get; }

        public static async Task<JupyterServer> StartAsync(GatewayServer gateway)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var home = TestEnvironment.TempDirectory("jupyter-server");
            var psi = new ProcessStartInfo(TestEnvironment.Python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[]
            {
                "-m", "jupyter_server", "--no-browser", $"--port={port}", "--ip=127.0.0.1", $"--ServerApp.token={Token}",
                $"--ServerApp.root_dir={home}", $"--gateway-url={gateway.BaseUri.ToString().TrimEnd('/')}",
                "--GatewayClient.auth_token=gateway-secret", "--ServerApp.port_retries=0", "--allow-root",
            }) psi.ArgumentList.Add(a);
            psi.Environment["HOME"] = home;
            psi.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(home, "config");
            psi.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(home, "runtime");
            psi.Environment["JUPYTER_DATA_DIR"] = Path.Combine(home, "data");
            var log = new StringBuilder();
            var process = Process.Start(psi)!;
            process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new JupyterServer(process, port, log);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (true)
            {
                if (process.HasExited) throw new Xunit.Sdk.XunitException($"jupyter server exited: {server.Log}");
                try
                {
                    using var response = await server.Http.GetAsync("/api");
                    if (response.IsSuccessStatusCode) return server;
                }
                catch (HttpRequestException) { }
                if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"jupyter server did not answer: {server.Log}");
                await Task.Delay(100);
            }
        }

        private string Log { get { lock (_log) return _log.ToString(); } }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
