using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using KernelGateway.Benchmarks;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string Usage = """
    usage: KernelGateway.Benchmarks [--suite kernel|data|gateway|trino|spark] [--runs N] [--only csharp|python] [--out file.md] [--kernel path/to/kernelgateway(.dll)]

      Starts the C# kernel and ipykernel as real processes and measures, side by side: start -> first
      kernel_info_reply and -> first execute_result (median of N starts), the round trip of a trivial cell
      (p50/p95 of 200 after 20 warm-up), printing 100k lines, and the idle kernel's RSS.
      --suite data: the warehouse, %%sql and the tabular bundle vs pandas.
      --suite gateway: `kernelgateway serve` vs Jupyter Server's kernels API (and the kernels over ZMQ).
      --suite trino: our Trino client vs npm trino-client on the same fixture pages; %%trino to first display.
      --suite spark: our Spark Connect client vs npm apache-arrow on the same fixture batches; %%spark to first display.
    """;

if (args is ["--trino-read", var readConnection, var readMode, var readSql]) return await TrinoBenchmark.ChildAsync(readConnection, readMode, readSql);
if (args is ["--spark-read", var sparkConnection, var sparkMode, var sparkSql]) return await SparkBenchmark.ChildAsync(sparkConnection, sparkMode, sparkSql);

int runs = 5;
string? only = null;
string? outFile = null;
string suite = "kernel";
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--runs":
                var v = Value();
                if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out runs) || runs < 1)
                    throw new ArgumentException($"--runs needs a positive integer, not '{v}'");
                break;
            case "--only":
                only = Value();
                if (only is not ("csharp" or "python")) throw new ArgumentException($"--only is csharp or python, not '{only}'");
                break;
            case "--out":
                outFile = Value();
                break;
            case "--suite":
                suite = Value();
                if (suite is not ("kernel" or "data" or "gateway" or "trino" or "spark")) throw new ArgumentException($"--suite is kernel, data, gateway, trino or spark, not '{suite}'");
                break;
            case "--kernel":
                KernelKind.KernelOverride = Value();
                break;
            case "-h" or "--help":
                Console.WriteLine(Usage);
                return 0;
            default:
                throw new ArgumentException($"unknown option '{args[i]}'");
        }
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"KernelGateway.Benchmarks: {e.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}

