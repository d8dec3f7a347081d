using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace KernelGateway.Benchmarks;

/// <summary>
/// Issue 11's figures: a 3-cell parameterized python3 notebook run end to end (process start to output notebook
/// written) by <c>kernelgateway run</c> and by nbclient's <c>jupyter execute</c> (Debian's), alternated, same kernel;
/// and a 16-run grid with <c>-j 4</c> against one run of the same notebook. Papermill cannot be installed here
/// (PyPI is not reachable) and is not measured.
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
        var one = Stats.Median(ours);
        var sb = new StringBuilder();
        sb.AppendLine($"- date: {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}; nproc {Environment.ProcessorCount}; load {BenchmarkMachine.LoadAverages()}; cpu {BenchmarkMachine.CpuModel()}; .NET {Environment.Version}");
        sb.AppendLine();
        sb.AppendLine("| measure | kernelgateway run | jupyter execute (nbclient) | ratio | target |");
        sb.AppendLine("|---|---|---|---|---|");
        sb.AppendLine($"| 3-cell python3 notebook, wall time, median of {runs} (ms) | {one:F0} | {Stats.Median(nbclient):F0} | {one / Stats.Median(nbclient):F2} | ≤ 0.5 {(one / Stats.Median(nbclient) <= 0.5 ? "met" : "NOT met")} |");
        sb.AppendLine($"| 3-cell python3 notebook, wall time, min (ms) | {ours.Min():F0} | {nbclient.Min():F0} | {ours.Min() / nbclient.Min():F2} |  |");
        var g = Stats.Median(grids);
        sb.AppendLine($"| 16-run grid with -j 4, wall time, median of {grids.Count} (ms), against one run | {g:F0} | {one:F0} (one run) | {g / one:F2} | ≤ 3 {(g / one <= 3 ? "met" : "NOT met")} |");
        Console.Out.Write(sb.ToString());
        if (outFile is not null) await File.WriteAllTextAsync(outFile, sb.ToString(), cancellationToken);
        return 0;
    }

    private static async Task<double> TimeAsync(string file, string[] args, string data, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["KG_DATA_DIR"] = data;
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
