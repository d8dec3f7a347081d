using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelGateway.Benchmarks;

/// <summary>
/// <c>--suite scale</c>: issue 9's figure at scale — 20 kernels × 50 WebSocket clients × 10 executes through one
/// <c>kernelgateway serve</c>, first on 20 ipykernels, then on 20 of our C# kernels, in the same run on the same server
/// (<see cref="ManyClients"/>; each phase bounded by the timeout, what finished reported). Completed, failed and
/// unfinished clients, execs/s, latency p50/p95, and the memory of the 20 kernels (sum of RSS/USS/PSS). Twice: cold
/// (no pool, every kernel started on demand), then from a warm pool of 20 (<c>KG_PRESPAWN_COUNT</c>) per kernelspec.
/// </summary>
public static class ScaleBenchmark
{
    private const int Kernels = 20;
    private const int Clients = 50;
    private const int ExecutesPerClient = 10;
    private const string Cell = "1+1";

    public static async Task<int> RunAsync(string work, TimeSpan timeout, string? outFile, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.Now;
        var loadBefore = BenchmarkMachine.LoadAverages();
        var log = Console.Error;
        var jupyterPath = Path.Combine(work, "jupyter");
        GatewayBenchmark.WriteCSharpKernelSpec(jupyterPath, Path.Combine(work, "kg-data"));
        var runs = new List<(string Name, ManyClients.Result? Result, string? Error)>();
        var pooled = new List<(string Name, ManyClients.Result? Result, string? Error)>();
        var kinds = new[] { ("ipykernel", GatewayBenchmark.Kernel), ("C# kernel", GatewayBenchmark.CSharpKernel) };
        string description;
        // Cold: the 20 kernels are asked for at once from a server with no pool, so each starts on demand.
        await using (var server = await HttpServer.StartOursAsync(work, jupyterPath, cancellationToken, prespawn: 0))
        {
            description = server.Description;
            log.WriteLine($"{server.Name}: {description}");
            foreach (var (name, spec) in kinds)
            {
                runs.Add(await PhaseAsync(server, name, spec, timeout, cancellationToken));
                await KernelsGoneAsync(server, cancellationToken);
            }
        }
        // Warm pool: a server per kernelspec with 20 prespawned kernels of it (no refill: the limit is 20), each warm
        // (it has answered an empty silent cell) before the kernels are asked for.
        var pooledDescriptions = new List<string>();
        foreach (var (name, spec) in kinds)
        {
            await using var server = await HttpServer.StartOursAsync(work, jupyterPath, cancellationToken, prespawn: Kernels, defaultKernel: spec, maxKernels: Kernels);
            log.WriteLine($"{server.Name}: {server.Description}");
            pooledDescriptions.Add(server.Description);
            await server.WaitForWarmKernelsAsync(Kernels, cancellationToken);
            pooled.Add(await PhaseAsync(server, name, spec, timeout, cancellationToken));
            await KernelsGoneAsync(server, cancellationToken);
        }

        var loadAfter = BenchmarkMachine.LoadAverages();
        var report = Report(runs, description, timeout, started, loadBefore, loadAfter, "kernels asked for all at once from a server with no pool")
            + Environment.NewLine + Report(pooled, string.Join("`, then `", pooledDescriptions), timeout, started, loadBefore, loadAfter,
                $"kernels asked for all at once from a warm pool of {Kernels} (a server per kernelspec, KG_PRESPAWN_COUNT={Kernels}, KG_MAX_KERNELS={Kernels})");
        Console.WriteLine(report);
        if (outFile is not null)
        {
            var full = Path.GetFullPath(outFile);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, Json(runs, pooled, description, timeout, started, loadBefore, loadAfter), cancellationToken);
            log.WriteLine($"wrote {full}");
        }
        return runs.Concat(pooled).All(r => r.Result is { } x && x.Completed == Clients) ? 0 : 1;
    }

    private static async Task<(string Name, ManyClients.Result? Result, string? Error)> PhaseAsync(HttpServer server, string name, string spec, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var log = Console.Error;
        log.WriteLine($"  {name}: {Kernels} kernels × {Clients} clients × {ExecutesPerClient} executes, each phase bounded by {timeout.TotalSeconds:F0} s");
        try
        {
            var result = await ManyClients.RunAsync(server, spec, Kernels, Clients, ExecutesPerClient, Cell, startTogether: true, timeout, cancellationToken);
            log.WriteLine($"  {name}: {result.Summary}");
            return (name, result, null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            log.WriteLine($"  {name}: FAILED: {e}");
            return (name, null, e.Message);
        }
    }

    /// <summary>Waits (at most a minute) until the server has no kernel process left, so that the next phase starts on an idle machine.</summary>
    private static async Task KernelsGoneAsync(HttpServer server, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 600 && server.Process.ChildIds().Count > 0; i++) await Task.Delay(100, cancellationToken);
    }

    private static string Report(List<(string Name, ManyClients.Result? Result, string? Error)> runs, string server, TimeSpan timeout, DateTimeOffset started, string loadBefore, string loadAfter, string mode)
    {
        string F(double? v, string format) => v is double d && !double.IsNaN(d) ? d.ToString(format, CultureInfo.InvariantCulture) : "–";
        var sb = new StringBuilder();
        sb.AppendLine($"## KernelGateway benchmark: {Kernels} kernels × {Clients} WebSocket clients × {ExecutesPerClient} executes through the gateway");
        sb.AppendLine();
        sb.AppendLine($"- date: {started:yyyy-MM-dd HH:mm:ss zzz}; machine: nproc {Environment.ProcessorCount}, {BenchmarkMachine.CpuModel()}, {RuntimeInformation.OSDescription}");
        sb.AppendLine($"- load average (1/5/15 min): before {loadBefore}, after {loadAfter}");
        sb.AppendLine($"- server: `{server}`; cell `{Cell}`; {mode}; each client on kernel (client mod {Kernels}); " +
            $"start+connect and executes each bounded by {timeout.TotalSeconds:F0} s");
        if (KernelKind.KernelEnvironment.Count > 0)
            sb.AppendLine($"- C# kernelspec env: {string.Join(' ', KernelKind.KernelEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
        sb.AppendLine();
        var ratio = runs.Count == 2;
        sb.AppendLine($"| metric | {string.Join(" | ", runs.Select(r => r.Name))} |{(ratio ? $" {runs[1].Name} / {runs[0].Name} |" : "")}");
        sb.AppendLine($"|---|{string.Concat(runs.Select(_ => "---:|"))}{(ratio ? "---:|" : "")}");
        void Row(string metric, Func<ManyClients.Result, double?> value, string format)
        {
            var values = runs.Select(r => r.Result is { } x ? value(x) : null).ToList();
            var cells = runs.Zip(values, (r, v) => r.Error is not null ? "failed" : F(v, format));
            var q = ratio && values[0] is double a && values[1] is double b && a > 0 && !double.IsNaN(b) ? $" {b / a:F2}x |" : ratio ? " – |" : "";
            sb.AppendLine($"| {metric} | {string.Join(" | ", cells)} |{q}");
        }
        static double? P(List<double> v, double p) => v.Count == 0 ? null : Stats.Percentile(v, p);
        Row($"kernels started (of {Kernels})", r => r.KernelsStarted, "F0");
        Row($"POST of {Kernels} kernels at once → all answered (s)", r => r.StartSeconds, "F1");
        Row($"clients connected, kernel_info answered over the WebSocket (of {Clients})", r => r.ClientsConnected, "F0");
        Row("… connecting them all (s)", r => r.ConnectSeconds, "F1");
        Row("clients that completed their executes", r => r.Completed, "F0");
        Row("clients failed", r => r.Failed, "F0");
        Row("clients unfinished at the timeout", r => r.Unfinished, "F0");
        Row($"executes answered (of {Clients * ExecutesPerClient})", r => r.Executes, "F0");
        Row("executes phase (s)", r => r.Seconds, "F1");
        Row("execs/s (higher is better)", r => r.ExecsPerSecond, "F1");
        Row("latency p50 (ms)", r => P(r.LatencyMs, 50), "F1");
        Row("latency p95 (ms)", r => P(r.LatencyMs, 95), "F1");
        Row("kernels' CPU during the executes phase, sum (s)", r => r.KernelsCpuSeconds, "F1");
        Row("… per execute (ms)", r => r.Executes > 0 ? r.KernelsCpuSeconds * 1000 / r.Executes : null, "F1");
        Row("server's CPU during the executes phase (s)", r => r.ServerCpuSeconds, "F1");
        Row("machine busy during the executes phase (%)", r => r.MachineBusy * 100, "F0");
        Row($"kernel processes' RSS, sum (MiB)", r => r.KernelsMemory?.RssMiB, "F0");
        Row("… USS, sum (MiB)", r => r.KernelsMemory?.UssMiB, "F0");
        Row("… PSS, sum (MiB)", r => r.KernelsMemory?.PssMiB, "F0");
        Row("server RSS (MiB)", r => r.ServerRssKb / 1024.0, "F1");
        sb.AppendLine();
        foreach (var (name, result, error) in runs)
        {
            if (error is not null) sb.AppendLine($"- {name} FAILED: {error}");
            else if (result!.FirstError is { } first) sb.AppendLine($"- {name}: first error: {first}");
        }
        return sb.ToString();
    }

    private static string Json(List<(string Name, ManyClients.Result? Result, string? Error)> runs, List<(string Name, ManyClients.Result? Result, string? Error)> pooled, string server, TimeSpan timeout, DateTimeOffset started, string loadBefore, string loadAfter)
    {
        JsonNode? Num(double? v) => v is double d && !double.IsNaN(d) ? JsonValue.Create(Math.Round(d, 3)) : null;
        JsonNode? Memory(MemorySample? m) => m is null ? null : new JsonObject { ["rss_mib"] = Num(m.RssMiB), ["uss_mib"] = Num(m.UssMiB), ["pss_mib"] = Num(m.PssMiB) };
        JsonNode? RunJson((string Name, ManyClients.Result? Result, string? Error) r) => r.Result is not { } x ? new JsonObject { ["name"] = r.Name, ["error"] = r.Error } : new JsonObject
            {
                ["name"] = r.Name,
                ["kernelspec"] = x.KernelName,
                ["kernels_started"] = x.KernelsStarted,
                ["start_s"] = Num(x.StartSeconds),
                ["clients_connected"] = x.ClientsConnected,
                ["connect_s"] = Num(x.ConnectSeconds),
                ["clients_completed"] = x.Completed,
                ["clients_failed"] = x.Failed,
                ["clients_unfinished"] = x.Unfinished,
                ["executes"] = x.Executes,
                ["executes_s"] = Num(x.Seconds),
                ["execs_per_s"] = Num(x.ExecsPerSecond),
                ["latency_ms"] = new JsonObject { ["p50"] = Num(x.LatencyMs.Count == 0 ? null : Stats.Percentile(x.LatencyMs, 50)), ["p95"] = Num(x.LatencyMs.Count == 0 ? null : Stats.Percentile(x.LatencyMs, 95)) },
                ["kernel_processes"] = x.KernelProcesses,
                ["kernels_memory_sum"] = Memory(x.KernelsMemory),
                ["kernels_cpu_s"] = Num(x.KernelsCpuSeconds),
                ["server_cpu_s"] = Num(x.ServerCpuSeconds),
                ["machine_busy"] = Num(x.MachineBusy),
                ["server_rss_mib"] = Num(x.ServerRssKb / 1024.0),
                ["first_error"] = x.FirstError,
            };
        var json = new JsonObject
        {
            ["suite"] = "scale",
            ["date"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject { ["nproc"] = Environment.ProcessorCount, ["cpu"] = BenchmarkMachine.CpuModel(), ["load_before"] = loadBefore, ["load_after"] = loadAfter },
            ["server"] = server,
            ["kernels"] = Kernels,
            ["clients"] = Clients,
            ["executes_per_client"] = ExecutesPerClient,
            ["cell"] = Cell,
            ["timeout_s"] = timeout.TotalSeconds,
            ["csharp_env"] = new JsonObject(KernelKind.KernelEnvironment.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["runs"] = new JsonArray([.. runs.Select(RunJson)]),
            ["pooled_runs"] = new JsonArray([.. pooled.Select(RunJson)]),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
