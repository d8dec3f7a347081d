using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using KernelGateway.Protocol;
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
    /// <summary>Debian's ipykernel.</summary>
    internal const string Kernel = "python3";

    /// <summary>The kernelspec <see cref="WriteCSharpKernelSpec"/> writes for our C# kernel.</summary>
    internal const string CSharpKernel = "kg-bench-csharp";
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
        try { await MeasureDirectAsync(work, direct, cancellationToken); }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The baseline column goes missing, the servers are still measured.
            direct.Error = e.Message.Split('\n')[0];
            log.WriteLine($"  FAILED: {e}");
        }

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
                var many = await ManyClients.RunAsync(server, Kernel, Kernels, Clients, ExecutesPerClient, "1+1", startTogether: false, TimeSpan.FromMinutes(5), cancellationToken);
                r.ConcurrentSeconds = many.Seconds;
                r.ConcurrentLatencyMs.AddRange(many.LatencyMs);
                r.LoadedRssKb = many.ServerRssKb;
                r.LoadedAnonKb = many.ServerAnonKb;
                r.PeakRssKb = many.ServerPeakKb;
                if (many.Completed != Clients) throw new InvalidOperationException($"{Clients}x{ExecutesPerClient} on {Kernels}: {many.Summary}");
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
        return results.Values.Append(direct).Any(r => r.Error is not null) ? 1 : 0;
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

    /// <summary>Writes the kernelspec <see cref="CSharpKernel"/> for our C# kernel (this build or <c>--kernel</c>, with <c>--kernel-env</c>).</summary>
    internal static void WriteCSharpKernelSpec(string jupyterPath, string dataDir)
    {
        var dir = Path.Combine(jupyterPath, "kernels", CSharpKernel);
        Directory.CreateDirectory(dir);
        var spec = new Dictionary<string, object>
        {
            ["argv"] = KernelKind.CSharpArgv("{connection_file}"),
            ["display_name"] = "C# (benchmark)",
            ["language"] = "C#",
            ["interrupt_mode"] = "message",
            ["env"] = new Dictionary<string, string>(KernelKind.KernelEnvironment) { ["KG_DATA_DIR"] = dataDir },
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
        foreach (var r in new[] { direct, ours, jupyter }) if (r.Error is not null) sb.AppendLine($"- {r.Name} FAILED (rows after the failure are missing): {r.Error}");
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
}
