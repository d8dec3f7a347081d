using System.Globalization;
using System.Runtime.InteropServices;
using KernelGateway.Benchmarks;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string Usage = """
    usage: KernelGateway.Benchmarks [--suite kernel|weight|scale|data|gateway|trino|spark|metastore|jobs|scheduler] [--runs N] [--only csharp|python|dotnet-interactive|roslyn]
                                    [--out file] [--kernel path/to/kernelgateway(.dll)] [--kernel-env NAME=VALUE|NAME=]... [--env-matrix]
                                    [--scale-timeout SECONDS]

      Starts the C# kernel and ipykernel as real processes and measures, side by side: start -> first
      kernel_info_reply and -> first execute_result (median of N starts), the round trip of a trivial cell
      (p50/p95 of 200 after 20 warm-up), printing 100k lines, and the kernel's RSS, USS and PSS.
      --suite weight: issue 9's figures: ours, ipykernel, .NET Interactive's own kernel (dotnet tool, installed once
        into ~/.cache/kernelgateway-benchmarks) and a bare Roslyn scripting loop, plus growth over 1,000 trivial
        cells, checked against the issue's targets. --out writes JSON.
      --suite scale: 20 kernels x 50 WebSocket clients x 10 executes through `kernelgateway serve`, ipykernels then
        our C# kernels in the same run, cold (no pool) and then from a warm pool of 20 per kernelspec; each phase
        bounded by --scale-timeout (120 s). --out writes JSON.
      --suite data: the warehouse, %%sql and the tabular bundle vs pandas.
      --suite gateway: `kernelgateway serve` vs Jupyter Server's kernels API (and the kernels over ZMQ).
      --suite trino: our Trino client vs npm trino-client on the same fixture pages; %%trino to first display.
      --suite spark: our Spark Connect client vs npm apache-arrow on the same fixture batches; %%spark to first display.
      --suite metastore: issue 10's figures over 10,000 DuckDB tables in 500 schemas: search from cache and cold, the
        first describe, and completion from cache through a real kernel, each beside DuckDB's own catalog query.
      --suite jobs: issue 11's figures: a 3-cell python3 notebook by `kernelgateway run` and by nbclient's `jupyter execute`;
        a 16-run grid with -j 4 against one run; a 3-cell C# notebook via --gateway-url on a warm pooled kernel;
        with --papermill-src DIR (or KG_PAPERMILL_SRC), papermill from that source too.
      --suite scheduler: issue 11's scheduler overhead per run (queue, claim, snapshot check, record) on SQLite and on a
        throwaway PostgreSQL cluster; --runs N takes N x 100 samples (at least 200).
      --kernel-env NAME=VALUE (repeatable): run our C# kernel with this variable in every suite, on top of the env of
        the kernelspec the build writes (`kernelgateway kernelspec`); NAME= removes one of those.
      --env-matrix (kernel, weight): also measure our kernel under each built-in process-settings variant
        (TieredPGO, quick JIT for loops, OSR, tiered compilation, ReadyToRun, gen0 size, heap limit, conserve memory).
    """;

if (args is ["--trino-read", var readConnection, var readMode, var readSql]) return await TrinoBenchmark.ChildAsync(readConnection, readMode, readSql);
if (args is ["--spark-read", var sparkConnection, var sparkMode, var sparkSql]) return await SparkBenchmark.ChildAsync(sparkConnection, sparkMode, sparkSql);
if (args is ["--roslyn-loop"]) return await RoslynLoop.ChildAsync();

int runs = 5;
string? only = null;
string? outFile = null;
string suite = "kernel";
var matrix = false;
var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
var scaleTimeout = TimeSpan.FromSeconds(120);
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
                if (only is not ("csharp" or "python" or "dotnet-interactive" or "roslyn"))
                    throw new ArgumentException($"--only is csharp, python, dotnet-interactive (weight) or roslyn (weight), not '{only}'");
                break;
            case "--out":
                outFile = Value();
                break;
            case "--suite":
                suite = Value();
                if (suite is not ("kernel" or "weight" or "scale" or "data" or "gateway" or "trino" or "spark" or "metastore" or "jobs" or "scheduler"))
                    throw new ArgumentException($"--suite is kernel, weight, scale, data, gateway, trino, spark, metastore, jobs or scheduler, not '{suite}'");
                break;
            case "--kernel-env":
                var setting = Value();
                var eq = setting.IndexOf('=');
                if (eq <= 0) throw new ArgumentException($"--kernel-env needs NAME=VALUE, not '{setting}'");
                overrides[setting[..eq]] = setting[(eq + 1)..];
                break;
            case "--env-matrix":
                matrix = true;
                break;
            case "--scale-timeout":
                var t = Value();
                if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
                    throw new ArgumentException($"--scale-timeout needs a positive number of seconds, not '{t}'");
                scaleTimeout = TimeSpan.FromSeconds(seconds);
                break;
            case "--papermill-src":
                JobsBenchmark.PapermillSource = Path.GetFullPath(Value());
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

if (only is "dotnet-interactive" or "roslyn" && suite != "weight")
{
    Console.Error.WriteLine($"KernelGateway.Benchmarks: --only {only} goes with --suite weight");
    return 2;
}
if (matrix && suite is not ("kernel" or "weight"))
{
    Console.Error.WriteLine("KernelGateway.Benchmarks: --env-matrix goes with --suite kernel or weight");
    return 2;
}

// Our kernel runs with its kernelspec's process settings, as users get it, then the --kernel-env overrides.
try { KernelKind.ReadKernelSpecEnvironment(); }
catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"KernelGateway.Benchmarks: could not read the kernelspec of {KernelKind.KernelDirectory}: {e.Message}");
    return 1;
}
foreach (var (name, value) in overrides)
{
    if (value.Length == 0) KernelKind.KernelEnvironment.Remove(name);
    else KernelKind.KernelEnvironment[name] = value;
}

var work = Path.Combine(Path.GetTempPath(), $"kg-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
using var cancel = new CancellationTokenSource();
// Ctrl+C, SIGTERM, SIGHUP: stop measuring, kill the kernels, clean up and exit 130.
var signals = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, context =>
{
    context.Cancel = true;
    cancel.Cancel();
    KernelProcess.KillAll();
})).ToList();
AppDomain.CurrentDomain.ProcessExit += (_, _) => KernelProcess.KillAll();
try
{
    return suite switch
    {
        "gateway" => await GatewayBenchmark.RunAsync(work, runs, outFile, cancel.Token),
        "scale" => await ScaleBenchmark.RunAsync(work, scaleTimeout, outFile, cancel.Token),
        "scheduler" => await SchedulerBenchmark.RunAsync(work, runs, outFile, cancel.Token),
        "trino" => await TrinoBenchmark.RunAsync(work, runs, outFile, cancel.Token),
        "spark" => await SparkBenchmark.RunAsync(work, runs, outFile, cancel.Token),
        "data" => await DataBenchmark.RunAsync(work, outFile, cancel.Token),
        "metastore" => await MetastoreBenchmark.RunAsync(work, runs, outFile, cancel.Token),
        "jobs" => await JobsBenchmark.RunAsync(work, runs, outFile, cancel.Token),
        _ => await KernelSuite.RunAsync(suite, work, runs, only, matrix, outFile, cancel.Token),
    };
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
    foreach (var registration in signals) registration.Dispose();
}
