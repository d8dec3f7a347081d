using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace KernelGateway.Benchmarks;

/// <summary>
/// Issue 11's figures: a 3-cell parameterized python3 notebook run end to end (process start to output notebook
/// written) by <c>kernelgateway run</c> and by nbclient's <c>jupyter execute</c> (Debian's), alternated, same kernel;
/// papermill too when its source is given (<c>--papermill-src</c>: PyPI is not reachable, Debian packages its
/// dependencies); a 3-cell C# notebook through <c>--gateway-url</c> on a kernel from the gateway's warm pool; and a
/// 16-run grid with <c>-j 4</c> against one run of the same notebook.
/// </summary>
public static class JobsBenchmark
{
    private static string Notebook() => new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = "python3", ["display_name"] = "Python 3", ["language"] = "python" } },
        ["cells"] = new JsonArray(
            Cell("p", "n = 1000", "parameters"),
            Cell("c", "total = sum(i * i for i in range(n))"),
            Cell("o", "print(n, total)")),
    }.ToJsonString();

    private static JsonObject Cell(string id, string source, string? tag = null) => new()
    {
        ["id"] = id, ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = source,
        ["metadata"] = tag is null ? new JsonObject() : new JsonObject { ["tags"] = new JsonArray(tag) },
    };

    public static async Task<int> RunAsync(string work, int runs, string? outFile, CancellationToken cancellationToken)
    {
        var input = Path.Combine(work, "three-cells.ipynb");
        await File.WriteAllTextAsync(input, Notebook(), cancellationToken);
        var data = Path.Combine(work, "jobs-data");
        Directory.CreateDirectory(data);
        var ours = new List<double>();
        var nbclient = new List<double>();
        for (var i = 0; i < runs + 1; i++)
        {
            var o = await TimeAsync("dotnet", [KernelKind.KernelGatewayDll, "run", input, "-o", Path.Combine(work, $"ours-{i}.ipynb"), "-p", "n", "2000"], data, cancellationToken);
            var p = await TimeAsync("/usr/bin/jupyter", ["execute", input, "--output", Path.Combine(work, $"nbclient-{i}.ipynb")], data, cancellationToken);
            if (i == 0) continue; // warm-up: disk caches, the first JIT of both
            ours.Add(o);
            nbclient.Add(p);
        }
        var grid = Path.Combine(work, "grid.yaml");
        await File.WriteAllTextAsync(grid, "n: [" + string.Join(", ", Enumerable.Range(1, 16).Select(k => (k * 100).ToString(CultureInfo.InvariantCulture))) + "]\n", cancellationToken);
        var grids = new List<double>();
        for (var i = 0; i < Math.Max(1, runs / 2); i++)
        {
            var dir = Path.Combine(work, $"grid-{i}");
            grids.Add(await TimeAsync("dotnet", [KernelKind.KernelGatewayDll, "run", input, "--grid", grid, "--out", Path.Combine(dir, "run-{n}.ipynb"), "-j", "4"], data, cancellationToken));
        }
        // Papermill, when its source is given (it is not packaged by Debian; its dependencies are): same notebook, same kernel.
        var papermill = new List<double>();
        if (PapermillSource is { } src)
        {
            for (var i = 0; i < runs + 1; i++)
            {
                var t = await TimeAsync("/usr/bin/python3", ["-m", "papermill", "--no-progress-bar", input, Path.Combine(work, $"papermill-{i}.ipynb"), "-p", "n", "2000"], data, cancellationToken,
                    new Dictionary<string, string> { ["PYTHONPATH"] = src });
                if (i > 0) papermill.Add(t);
            }
        }
        var pooled = await CSharpFromWarmPoolAsync(work, runs, cancellationToken);

        var one = Stats.Median(ours);
        var sb = new StringBuilder();
        sb.AppendLine($"- date: {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}; nproc {Environment.ProcessorCount}; load {BenchmarkMachine.LoadAverages()}; cpu {BenchmarkMachine.CpuModel()}; .NET {Environment.Version}");
        sb.AppendLine();
        sb.AppendLine("| measure | kernelgateway run | jupyter execute (nbclient) | ratio | target |");
        sb.AppendLine("|---|---|---|---|---|");
        sb.AppendLine($"| 3-cell python3 notebook, wall time, median of {runs} (ms) | {one:F0} | {Stats.Median(nbclient):F0} | {one / Stats.Median(nbclient):F2} | ≤ 0.5 {(one / Stats.Median(nbclient) <= 0.5 ? "met" : "NOT met")} |");
        sb.AppendLine($"| 3-cell python3 notebook, wall time, min (ms) | {ours.Min():F0} | {nbclient.Min():F0} | {ours.Min() / nbclient.Min():F2} |  |");
        if (papermill.Count > 0)
        {
            sb.AppendLine($"| 3-cell python3 notebook, wall time, median of {runs} (ms), against papermill {PapermillVersion()} | {one:F0} | {Stats.Median(papermill):F0} (papermill) | {one / Stats.Median(papermill):F2} | ≤ 0.5 {(one / Stats.Median(papermill) <= 0.5 ? "met" : "NOT met")} |");
            sb.AppendLine($"| … papermill, min (ms) | {ours.Min():F0} | {papermill.Min():F0} (papermill) | {ours.Min() / papermill.Min():F2} |  |");
        }
        var p50 = Stats.Median(pooled);
        sb.AppendLine($"| 3-cell C# notebook through `--gateway-url`, kernel from the warm pool, wall time, median of {pooled.Count} (ms) | {p50:F0} | – | – | ≤ 500 ms {(p50 <= 500 ? "met" : "NOT met")} |");
        sb.AppendLine($"| … min (ms) | {pooled.Min():F0} | – | – |  |");
        var g = Stats.Median(grids);
        sb.AppendLine($"| 16-run grid with -j 4, wall time, median of {grids.Count} (ms), against one run | {g:F0} | {one:F0} (one run) | {g / one:F2} | ≤ 3 {(g / one <= 3 ? "met" : "NOT met")} |");
        Console.Out.Write(sb.ToString());
        if (outFile is not null) await File.WriteAllTextAsync(outFile, sb.ToString(), cancellationToken);
        return 0;
    }

    /// <summary>Where papermill's source is (<c>--papermill-src</c> or <c>KG_PAPERMILL_SRC</c>); null: papermill is not measured.</summary>
    public static string? PapermillSource { get; set; } = Environment.GetEnvironmentVariable("KG_PAPERMILL_SRC") is { Length: > 0 } s ? s : null;

    private static string PapermillVersion()
    {
        var version = Path.Combine(PapermillSource!, "papermill", "version.py");
        return File.Exists(version) ? File.ReadAllText(version).Split('\'', '"').ElementAtOrDefault(1) ?? "" : "";
    }

    private static string CSharpNotebook() => new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = GatewayBenchmark.CSharpKernel, ["display_name"] = "C#", ["language"] = "C#" } },
        ["cells"] = new JsonArray(
            Cell("p", "var n = 1000;", "parameters"),
            Cell("c", "var total = Enumerable.Range(0, n).Sum(i => (long)i * i);"),
            Cell("o", "Console.WriteLine($\"{n} {total}\");")),
    }.ToJsonString();

    /// <summary>
    /// A 3-cell C# notebook run by <c>kernelgateway run --gateway-url</c> against a <c>kernelgateway serve</c> whose
    /// prespawn pool holds one warm C# kernel (waited for before each run): process start to output written.
    /// </summary>
    private static async Task<List<double>> CSharpFromWarmPoolAsync(string work, int runs, CancellationToken cancellationToken)
    {
        var jupyterPath = Path.Combine(work, "jobs-jupyter");
        GatewayBenchmark.WriteCSharpKernelSpec(jupyterPath, Path.Combine(work, "kg-data"));
        var input = Path.Combine(work, "three-cells-csharp.ipynb");
        await File.WriteAllTextAsync(input, CSharpNotebook(), cancellationToken);
        var data = Path.Combine(work, "jobs-data");
        var times = new List<double>();
        await using var server = await HttpServer.StartOursAsync(work, jupyterPath, cancellationToken, prespawn: 1, defaultKernel: GatewayBenchmark.CSharpKernel);
        for (var i = 0; i < runs + 1; i++)
        {
            await server.WaitForWarmKernelsAsync(1, cancellationToken);
            var t = await TimeAsync("dotnet", [KernelKind.KernelGatewayDll, "run", input, "-o", Path.Combine(work, $"csharp-pool-{i}.ipynb"), "-p", "n", "2000",
                "--gateway-url", $"http://127.0.0.1:{server.Port}/", "--gateway-token", HttpServer.Token], data, cancellationToken);
            if (i > 0) times.Add(t);
        }
        return times;
    }

    private static async Task<double> TimeAsync(string file, string[] args, string data, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["KG_DATA_DIR"] = data;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await stdout}{await stderr}");
        return elapsed;
    }
}