var work = Path.Combine(Path.GetTempPath(), $"kg-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
if (suite == "gateway")
{
    try { return await GatewayBenchmark.RunAsync(work, runs, outFile, CancellationToken.None); }
    finally
    {
        KernelProcess.KillAll();
        try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
if (suite == "trino")
{
    try { return await TrinoBenchmark.RunAsync(work, runs, outFile, CancellationToken.None); }
    finally
    {
        KernelProcess.KillAll();
        try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
if (suite == "spark")
{
    try { return await SparkBenchmark.RunAsync(work, runs, outFile, CancellationToken.None); }
    finally
    {
        KernelProcess.KillAll();
        try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
if (suite == "data")
{
    try { return await DataBenchmark.RunAsync(work, outFile, CancellationToken.None); }
    finally
    {
        KernelProcess.KillAll();
        try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
using var cancel = new CancellationTokenSource();
// Ctrl+C, SIGTERM, SIGHUP: stop measuring, kill the kernels, clean up and exit 130.
var signals = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, context =>
{
    context.Cancel = true;
    cancel.Cancel();
    KernelProcess.KillAll();
})).ToList();
AppDomain.CurrentDomain.ProcessExit += (_, _) => KernelProcess.KillAll();

var kinds = new List<KernelKind>();
if (only is null or "csharp")
{
    if (KernelKind.KernelOverride is null && !File.Exists(KernelKind.KernelGatewayDll))
    {
        Console.Error.WriteLine($"KernelGateway.Benchmarks: {KernelKind.KernelGatewayDll} does not exist; build with `dotnet build tests/KernelGateway.Benchmarks -c Release`");
        return 1;
    }
    kinds.Add(KernelKind.CSharp(Path.Combine(work, "kg-data")));
}
if (only is null or "python") kinds.Add(KernelKind.IPyKernel(Path.Combine(work, "ipython")));

var settings = new BenchmarkSettings(runs);
var started = DateTimeOffset.Now;
var loadBefore = LoadAverage();
var results = new Dictionary<string, KernelResults>();
try
{
    foreach (var kind in kinds)
    {
        cancel.Token.ThrowIfCancellationRequested();
        Console.Error.WriteLine($"{kind.DisplayName}: {kind.FileName} {string.Join(' ', kind.Arguments("<connection_file>"))}");
        results[kind.Id] = await new KernelBenchmark(kind, settings, work, Console.Error).RunAsync(cancel.Token);
    }
}
catch (Exception) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
finally
{
    KernelProcess.KillAll();
    try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

foreach (var registration in signals) registration.Dispose();
var report = Report(results, settings, started, loadBefore, LoadAverage());
Console.WriteLine(report);
if (outFile is not null)
{
    var full = Path.GetFullPath(outFile);
    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
    File.WriteAllText(full, report);
    Console.Error.WriteLine($"wrote {full}");
}
return results.Values.Any(r => r.Error is not null) ? 1 : 0;

static string Report(Dictionary<string, KernelResults> results, BenchmarkSettings s, DateTimeOffset started, string loadBefore, string loadAfter)
{
    results.TryGetValue("csharp", out var cs);
    results.TryGetValue("python", out var py);
    var sb = new StringBuilder();
    sb.AppendLine("## KernelGateway benchmark: C# kernel vs ipykernel");
    sb.AppendLine();
    sb.AppendLine($"- date: {started:yyyy-MM-dd HH:mm:ss zzz}");
    sb.AppendLine($"- machine: nproc {Environment.ProcessorCount}, {CpuModel()}, {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}");
    sb.AppendLine($"- load average (1/5/15 min): before {loadBefore}, after {loadAfter}");
    sb.AppendLine($"- harness: .NET {Environment.Version}; {s.Runs} start(s) per kernel; round trip over {s.RoundTrips} after {s.WarmUp} warm-up; print cell run {s.PrintRuns} times (median)");
    if (cs?.Implementation is { } ci) sb.AppendLine($"- C# kernel: {ci}");
    if (py?.Implementation is { } pi) sb.AppendLine($"- ipykernel: ipykernel {IPyKernelVersion()}, {pi}, started with {KernelKind.Python} -m ipykernel_launcher -f <connection_file>");
    sb.AppendLine();
    sb.AppendLine("| metric | C# kernel | ipykernel | ratio (C# / ipykernel) |");
    sb.AppendLine("|---|---:|---:|---:|");

    void Row(string metric, Func<KernelResults, double?> value, string format)
    {
        double? Get(KernelResults? r) => r is not null && value(r) is double d && !double.IsNaN(d) ? d : null;
        string Cell(KernelResults? r, double? v) => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : r is null ? "–" : r.Error is not null ? "failed" : "n/a";
        var a = Get(cs);
        var b = Get(py);
        var ratio = a is double x && b is double y && y != 0 ? $"{x / y:F2}x" : "–";
        sb.AppendLine($"| {metric} | {Cell(cs, a)} | {Cell(py, b)} | {ratio} |");
    }

    static double? Median(List<double> values) => values.Count == 0 ? null : Stats.Median(values);
    static (double Ms, int StreamMessages)? MedianPrint(KernelResults r) =>
        r.Prints.Count == 0 ? null : r.Prints.OrderBy(p => p.Ms).ElementAt((r.Prints.Count - 1) / 2);

    Row($"start → first kernel_info_reply, median of {s.Runs} (ms, lower is better)", r => Median(r.KernelInfoMs), "F0");
    Row($"start → first execute_result of `1+1`, median of {s.Runs} (ms, lower is better)", r => Median(r.FirstResultMs), "F0");
    Row("execute `1+1` → reply + idle, p50 (ms, lower is better)", r => r.RoundTripMs.Count == 0 ? null : Stats.Percentile(r.RoundTripMs, 50), "F2");
    Row("execute `1+1` → reply + idle, p95 (ms, lower is better)", r => r.RoundTripMs.Count == 0 ? null : Stats.Percentile(r.RoundTripMs, 95), "F2");
    Row($"print {s.PrintLines / 1000}k lines, request → idle (lines/s, higher is better)", r => MedianPrint(r) is { } p ? s.PrintLines / (p.Ms / 1000) : null, "N0");
    Row($"print {s.PrintLines / 1000}k lines, request → idle (ms)", r => MedianPrint(r)?.Ms, "F0");
    Row($"print {s.PrintLines / 1000}k lines, stream messages", r => MedianPrint(r)?.StreamMessages, "F0");
    Row("kernel RSS just after its first execute_result (MiB, VmRSS)", r => r.StartRssKb / 1024.0, "F1");
    Row($"kernel RSS after the {s.WarmUp + s.RoundTrips} round trips (MiB, VmRSS)", r => r.AfterRoundTripsRssKb / 1024.0, "F1");
    Row("idle kernel RSS after the above (MiB, VmRSS)", r => r.IdleRssKb / 1024.0, "F1");
    Row("peak kernel RSS (MiB, VmHWM)", r => r.PeakRssKb / 1024.0, "F1");

    sb.AppendLine();
    foreach (var (name, r) in new[] { ("C# kernel", cs), ("ipykernel", py) })
    {
        if (r is null) continue;
        sb.AppendLine($"- {name} starts (ms): kernel_info_reply [{string.Join(", ", r.KernelInfoMs.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))}], " +
            $"first execute_result [{string.Join(", ", r.FirstResultMs.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))}]; " +
            $"print runs (ms): [{string.Join(", ", r.Prints.Select(p => p.Ms.ToString("F0", CultureInfo.InvariantCulture)))}]");
        if (r.Error is not null) sb.AppendLine($"- {name} FAILED: {r.Error}");
    }
    return sb.ToString();
}

static string IPyKernelVersion()
{
    try
    {
        var psi = new System.Diagnostics.ProcessStartInfo(KernelKind.Python, ["-c", "import ipykernel; print(ipykernel.__version__)"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            p.Kill(entireProcessTree: true);
            return "?";
        }
        return stdout.Result.Trim();
    }
    catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
    {
        return "?";
    }
}

static string LoadAverage()
{
    try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
    catch (IOException) { return "?"; }
}

static string CpuModel()
{
    try
    {
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
    }
    catch (IOException) { return "unknown CPU"; }
}
