using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Tests;

namespace KernelGateway.Benchmarks;

/// <summary>
/// <c>--suite kernel</c>: the C# kernel and ipykernel side by side (<see cref="KernelBenchmark"/> on each in turn).
/// <c>--suite weight</c>: issue 9's figures in one run, each kernel alone in turn: ours, ipykernel, .NET Interactive's own
/// Jupyter kernel and the bare Roslyn loop (<see cref="RoslynLoop"/>) — start → first result, the trivial round trip,
/// RSS/USS/PSS after the first result, growth over 1,000 trivial cells, 100k printed lines — checked against the issue's
/// targets as ratios to the peers of the same run; with <c>--env-matrix</c>, our kernel again under each process-settings
/// variant of <see cref="Matrix"/> (start, round trip, memory).
/// </summary>
public static class KernelSuite
{
    /// <summary>A set of runtime settings our kernel can be given through its kernelspec's env.</summary>
    public sealed record Variant(string Name, IReadOnlyDictionary<string, string> Environment);

    /// <summary>What <c>--env-matrix</c> runs our kernel under, besides its default.</summary>
    public static readonly IReadOnlyList<Variant> Matrix =
    [
        new("TieredCompilation on, TieredPGO off", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "1", ["DOTNET_TieredPGO"] = "0" }),
        // Quick JIT for loops (with OSR) is on by default since .NET 7: the variant is the other way round.
        new("TieredCompilation on, QuickJitForLoops off", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "1", ["DOTNET_TC_QuickJitForLoops"] = "0" }),
        new("TieredCompilation on, OSR sooner", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "1", ["DOTNET_TC_OnStackReplacement_InitialCounter"] = "100", ["DOTNET_OSR_HitLimit"] = "2" }),
        // The kernelspec turns tiered compilation off (KernelSpecInstaller.ProcessSettings): these put it back on.
        new("TieredCompilation on", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "1" }),
        new("TieredCompilation on, tier up after 1000 calls", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "1", ["DOTNET_TC_CallCountThreshold"] = "1000" }),
        new("ReadyToRun off", new Dictionary<string, string> { ["DOTNET_ReadyToRun"] = "0" }),
        new("gen0 4 MiB", new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_GCgen0size"] = "0x400000" }),
        new("gen0 16 MiB", new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_GCgen0size"] = "0x1000000" }),
        new("heap limit 160 MiB", new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0xA000000" }),
        new("ConserveMemory 5", new Dictionary<string, string> { ["DOTNET_GCConserveMemory"] = "5" }),
    ];

    private const int GrowthCells = 1000;

    /// <summary>One measured kernel (or the loop) and how it was started.</summary>
    private sealed record Measured(string Id, string DisplayName, string Command, IReadOnlyList<KeyValuePair<string, string>> Settings, KernelResults Results);

    /// <summary>Runs <paramref name="suite"/> (kernel or weight), prints the report and writes it to <paramref name="outFile"/> (markdown for kernel, JSON for weight).</summary>
    public static async Task<int> RunAsync(string suite, string work, int runs, string? only, bool matrix, string? outFile, CancellationToken cancellationToken)
    {
        if (KernelKind.KernelOverride is null && !File.Exists(KernelKind.KernelGatewayDll))
        {
            Console.Error.WriteLine($"KernelGateway.Benchmarks: {KernelKind.KernelGatewayDll} does not exist; build with `dotnet build tests/KernelGateway.Benchmarks -c Release`");
            return 1;
        }
        var log = Console.Error;
        var weight = suite == "weight";
        var settings = weight ? new BenchmarkSettings(runs, GrowthCells: GrowthCells) : new BenchmarkSettings(runs);
        var started = DateTimeOffset.Now;
        var loadBefore = BenchmarkMachine.LoadAverages();
        var measured = new List<Measured>();
        var variants = new List<Measured>();

        async Task MeasureAsync(KernelKind kind, BenchmarkSettings s, List<Measured> into)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var command = $"{kind.FileName} {string.Join(' ', kind.Arguments("<connection_file>"))}";
            log.WriteLine($"{kind.DisplayName}: {command}{string.Concat(kind.Settings.Select(e => $" {e.Key}={e.Value}"))}");
            var results = await new KernelBenchmark(kind, s, work, log).RunAsync(cancellationToken);
            into.Add(new Measured(kind.Id, kind.DisplayName, command, [.. kind.Settings], results));
        }

        var data = Path.Combine(work, "kg-data");
        if (only is null or "csharp") await MeasureAsync(KernelKind.CSharp(data), settings, measured);
        if (only is null or "python") await MeasureAsync(KernelKind.IPyKernel(Path.Combine(work, "ipython")), settings, measured);
        if (weight && only is null or "dotnet-interactive")
        {
            KernelKind? interactive = null;
            try { interactive = await DotnetInteractivePeer.PrepareAsync(work, log); }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
            {
                log.WriteLine($"dotnet-interactive: FAILED to prepare: {e.Message}");
                measured.Add(new Measured("dotnet-interactive", "dotnet-interactive", "?", [], new KernelResults { Error = e.Message }));
            }
            if (interactive is not null) await MeasureAsync(interactive, settings, measured);
        }
        if (weight && only is null or RoslynLoop.Id)
        {
            log.WriteLine($"{RoslynLoop.DisplayName}: {KernelKind.DotnetHost} {typeof(RoslynLoop).Assembly.Location} --roslyn-loop");
            measured.Add(new Measured(RoslynLoop.Id, RoslynLoop.DisplayName, $"{KernelKind.DotnetHost} KernelGateway.Benchmarks.dll --roslyn-loop", [],
                await RoslynLoop.MeasureAsync(settings, log, cancellationToken)));
        }
        if (matrix)
        {
            // Round-robin, one start of each variant a round, so that a change in the shared machine's load falls on
            // all of them alike; a variant's figures are over all its rounds.
            var light = settings with { Runs = 1, GrowthCells = 0, PrintRuns = 0 };
            var kinds = Matrix.Select(v => KernelKind.CSharp(data, $"csharp:{v.Name}", v.Name, v.Environment)).Prepend(KernelKind.CSharp(data, "csharp:default", "default")).ToList();
            var merged = kinds.ToDictionary(k => k.Id, _ => new KernelResults());
            for (var round = 1; round <= runs; round++)
            {
                var roundResults = new List<Measured>();
                foreach (var kind in kinds) await MeasureAsync(kind, light, roundResults);
                foreach (var m in roundResults) merged[m.Id].Absorb(m.Results);
            }
            variants.AddRange(kinds.Select(k => new Measured(k.Id, k.DisplayName, $"{k.FileName} {string.Join(' ', k.Arguments("<connection_file>"))}", [.. k.Settings], merged[k.Id])));
        }

        var loadAfter = BenchmarkMachine.LoadAverages();
        var report = weight
            ? WeightReport(measured, variants, settings, started, loadBefore, loadAfter)
            : KernelReport(measured, variants, settings, started, loadBefore, loadAfter);
        Console.WriteLine(report);
        if (outFile is not null)
        {
            var full = Path.GetFullPath(outFile);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, weight ? Json(suite, measured, variants, settings, started, loadBefore, loadAfter) : report, cancellationToken);
            log.WriteLine($"wrote {full}");
        }
        // A peer's incomplete output is its own business; ours fails the run.
        return measured.Concat(variants).Any(m => m.Results.Error is not null || m.Id == "csharp" && m.Results.PrintError is not null) ? 1 : 0;
    }

    private static string Header(string title, List<Measured> measured, BenchmarkSettings s, DateTimeOffset started, string loadBefore, string loadAfter)
    {
        var sb = new StringBuilder();
        sb.AppendLine(title);
        sb.AppendLine();
        sb.AppendLine($"- date: {started:yyyy-MM-dd HH:mm:ss zzz}");
        sb.AppendLine($"- machine: nproc {Environment.ProcessorCount}, {BenchmarkMachine.CpuModel()}, {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}");
        sb.AppendLine($"- load average (1/5/15 min): before {loadBefore}, after {loadAfter}; 1-min load as each began (the machine is shared): " +
            string.Join(", ", measured.Select(m => $"{m.DisplayName} {(m.Results.Loads.Count == 0 ? "?" : m.Results.Loads.Average().ToString("F1", CultureInfo.InvariantCulture))}")));
        sb.AppendLine($"- harness: .NET {Environment.Version}; {s.Runs} start(s) per kernel; round trip over {s.RoundTrips} after {s.WarmUp} warm-up; " +
            $"print cell run {s.PrintRuns} times (median){(s.GrowthCells > 0 ? $"; growth over {s.GrowthCells} trivial cells, each end sampled after a full collection and {BenchmarkSettings.Settle.TotalSeconds:F0} s idle" : "")}");
        foreach (var m in measured)
        {
            var implementation = m.Id == "python" && m.Results.Implementation is { } pi ? $"ipykernel {IPyKernelVersion()}, {pi}" : m.Results.Implementation ?? "?";
            var settings = m.Settings.Count == 0 ? "" : $" with {string.Join(' ', m.Settings.Select(e => $"{e.Key}={e.Value}"))}";
            sb.AppendLine($"- {m.DisplayName}: {implementation}; `{m.Command}`{settings}");
        }
        sb.AppendLine();
        return sb.ToString();
    }

    private static string KernelReport(List<Measured> measured, List<Measured> variants, BenchmarkSettings s, DateTimeOffset started, string loadBefore, string loadAfter)
    {
        var sb = new StringBuilder(Header("## KernelGateway benchmark: C# kernel vs ipykernel", measured, s, started, loadBefore, loadAfter));
        Table(sb, measured, s);
        Starts(sb, measured);
        Variants(sb, variants, s);
        return sb.ToString();
    }

    private static string WeightReport(List<Measured> measured, List<Measured> variants, BenchmarkSettings s, DateTimeOffset started, string loadBefore, string loadAfter)
    {
        var sb = new StringBuilder(Header("## KernelGateway benchmark: the C# kernel's weight (issue 9)", measured, s, started, loadBefore, loadAfter));
        Table(sb, measured, s);
        sb.AppendLine();
        sb.AppendLine("| issue 9 target | measured | target | met |");
        sb.AppendLine("|---|---:|---:|:---:|");
        foreach (var t in Targets(measured, s))
            sb.AppendLine($"| {t.Name} | {(t.Value is double v ? v.ToString(t.Format, CultureInfo.InvariantCulture) : "–")} | {t.Limit} | {(t.Met is bool met ? met ? "yes" : "**no**" : "–")} |");
        Starts(sb, measured);
        Variants(sb, variants, s);
        return sb.ToString();
    }

    /// <summary>One row per metric, one column per kernel; with exactly two, the ratio of the first to the second.</summary>
    private static void Table(StringBuilder sb, List<Measured> measured, BenchmarkSettings s)
    {
        var ratio = measured.Count == 2;
        sb.AppendLine($"| metric | {string.Join(" | ", measured.Select(m => m.DisplayName))} |{(ratio ? $" ratio ({measured[0].DisplayName} / {measured[1].DisplayName}) |" : "")}");
        sb.AppendLine($"|---|{string.Concat(measured.Select(_ => "---:|"))}{(ratio ? "---:|" : "")}");
        foreach (var (metric, value, format) in Metrics(s))
        {
            var values = measured.Select(m => Value(m.Results, value)).ToList();
            var cells = measured.Zip(values, (m, v) => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : m.Results.Error is not null ? "failed" : "n/a");
            var r = ratio && values[0] is double x && values[1] is double y && y != 0 ? $" {x / y:F2}x |" : ratio ? " – |" : "";
            sb.AppendLine($"| {metric} | {string.Join(" | ", cells)} |{r}");
        }
    }

    private static double? Value(KernelResults r, Func<KernelResults, double?> value) => value(r) is double d && !double.IsNaN(d) ? d : null;

    private static IEnumerable<(string Metric, Func<KernelResults, double?> Value, string Format)> Metrics(BenchmarkSettings s)
    {
        yield return ($"start → first kernel_info_reply, median of {s.Runs} (ms, lower is better)", r => Median(r.KernelInfoMs), "F0");
        yield return ($"start → first execute_result of `1+1`, median of {s.Runs} (ms, lower is better)", r => Median(r.FirstResultMs), "F0");
        yield return ("execute `1+1` → reply + idle, p50 (ms, lower is better)", r => P(r.RoundTripMs, 50), "F2");
        yield return ("execute `1+1` → reply + idle, p95 (ms, lower is better)", r => P(r.RoundTripMs, 95), "F2");
        if (s.PrintRuns > 0)
        {
            yield return ($"print {s.PrintLines / 1000}k lines, request → idle (lines/s, higher is better)", r => LinesPerSecond(r, s), "N0");
            yield return ($"print {s.PrintLines / 1000}k lines, request → idle (ms)", r => MedianPrint(r)?.Ms, "F0");
            yield return ($"print {s.PrintLines / 1000}k lines, stream messages", r => MedianPrint(r)?.StreamMessages, "F0");
        }
        yield return ("RSS just after the first execute_result (MiB, VmRSS)", r => r.StartRssKb / 1024.0, "F1");
        yield return ("… USS (MiB, Private_Clean + Private_Dirty)", r => r.StartMemory?.UssMiB, "F1");
        yield return ("… PSS (MiB)", r => r.StartMemory?.PssMiB, "F1");
        yield return ($"RSS after the {s.WarmUp + s.RoundTrips} round trips (MiB, VmRSS)", r => r.AfterRoundTripsRssKb / 1024.0, "F1");
        if (s.GrowthCells > 0)
        {
            yield return ($"RSS after a full GC, before {s.GrowthCells} trivial cells (MiB)", r => r.GrowthBefore?.RssMiB, "F1");
            yield return ("… USS (MiB)", r => r.GrowthBefore?.UssMiB, "F1");
            yield return ($"RSS after the {s.GrowthCells} cells and a full GC (MiB)", r => r.GrowthAfter?.RssMiB, "F1");
            yield return ("… USS (MiB)", r => r.GrowthAfter?.UssMiB, "F1");
            yield return ("growth per cell, RSS (KiB/cell)", r => r.RssGrowthKbPerCell, "F1");
            yield return ("growth per cell, USS (KiB/cell)", r => r.UssGrowthKbPerCell, "F1");
        }
        yield return ("idle RSS at the end (MiB, VmRSS)", r => r.IdleRssKb / 1024.0, "F1");
        yield return ("… USS (MiB)", r => r.IdleMemory?.UssMiB, "F1");
        yield return ("peak RSS (MiB, VmHWM)", r => r.PeakRssKb / 1024.0, "F1");
    }

    private static double? Median(List<double> values) => values.Count == 0 ? null : Stats.Median(values);
    private static double? P(List<double> values, double p) => values.Count == 0 ? null : Stats.Percentile(values, p);
    private static (double Ms, int StreamMessages)? MedianPrint(KernelResults r) =>
        r.Prints.Count == 0 ? null : r.Prints.OrderBy(p => p.Ms).ElementAt((r.Prints.Count - 1) / 2);
    private static double? LinesPerSecond(KernelResults r, BenchmarkSettings s) => MedianPrint(r) is { } p ? s.PrintLines / (p.Ms / 1000) : null;

    private sealed record Target(string Name, double? Value, string Format, string Limit, bool? Met);

    /// <summary>Issue 9's targets for our kernel, as absolute figures or ratios to the peers of the same run.</summary>
    private static List<Target> Targets(List<Measured> measured, BenchmarkSettings s)
    {
        KernelResults? Of(string id) => measured.FirstOrDefault(m => m.Id == id)?.Results;
        var ours = Of("csharp");
        var python = Of("python");
        var interactive = Of("dotnet-interactive");
        var roslyn = Of(RoslynLoop.Id);
        double? Ratio(double? a, double? b) => a is double x && b is double y && y > 0 ? x / y : null;
        Target AtMost(string name, double? value, double limit, string format, string unit) =>
            new(name, value, format, $"≤ {limit.ToString(format, CultureInfo.InvariantCulture)}{unit}", value is double v ? v <= limit : null);

        var first = ours is null ? null : Median(ours.FirstResultMs);
        var p50 = ours is null ? null : P(ours.RoundTripMs, 50);
        var lines = ours is null ? null : LinesPerSecond(ours, s);
        return
        [
            AtMost("first C# execute_result from process start (ms)", first, 1000, "F0", " ms"),
            AtMost("… as a multiple of ipykernel's first result from its process start", Ratio(first, python is null ? null : Median(python.FirstResultMs)), 2, "F2", "×"),
            AtMost("round trip p50 as a multiple of the bare Roslyn continuation's p50", Ratio(p50, roslyn is null ? null : P(roslyn.RoundTripMs, 50)), 1.2, "F2", "×"),
            AtMost("round trip p50 as a multiple of dotnet-interactive's p50", Ratio(p50, interactive is null ? null : P(interactive.RoundTripMs, 50)), 0.5, "F2", "×"),
            AtMost("RSS after the first result (MiB)", ours?.StartMemory?.RssMiB, 160, "F0", " MiB"),
            AtMost("private memory (USS) after the first result (MiB)", ours?.StartMemory?.UssMiB, 120, "F0", " MiB"),
            AtMost($"RSS growth per trivial cell over {s.GrowthCells} (MiB)", ours?.RssGrowthKbPerCell / 1024, 0.2, "F3", " MiB"),
            AtMost($"USS growth per trivial cell over {s.GrowthCells} (MiB)", ours?.UssGrowthKbPerCell / 1024, 0.2, "F3", " MiB"),
            new($"{s.PrintLines / 1000}k printed lines (lines/s)", lines, "N0", "≥ 1,000,000", lines is double l ? l >= 1_000_000 : null),
        ];
    }

    private static void Starts(StringBuilder sb, List<Measured> measured)
    {
        sb.AppendLine();
        foreach (var m in measured)
        {
            var r = m.Results;
            sb.AppendLine($"- {m.DisplayName} starts (ms): kernel_info_reply [{Join(r.KernelInfoMs)}], first result [{Join(r.FirstResultMs)}]; print runs (ms): [{Join(r.Prints.Select(p => p.Ms))}]");
            if (r.Error is not null) sb.AppendLine($"- {m.DisplayName} FAILED: {OneLine(r.Error)}");
            if (r.PrintError is not null) sb.AppendLine($"- {m.DisplayName}: print not measured: {OneLine(r.PrintError)}");
        }
    }

    /// <summary>Our kernel under each variant of the matrix: a compact table of start, round trip and memory.</summary>
    private static void Variants(StringBuilder sb, List<Measured> variants, BenchmarkSettings s)
    {
        if (variants.Count == 0) return;
        sb.AppendLine();
        sb.AppendLine($"Our kernel under process settings (kernelspec env): {s.Runs} round(s), each starting every variant once in turn and running " +
            $"{s.WarmUp} + {s.RoundTrips} round trips; medians over the rounds (memory just after the first result):");
        sb.AppendLine();
        sb.AppendLine("| variant | env | first result (ms) | round trip p50 (ms) | p95 (ms) | RSS (MiB) | USS (MiB) | PSS (MiB) | load (1 min) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        string F(double? v, string format) => v is double d && !double.IsNaN(d) ? d.ToString(format, CultureInfo.InvariantCulture) : "–";
        foreach (var v in variants)
        {
            var r = v.Results;
            var env = string.Join(" ", v.Settings.Where(e => e.Key.StartsWith("DOTNET_", StringComparison.Ordinal)).Select(e => $"`{e.Key}={e.Value}`"));
            var first = r.Error is not null ? $"failed: {OneLine(r.Error)}" : F(Median(r.FirstResultMs), "F0");
            double? Mem(Func<MemorySample, double> f) => r.StartSamples.Count == 0 ? null : Stats.Median([.. r.StartSamples.Select(f)]);
            sb.AppendLine($"| {v.DisplayName} | {env} | {first} | {F(P(r.RoundTripMs, 50), "F2")} | {F(P(r.RoundTripMs, 95), "F2")} | " +
                $"{F(Mem(m => m.RssMiB), "F1")} | {F(Mem(m => m.UssMiB), "F1")} | {F(Mem(m => m.PssMiB), "F1")} | {F(r.Loads.Count == 0 ? null : r.Loads.Average(), "F1")} |");
        }
    }

    private static string Json(string suite, List<Measured> measured, List<Measured> variants, BenchmarkSettings s, DateTimeOffset started, string loadBefore, string loadAfter)
    {
        JsonNode? Memory(MemorySample? m) => m is null ? null : new JsonObject { ["rss_mib"] = Round(m.RssMiB), ["uss_mib"] = Round(m.UssMiB), ["pss_mib"] = Round(m.PssMiB) };
        JsonNode? Num(double? v) => v is double d && !double.IsNaN(d) ? JsonValue.Create(Round(d)) : null;
        JsonObject Kernel(Measured m)
        {
            var r = m.Results;
            return new JsonObject
            {
                ["id"] = m.Id,
                ["name"] = m.DisplayName,
                ["command"] = m.Command,
                ["env"] = new JsonObject(m.Settings.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
                ["implementation"] = r.Implementation,
                ["error"] = r.Error,
                ["kernel_info_ms"] = new JsonArray([.. r.KernelInfoMs.Select(v => (JsonNode?)Round(v))]),
                ["first_result_ms"] = new JsonArray([.. r.FirstResultMs.Select(v => (JsonNode?)Round(v))]),
                ["first_result_ms_median"] = Num(Median(r.FirstResultMs)),
                ["load_1min"] = new JsonArray([.. r.Loads.Select(v => (JsonNode?)v)]),
                ["round_trip_ms"] = new JsonObject { ["p50"] = Num(P(r.RoundTripMs, 50)), ["p95"] = Num(P(r.RoundTripMs, 95)), ["count"] = r.RoundTripMs.Count },
                ["print"] = new JsonObject
                {
                    ["lines"] = s.PrintLines,
                    ["runs_ms"] = new JsonArray([.. r.Prints.Select(p => (JsonNode?)Round(p.Ms))]),
                    ["lines_per_s"] = Num(LinesPerSecond(r, s)),
                    ["error"] = r.PrintError,
                },
                ["memory"] = new JsonObject
                {
                    ["after_first_result"] = Memory(r.StartMemory),
                    ["after_each_first_result"] = new JsonArray([.. r.StartSamples.Select(Memory)]),
                    ["after_round_trips_rss_mib"] = Num(r.AfterRoundTripsRssKb / 1024.0),
                    ["before_cells"] = Memory(r.GrowthBefore),
                    ["after_cells"] = Memory(r.GrowthAfter),
                    ["idle"] = Memory(r.IdleMemory),
                    ["peak_rss_mib"] = Num(r.PeakRssKb / 1024.0),
                },
                ["growth"] = new JsonObject
                {
                    ["cells"] = r.GrowthCells,
                    ["rss_kib_per_cell"] = Num(r.RssGrowthKbPerCell),
                    ["uss_kib_per_cell"] = Num(r.UssGrowthKbPerCell),
                },
            };
        }
        var json = new JsonObject
        {
            ["suite"] = suite,
            ["date"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject
            {
                ["nproc"] = Environment.ProcessorCount,
                ["cpu"] = BenchmarkMachine.CpuModel(),
                ["os"] = RuntimeInformation.OSDescription,
                ["load_before"] = loadBefore,
                ["load_after"] = loadAfter,
                ["dotnet"] = Environment.Version.ToString(),
            },
            ["harness"] = new JsonObject
            {
                ["runs"] = s.Runs,
                ["warm_up"] = s.WarmUp,
                ["round_trips"] = s.RoundTrips,
                ["print_runs"] = s.PrintRuns,
                ["growth_cells"] = s.GrowthCells,
            },
            ["kernels"] = new JsonArray([.. measured.Select(m => (JsonNode?)Kernel(m))]),
            ["targets"] = new JsonArray([.. Targets(measured, s).Select(t => (JsonNode?)new JsonObject
            {
                ["target"] = t.Name,
                ["value"] = Num(t.Value),
                ["limit"] = t.Limit,
                ["met"] = t.Met,
            })]),
            ["variants"] = new JsonArray([.. variants.Select(m => (JsonNode?)Kernel(m))]),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>An error on one line of at most 300 characters, for a table (the JSON has it whole).</summary>
    private static string OneLine(string error)
    {
        var line = string.Join(' ', error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Replace("|", "\\|");
        return line.Length <= 300 ? line : line[..300] + "…";
    }

    private static double Round(double v) => Math.Round(v, 3);

    private static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));

    private static string IPyKernelVersion()
    {
        try
        {
            var (exit, stdout, _) = TestEnvironment.RunAsync(KernelKind.Python, ["-c", "import ipykernel; print(ipykernel.__version__)"], timeout: TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
            return exit == 0 ? stdout.Trim() : "?";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
        {
            return "?";
        }
    }
}
