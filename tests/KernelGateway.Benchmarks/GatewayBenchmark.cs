using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Protocol.WebSocket;
using KernelGateway.Zmq;

namespace KernelGateway.Benchmarks;

/// <summary>
/// <c>--suite gateway</c>: our gateway (<c>kernelgateway serve</c>, a separate process) and Debian's Jupyter Server
/// (its own kernels API) side by side in one run, on the same ipykernel and C# kernels, with the same WebSocket client;
/// the same kernels reached directly over ZMQ are the baseline. Measures POST → kernel_info_reply over the
/// WebSocket (ours with a warm kernel from the prespawn pool, ours cold, Jupyter Server), the round trip of a trivial
/// cell (and what the gateway adds to the direct one), 100k stream lines through the WebSocket, 50 clients × 10
/// executes on 20 kernels, and the server's RSS with 20 kernels.
/// </summary>
public static class GatewayBenchmark
{
    private const string Kernel = "python3";
    private const string CSharpKernel = "kg-bench-csharp";
    private const int Lines = 100_000;
    private const int Kernels = 20;
    private const int Clients = 50;
    private const int ExecutesPerClient = 10;
    private const int LineRuns = 7;

    /// <summary>Runs the suite and prints (and optionally writes) the report.</summary>
    public static async Task<int> RunAsync(string work, int runs, string? outFile, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.Now;
        var jupyterPath = Path.Combine(work, "jupyter");
        WriteCSharpKernelSpec(jupyterPath, Path.Combine(work, "kg-data"));
        var results = new Dictionary<string, ServerResults>();
        var direct = new ServerResults("direct ZMQ");
        var log = Console.Error;

        log.WriteLine("direct: ipykernel and the C# kernel over ZMQ");
        await MeasureDirectAsync(work, direct, cancellationToken);

        foreach (var kind in new[] { "ours", "jupyter" })
        {
            var r = new ServerResults(kind);
            results[kind] = r;
            try
            {
                await using var server = kind == "ours"
                    ? await HttpServer.StartOursAsync(work, jupyterPath, cancellationToken)
                    : await HttpServer.StartJupyterServerAsync(work, jupyterPath, cancellationToken);
                log.WriteLine($"{server.Name}: {server.Description}");
                r.IdleRssKb = server.Process.StatusKilobytes("VmRSS");

                // POST -> kernel_info_reply over the WebSocket.
                for (var i = 0; i < runs; i++)
                {
                    if (kind == "ours")
                    {
                        await server.WaitForWarmKernelsAsync(1, cancellationToken);
                        r.StartWarmMs.Add(await StartOnceAsync(server, null, cancellationToken));
                    }
                    // After the pool has refilled, so that the new kernel does not start beside the refill.
                if (kind == "ours") await server.WaitForWarmKernelsAsync(1, cancellationToken);
                r.StartColdMs.Add(await StartOnceAsync(server, kind == "ours" ? """{"KERNEL_BENCH":"cold"}""" : null, cancellationToken));
                }
                log.WriteLine($"  start: warm [{Join(r.StartWarmMs)}] cold [{Join(r.StartColdMs)}] ms");

                // Round trip of `1+1` and 100k lines through the WebSocket, on one kernel of each language.
                var id = await server.CreateKernelAsync(Kernel, null, cancellationToken);
                await using (var ws = await server.ConnectReadyAsync(id, cancellationToken))
                {
                    r.RoundTripMs.AddRange(await RoundTripsAsync(c => ws.ExecuteAsync(c, cancellationToken)));
                    for (var i = 0; i < LineRuns; i++) r.PythonLinesMs.Add(await ws.ExecuteAsync("for i in range(100000): print(i)", cancellationToken, expectLines: Lines));
                }
                await server.DeleteKernelAsync(id, cancellationToken);
                var cs = await server.CreateKernelAsync(CSharpKernel, null, cancellationToken);
                await using (var ws = await server.ConnectReadyAsync(cs, cancellationToken))
                {
                    await ws.ExecuteAsync("1+1", cancellationToken);
                    for (var i = 0; i < LineRuns; i++) r.CSharpLinesMs.Add(await ws.ExecuteAsync("for (var i = 0; i < 100000; i++) Console.WriteLine(i);", cancellationToken, expectLines: Lines));
                }
                await server.DeleteKernelAsync(cs, cancellationToken);
                log.WriteLine($"  round trip p50 {Stats.Percentile(r.RoundTripMs, 50):F2} ms; 100k lines python [{Join(r.PythonLinesMs)}] C# [{Join(r.CSharpLinesMs)}] ms");

                // 50 clients x 10 executes on 20 kernels.
                var ids = new List<string>();
                for (var i = 0; i < Kernels; i++) ids.Add(await server.CreateKernelAsync(Kernel, null, cancellationToken));
                var sockets = new List<WsKernel>();
                for (var i = 0; i < Clients; i++) sockets.Add(await server.ConnectReadyAsync(ids[i % Kernels], cancellationToken));
                var latencies = new List<double>[Clients];
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
                {
                    latencies[c] = [];
                    for (var j = 0; j < ExecutesPerClient; j++) latencies[c].Add(await sockets[c].ExecuteAsync("1+1", cancellationToken));
                }));
                r.ConcurrentSeconds = clock.Elapsed.TotalSeconds;
                r.ConcurrentLatencyMs.AddRange(latencies.SelectMany(l => l));
                r.LoadedRssKb = server.Process.StatusKilobytes("VmRSS");
            r.LoadedAnonKb = server.Process.StatusKilobytes("RssAnon");
                r.PeakRssKb = server.Process.StatusKilobytes("VmHWM");
                foreach (var s in sockets) await s.DisposeAsync();
                foreach (var k in ids) await server.DeleteKernelAsync(k, cancellationToken);
                log.WriteLine($"  {Clients}x{ExecutesPerClient} on {Kernels}: {Clients * ExecutesPerClient / r.ConcurrentSeconds:F0} execs/s, p95 {Stats.Percentile(r.ConcurrentLatencyMs, 95):F1} ms, RSS {r.LoadedRssKb / 1024.0:F1} MiB");
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                r.Error = e.Message;
                log.WriteLine($"  FAILED: {e}");
            }
        }

        var report = Report(direct, results["ours"], results["jupyter"], runs, started);
        Console.WriteLine(report);
        if (outFile is not null)
        {
            var full = Path.GetFullPath(outFile);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, report);
            log.WriteLine($"wrote {full}");
        }
        return results.Values.Any(r => r.Error is not null) ? 1 : 0;
    }

    private static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));

    private static async Task<List<double>> RoundTripsAsync(Func<string, Task<double>> execute)
    {
        for (var i = 0; i < 20; i++) await execute("1+1");
        var times = new List<double>();
        for (var i = 0; i < 200; i++) times.Add(await execute("1+1"));
        return times;
    }

    /// <summary>POST /api/kernels, open the WebSocket, kernel_info until answered; then delete the kernel.</summary>
    private static async Task<double> StartOnceAsync(HttpServer server, string? env, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var id = await server.CreateKernelAsync(Kernel, env, cancellationToken);
        await using (var ws = await server.ConnectReadyAsync(id, cancellationToken))
        {
            var ms = clock.Elapsed.TotalMilliseconds;
            await server.DeleteKernelAsync(id, cancellationToken);
            return ms;
        }
    }

    private static async Task MeasureDirectAsync(string work, ServerResults r, CancellationToken cancellationToken)
    {
        foreach (var kind in new[] { KernelKind.IPyKernel(Path.Combine(work, "ipython")), KernelKind.CSharp(Path.Combine(work, "kg-data")) })
        {
            var dir = Path.Combine(work, $"direct-{kind.Id}");
            Directory.CreateDirectory(dir);
            var info = ConnectionInfo.CreateLocal();
            var file = Path.Combine(dir, "connection.json");
            info.Save(file);
            using var process = KernelProcess.Start(kind, file);
            using var client = new KernelClient(info);
            await client.WaitForReadyAsync(TimeSpan.FromSeconds(90), KernelChannel.Shell, cancellationToken);
            while (!client.IOPubConnected.IsCompleted)
            {
                client.Send(KernelChannel.Shell, client.CreateRequest(MessageTypes.KernelInfoRequest, KernelClient.EmptyContent));
                await Task.WhenAny(client.IOPubConnected, Task.Delay(50, cancellationToken));
            }
            async Task<double> Execute(string code, int expectLines = 0)
            {
                var clock = Stopwatch.StartNew();
                var outcome = await client.ExecuteAsync(code, cancellationToken: cancellationToken);
                var ms = clock.Elapsed.TotalMilliseconds;
                if (outcome.Status != "ok") throw new InvalidOperationException($"'{code}' failed directly: {outcome.Reply.Content}");
                if (expectLines > 0)
                {
                    var lines = outcome.IOPub.Where(m => m.MessageType == MessageTypes.Stream).Sum(m => m.Content.GetProperty("text").GetString()!.Count(ch => ch == '\n'));
                    if (lines != expectLines) throw new InvalidOperationException($"{lines} lines arrived directly, not {expectLines}");
                }
                return ms;
            }
            await Execute(kind.TrivialCell);
            if (kind.Id == "python")
            {
                r.RoundTripMs.AddRange(await RoundTripsAsync(c => Execute(c)));
                for (var i = 0; i < LineRuns; i++) r.PythonLinesMs.Add(await Execute(kind.PrintCell, Lines));
            }
            else
            {
                for (var i = 0; i < LineRuns; i++) r.CSharpLinesMs.Add(await Execute(kind.PrintCell, Lines));
            }
            client.Send(KernelChannel.Control, client.CreateRequest(MessageTypes.ShutdownRequest, JsonDocument.Parse("""{"restart":false}""").RootElement));
            await Task.Delay(200, cancellationToken);
            process.Kill();
        }
        Console.Error.WriteLine($"  round trip p50 {Stats.Percentile(r.RoundTripMs, 50):F2} ms; 100k lines python [{Join(r.PythonLinesMs)}] C# [{Join(r.CSharpLinesMs)}] ms");

        // The same 50 x 10 on 20 ipykernels, each client its own KernelClient (its own session and sockets).
        var kind2 = KernelKind.IPyKernel(Path.Combine(work, "ipython"));
        var processes = new List<KernelProcess>();
        var infos = new List<ConnectionInfo>();
        var clients = new List<KernelClient>();
        try
        {
            for (var i = 0; i < Kernels; i++)
            {
                var info = ConnectionInfo.CreateLocal();
                var file = Path.Combine(work, $"direct-many-{i}.json");
                info.Save(file);
                infos.Add(info);
                processes.Add(KernelProcess.Start(kind2, file));
            }
            for (var c = 0; c < Clients; c++)
            {
                var client = new KernelClient(infos[c % Kernels]);
                clients.Add(client);
                try { await client.WaitForReadyAsync(TimeSpan.FromSeconds(90), KernelChannel.Shell, cancellationToken); }
                catch (TimeoutException e)
                {
                    var p = processes[c % Kernels];
                    throw new InvalidOperationException($"client {c}: {e.Message}; kernel {c % Kernels} {(p.HasExited ? "exited" : "running")}: {p.Tail}", e);
                }
            }
            var latencies = new List<double>[Clients];
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
            {
                latencies[c] = [];
                for (var j = 0; j < ExecutesPerClient; j++)
                {
                    var t = Stopwatch.StartNew();
                    var outcome = await clients[c].ExecuteAsync("1+1", cancellationToken: cancellationToken);
                    if (outcome.Status != "ok") throw new InvalidOperationException("1+1 failed directly");
                    latencies[c].Add(t.Elapsed.TotalMilliseconds);
                }
            }));
            r.ConcurrentSeconds = clock.Elapsed.TotalSeconds;
            r.ConcurrentLatencyMs.AddRange(latencies.SelectMany(l => l));
            Console.Error.WriteLine($"  {Clients}x{ExecutesPerClient} on {Kernels}: {Clients * ExecutesPerClient / r.ConcurrentSeconds:F0} execs/s, p95 {Stats.Percentile(r.ConcurrentLatencyMs, 95):F1} ms");
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
            foreach (var p in processes) { p.Kill(); p.Dispose(); }
        }
    }

    private static void WriteCSharpKernelSpec(string jupyterPath, string dataDir)
    {
        var dir = Path.Combine(jupyterPath, "kernels", CSharpKernel);
        Directory.CreateDirectory(dir);
        var spec = new Dictionary<string, object>
        {
            ["argv"] = new[] { KernelKind.DotnetHost, KernelKind.KernelOverride ?? KernelKind.KernelGatewayDll, "kernel", "-f", "{connection_file}" },
            ["display_name"] = "C# (benchmark)",
            ["language"] = "C#",
            ["interrupt_mode"] = "message",
            ["env"] = new Dictionary<string, string> { ["KG_DATA_DIR"] = dataDir },
        };
        File.WriteAllText(Path.Combine(dir, "kernel.json"), JsonSerializer.Serialize(spec));
    }

    private static string Report(ServerResults direct, ServerResults ours, ServerResults jupyter, int runs, DateTimeOffset started)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## KernelGateway benchmark: the gateway vs Jupyter Server's kernels API (and the kernels over ZMQ)");
        sb.AppendLine();
        sb.AppendLine($"- date: {started:yyyy-MM-dd HH:mm:ss zzz}; machine: nproc {Environment.ProcessorCount}, {RuntimeInformation.OSDescription}");
        sb.AppendLine($"- ours: `kernelgateway serve` (this build, {(KernelKind.KernelOverride is null ? "its configuration" : KernelKind.KernelOverride)}) with KG_PRESPAWN_COUNT=1; Jupyter Server {JupyterServerVersion()} (Debian); both on the same kernelspecs, same WebSocket client (legacy JSON framing)");
        sb.AppendLine($"- kernel: Debian's ipykernel (`{Kernel}`) unless the row says C#; {runs} starts per server; round trip over 200 after 20 warm-up");
        sb.AppendLine();
        sb.AppendLine("| metric | ours | Jupyter Server | direct ZMQ | ours vs Jupyter Server |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        string F(double? v, string format) => v is double d && !double.IsNaN(d) ? d.ToString(format, CultureInfo.InvariantCulture) : "–";
        void Row(string metric, double? a, double? b, double? c, string format, bool higherIsBetter)
        {
            var ratio = a is double x && b is double y && x > 0 && y > 0 ? (higherIsBetter ? x / y : y / x) : (double?)null;
            sb.AppendLine($"| {metric} | {F(a, format)} | {F(b, format)} | {F(c, format)} | {(ratio is double q ? $"{q:F1}× {(q >= 1 ? "better" : "worse")}" : "–")} |");
        }
        static double? Med(List<double> v) => v.Count == 0 ? null : Stats.Median(v);
        static double? P(List<double> v, double p) => v.Count == 0 ? null : Stats.Percentile(v, p);
        static double? Rate(List<double> ms) => ms.Count == 0 ? null : Lines / (Stats.Median(ms) / 1000);

        Row($"POST /api/kernels → kernel_info_reply over the WebSocket, warm kernel (prespawn), median of {runs} (ms)", Med(ours.StartWarmMs), Med(jupyter.StartColdMs), null, "F0", false);
        Row($"POST /api/kernels → kernel_info_reply over the WebSocket, new kernel, median of {runs} (ms)", Med(ours.StartColdMs), Med(jupyter.StartColdMs), null, "F0", false);
        Row("execute `1+1` → reply + idle, p50 (ms)", P(ours.RoundTripMs, 50), P(jupyter.RoundTripMs, 50), P(direct.RoundTripMs, 50), "F2", false);
        Row("execute `1+1` → reply + idle, p95 (ms)", P(ours.RoundTripMs, 95), P(jupyter.RoundTripMs, 95), P(direct.RoundTripMs, 95), "F2", false);
        Row("round trip added to direct ZMQ, p50 (ms)", P(ours.RoundTripMs, 50) - P(direct.RoundTripMs, 50), P(jupyter.RoundTripMs, 50) - P(direct.RoundTripMs, 50), null, "F2", false);
        Row($"100k lines printed by ipykernel, request → idle, median of {LineRuns} (lines/s)", Rate(ours.PythonLinesMs), Rate(jupyter.PythonLinesMs), Rate(direct.PythonLinesMs), "N0", true);
        Row($"100k lines printed by the C# kernel, request → idle, median of {LineRuns} (lines/s)", Rate(ours.CSharpLinesMs), Rate(jupyter.CSharpLinesMs), Rate(direct.CSharpLinesMs), "N0", true);
        Row($"{Clients} clients × {ExecutesPerClient} executes on {Kernels} kernels (execs/s)", Clients * ExecutesPerClient / ours.ConcurrentSeconds, Clients * ExecutesPerClient / jupyter.ConcurrentSeconds, Clients * ExecutesPerClient / direct.ConcurrentSeconds, "F0", true);
        Row($"{Clients} clients × {ExecutesPerClient} executes on {Kernels} kernels, latency p50 (ms)", P(ours.ConcurrentLatencyMs, 50), P(jupyter.ConcurrentLatencyMs, 50), P(direct.ConcurrentLatencyMs, 50), "F1", false);
        Row($"{Clients} clients × {ExecutesPerClient} executes on {Kernels} kernels, latency p95 (ms)", P(ours.ConcurrentLatencyMs, 95), P(jupyter.ConcurrentLatencyMs, 95), P(direct.ConcurrentLatencyMs, 95), "F1", false);
        Row("server RSS before any kernel (MiB)", ours.IdleRssKb / 1024.0, jupyter.IdleRssKb / 1024.0, null, "F1", false);
        Row($"server RSS with {Kernels} kernels and {Clients} WebSockets (MiB)", ours.LoadedRssKb / 1024.0, jupyter.LoadedRssKb / 1024.0, null, "F1", false);
        Row($"… of which anonymous memory (MiB, RssAnon)", ours.LoadedAnonKb / 1024.0, jupyter.LoadedAnonKb / 1024.0, null, "F1", false);
        Row("server peak RSS (MiB, VmHWM)", ours.PeakRssKb / 1024.0, jupyter.PeakRssKb / 1024.0, null, "F1", false);
        sb.AppendLine();
        sb.AppendLine($"- starts (ms): ours warm [{Join(ours.StartWarmMs)}], ours new [{Join(ours.StartColdMs)}], Jupyter Server [{Join(jupyter.StartColdMs)}]");
        sb.AppendLine("- the Jupyter Server column of the warm-start row is its only start (it has no prespawn pool)");
        foreach (var r in new[] { ours, jupyter }) if (r.Error is not null) sb.AppendLine($"- {r.Name} FAILED (rows after the failure are missing): {r.Error}");
        return sb.ToString();
    }

    private static string JupyterServerVersion()
    {
        try
        {
            var psi = new ProcessStartInfo(KernelKind.Python, ["-c", "import jupyter_server; print(jupyter_server.__version__)"]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var v = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return v;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "?";
        }
    }

    private sealed class ServerResults(string name)
    {
        public string Name { get; } = name;
        public List<double> StartWarmMs { get; } = [];
        public List<double> StartColdMs { get; } = [];
        public List<double> RoundTripMs { get; } = [];
        public List<double> PythonLinesMs { get; } = [];
        public List<double> CSharpLinesMs { get; } = [];
        public List<double> ConcurrentLatencyMs { get; } = [];
        public double ConcurrentSeconds { get; set; } = double.NaN;
        public long? IdleRssKb { get; set; }
        public long? LoadedRssKb { get; set; }
        public long? PeakRssKb { get; set; }
        public long? LoadedAnonKb { get; set; }
        public string? Error { get; set; }
    }

    /// <summary>A server with the kernels REST API and the channels WebSocket, run as a child process.</summary>
    private sealed class HttpServer : IAsyncDisposable
    {
        private const string Token = "bench-token-0123456789abcdef";
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

        public static async Task<HttpServer> StartOursAsync(string work, string jupyterPath, CancellationToken cancellationToken)
        {
            var port = ConnectionInfo.FreeLocalPort();
            var dll = KernelKind.KernelOverride is { } k && k.EndsWith(".dll", StringComparison.Ordinal) ? k : KernelKind.KernelGatewayDll;
            var env = new Dictionary<string, string>
            {
                ["KG_DATA_DIR"] = Path.Combine(work, "kg-data"),
                ["JUPYTER_PATH"] = jupyterPath,
                ["KG_PRESPAWN_COUNT"] = "1",
                ["KG_DEFAULT_KERNEL_NAME"] = Kernel,
                ["KG_AUTH_TOKEN"] = Token,
                ["KG_MAX_KERNELS"] = "40",
                ["KG_LOG_LEVEL"] = "Warning",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            var process = KernelProcess.StartCommand("kernelgateway serve", KernelKind.DotnetHost, [dll, "serve", "--port", port.ToString(CultureInfo.InvariantCulture)], env);
            var server = new HttpServer("ours", $"{KernelKind.DotnetHost} {dll} serve (KG_PRESPAWN_COUNT=1)", process, port);
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

        /// <summary>Waits until the server has <paramref name="count"/> more kernel processes than clients' kernels (the warm ones).</summary>
        public async Task WaitForWarmKernelsAsync(int count, CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (true)
            {
                using var listed = await _http.GetAsync("/api/kernels", cancellationToken);
                var held = listed.IsSuccessStatusCode ? JsonDocument.Parse(await listed.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetArrayLength() : 0;
                if (Process.ChildIds().Count >= held + count)
                {
                    // A started process is not yet a warm kernel: give it the time a kernel needs to answer.
                    await Task.Delay(1500, cancellationToken);
                    return;
                }
                if (DateTime.UtcNow > deadline) throw new InvalidOperationException("the prespawn pool never refilled");
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

    /// <summary>One channels WebSocket: a reader that decodes every message (legacy JSON framing) and hands it to the current waiter.</summary>
    private sealed class WsKernel : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly string _session = Guid.NewGuid().ToString();
        private readonly Task _reader;
        private readonly SemaphoreSlim _send = new(1, 1);
        private (Func<JupyterMessage, bool> Match, TaskCompletionSource<JupyterMessage> Done)? _waiter;
        private readonly Lock _lock = new();

        private WsKernel(ClientWebSocket socket)
        {
            _socket = socket;
            _reader = ReadAsync();
        }

        public static async Task<WsKernel> ConnectAsync(Uri uri, CancellationToken cancellationToken)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(uri, cancellationToken);
            return new WsKernel(socket);
        }

        public async Task<string> SendAsync(KernelChannel channel, string msgType, JsonElement content, CancellationToken cancellationToken, string? msgId = null)
        {
            var header = new MessageHeader { MessageId = msgId ?? Guid.NewGuid().ToString("N"), Session = _session, Username = "bench", MessageType = msgType };
            var (payload, binary) = WebSocketCodec.EncodeLegacy(JupyterMessage.Create(header, null, content), channel.ToWireName());
            await _send.WaitAsync(cancellationToken);
            try { await _socket.SendAsync(payload, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, cancellationToken); }
            finally { _send.Release(); }
            return header.MessageId;
        }

        /// <summary>Hands every message to <paramref name="match"/> (on the reader) until it returns true; one waiter at a time.</summary>
        public Task<JupyterMessage> WaitForAsync(Func<JupyterMessage, bool> match, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource<JupyterMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock) _waiter = (match, done);
            cancellationToken.Register(() => done.TrySetCanceled());
            return done.Task;
        }

        public void CancelWaits()
        {
            lock (_lock) _waiter = null;
        }

        /// <summary>Runs a cell and returns the milliseconds from sending it to having both its execute_reply and its idle status.</summary>
        public async Task<double> ExecuteAsync(string code, CancellationToken cancellationToken, int expectLines = 0)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            var content = JsonSerializer.SerializeToElement(new ExecuteRequest { Code = code }, ProtocolJsonContext.Default.ExecuteRequest);
            var id = Guid.NewGuid().ToString("N");
            bool reply = false, idle = false;
            string? status = null;
            var lines = 0;
            var clock = Stopwatch.StartNew();
            var finished = WaitForAsync(m =>
            {
                if (m.ParentHeader?.MessageId != id) return false;
                if (m.MessageType == MessageTypes.ExecuteReply) { reply = true; status = m.Content.GetProperty("status").GetString(); }
                else if (m.MessageType == MessageTypes.Status && m.Content.GetProperty("execution_state").GetString() == "idle") idle = true;
                else if (m.MessageType == MessageTypes.Stream) lines += CountLines(m.Content.GetProperty("text").GetString());
                return reply && idle;
            }, timeout.Token);
            await SendAsync(KernelChannel.Shell, MessageTypes.ExecuteRequest, content, timeout.Token, id);
            await finished;
            var ms = clock.Elapsed.TotalMilliseconds;
            if (status != "ok") throw new InvalidOperationException($"'{code}' failed: {status}");
            if (expectLines > 0 && lines != expectLines) throw new InvalidOperationException($"{lines} lines arrived, not {expectLines}");
            return ms;
        }

        private static int CountLines(string? text)
        {
            var n = 0;
            foreach (var ch in text.AsSpan()) if (ch == '\n') n++;
            return n;
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[1 << 20];
            var message = new MemoryStream();
            try
            {
                while (true)
                {
                    message.SetLength(0);
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                        message.Write(buffer, 0, result.Count);
                    } while (!result.EndOfMessage);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    var decoded = WebSocketCodec.DecodeLegacy(message.GetBuffer().AsSpan(0, (int)message.Length), result.MessageType == WebSocketMessageType.Binary, out _);
                    if (decoded is null) continue;
                    (Func<JupyterMessage, bool> Match, TaskCompletionSource<JupyterMessage> Done)? w;
                    lock (_lock) w = _waiter;
                    if (w is { } waiter && waiter.Match(decoded))
                    {
                        lock (_lock) if (ReferenceEquals(_waiter?.Done, waiter.Done)) _waiter = null;
                        waiter.Done.TrySetResult(decoded);
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                using var t = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                if (_socket.State == WebSocketState.Open) await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", t.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            _socket.Abort();
            await _reader;
            _socket.Dispose();
        }
    }
}
