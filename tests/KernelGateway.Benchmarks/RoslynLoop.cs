using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Threading.Channels;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace KernelGateway.Benchmarks;

/// <summary>
/// The floor under the C# kernel's round trip: Roslyn scripting with nothing around it (no protocol, no formatting),
/// <c>CSharpScript.RunAsync("1+1")</c> and then <c>state.ContinueWithAsync("1+1")</c> in a loop, in a child process of
/// the benchmark (<c>--roslyn-loop</c>) so that it has its own JIT and GC, as a kernel does. The child answers a line
/// protocol on stdin/stdout: it prints <c>ready 2 VERSION</c> after its first result, then answers <c>time N</c>
/// (N continuations, each timed inside the child: <c>times MS MS ...</c>), <c>run N</c> (<c>ran</c>) and <c>gc</c>
/// (a full, aggressive collection: <c>collected</c>). It is measured as a kernel is: start → first result, p50/p95 of
/// the continuation, RSS/USS/PSS after the first result, and growth over N continuations.
/// </summary>
public static class RoslynLoop
{
    public const string Id = "roslyn";
    public const string DisplayName = "bare Roslyn loop";
    private const string Cell = "1+1";
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The child: a Roslyn scripting loop driven from stdin.</summary>
    public static async Task<int> ChildAsync()
    {
        var options = ScriptOptions.Default
            .AddReferences(typeof(Enumerable).Assembly, typeof(List<>).Assembly)
            .WithImports("System", "System.Collections.Generic", "System.Linq");
        var state = await CSharpScript.RunAsync(Cell, options);
        var version = typeof(CSharpScript).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        Console.WriteLine($"ready {state.ReturnValue} {version.Split('+')[0]}");
        var clock = new Stopwatch();
        while (Console.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            var n = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
            switch (parts[0])
            {
                case "time":
                    var times = new string[n];
                    for (var i = 0; i < n; i++)
                    {
                        clock.Restart();
                        state = await state.ContinueWithAsync(Cell);
                        clock.Stop();
                        if (state.ReturnValue is not 2) throw new InvalidOperationException($"{Cell} gave {state.ReturnValue}");
                        times[i] = clock.Elapsed.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture);
                    }
                    Console.WriteLine("times " + string.Join(' ', times));
                    break;
                case "run":
                    for (var i = 0; i < n; i++) state = await state.ContinueWithAsync(Cell);
                    Console.WriteLine("ran");
                    break;
                case "gc":
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    Console.WriteLine("collected");
                    break;
                default:
                    Console.Error.WriteLine($"unknown command '{line}'");
                    return 2;
            }
        }
        return 0;
    }

    /// <summary>The Roslyn scripting version the kernel being measured ships, read from its directory.</summary>
    public static string KernelScriptingVersion()
    {
        var dll = Path.Combine(KernelKind.KernelDirectory, "Microsoft.CodeAnalysis.CSharp.Scripting.dll");
        return File.Exists(dll) ? FileVersionInfo.GetVersionInfo(dll).ProductVersion?.Split('+')[0] ?? "?" : "none";
    }

    /// <summary>Measures the loop as <see cref="KernelBenchmark"/> measures a kernel; a failure is recorded in the results.</summary>
    public static async Task<KernelResults> MeasureAsync(BenchmarkSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var results = new KernelResults();
        if (BenchmarkMachine.LoadAverage() is double load) results.Loads.Add(load);
        Child? child = null;
        try
        {
            for (var run = 1; run <= settings.Runs; run++)
            {
                child?.Dispose();
                child = null;
                var clock = Stopwatch.StartNew();
                child = Child.Start();
                var ready = (await child.NextLineAsync(cancellationToken)).Split(' ');
                results.FirstResultMs.Add(clock.Elapsed.TotalMilliseconds);
                if (ready is not ["ready", "2", var version]) throw new InvalidOperationException($"the loop said '{string.Join(' ', ready)}'");
                results.Implementation = $"Microsoft.CodeAnalysis.CSharp.Scripting {version} (the kernel's: {KernelScriptingVersion()})";
                results.StartRssKb = child.Process.StatusKilobytes("VmRSS");
                results.StartMemory = child.Process.Memory();
                if (results.StartMemory is { } sample) results.StartSamples.Add(sample);
                log.WriteLine($"  [{Id}] start {run}/{settings.Runs}: first result {results.FirstResultMs[^1]:F0} ms");
                if (run < settings.Runs) await Task.Delay(300, cancellationToken);
            }

            var times = (await child!.AskAsync($"time {settings.WarmUp + settings.RoundTrips}", "times", cancellationToken)).Split(' ')[1..];
            results.RoundTripMs.AddRange(times.Skip(settings.WarmUp).Select(t => double.Parse(t, CultureInfo.InvariantCulture)));
            results.AfterRoundTripsRssKb = child.Process.StatusKilobytes("VmRSS");
            log.WriteLine($"  [{Id}] continuation p50 {Stats.Percentile(results.RoundTripMs, 50):F2} ms, p95 {Stats.Percentile(results.RoundTripMs, 95):F2} ms");

            if (settings.GrowthCells > 0)
            {
                async Task<MemorySample?> CollectedAsync()
                {
                    await child.AskAsync("gc", "collected", cancellationToken);
                    await Task.Delay(BenchmarkSettings.Settle, cancellationToken);
                    return child.Process.Memory();
                }
                results.GrowthBefore = await CollectedAsync();
                await child.AskAsync($"run {settings.GrowthCells}", "ran", cancellationToken);
                results.GrowthAfter = await CollectedAsync();
                results.GrowthCells = settings.GrowthCells;
                log.WriteLine($"  [{Id}] {settings.GrowthCells} continuations: RSS {results.GrowthBefore?.RssMiB:F1} → {results.GrowthAfter?.RssMiB:F1} MiB, USS {results.GrowthBefore?.UssMiB:F1} → {results.GrowthAfter?.UssMiB:F1} MiB");
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // idle, as the kernels are
            results.IdleRssKb = child.Process.StatusKilobytes("VmRSS");
            results.IdleMemory = child.Process.Memory();
            results.PeakRssKb = child.Process.StatusKilobytes("VmHWM");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            results.Error = e.Message;
            log.WriteLine($"  [{Id}] FAILED: {e.GetType().Name}: {e.Message}");
            if (child is not null) log.WriteLine($"  [{Id}] output (last lines):{Environment.NewLine}{child.Process.Tail}");
        }
        finally
        {
            child?.Dispose();
        }
        return results;
    }

    /// <summary>The started child and its stdout lines.</summary>
    private sealed class Child : IDisposable
    {
        private readonly Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

        private Child() { }

        public KernelProcess Process { get; private set; } = null!;

        public static Child Start()
        {
            var child = new Child();
            child.Process = KernelProcess.StartCommand(DisplayName, KernelKind.DotnetHost, [typeof(RoslynLoop).Assembly.Location, "--roslyn-loop"],
                new Dictionary<string, string>(), redirectInput: true, onOutputLine: line => child._lines.Writer.TryWrite(line));
            return child;
        }

        public async Task<string> NextLineAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AnswerTimeout);
            var next = _lines.Reader.ReadAsync(timeout.Token).AsTask();
            var exitedAt = DateTime.MaxValue;
            while (!next.IsCompleted)
            {
                // An exited child's last lines may still be on their way: wait a moment before giving up on them.
                if (Process.HasExited && exitedAt == DateTime.MaxValue) exitedAt = DateTime.UtcNow;
                if (DateTime.UtcNow - exitedAt > TimeSpan.FromSeconds(1)) throw new InvalidOperationException($"the loop exited: {Process.Tail}");
                await Task.WhenAny(next, Task.Delay(100, CancellationToken.None));
            }
            try { return await next; }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the loop did not answer within {AnswerTimeout.TotalSeconds:F0} s");
            }
        }

        /// <summary>Sends a command and returns the answer, which must start with <paramref name="answer"/>.</summary>
        public async Task<string> AskAsync(string command, string answer, CancellationToken cancellationToken)
        {
            await Process.StandardInput.WriteLineAsync(command);
            await Process.StandardInput.FlushAsync(cancellationToken);
            var line = await NextLineAsync(cancellationToken);
            return line.StartsWith(answer, StringComparison.Ordinal) ? line : throw new InvalidOperationException($"'{command}' was answered '{line}'");
        }

        public void Dispose() => Process.Dispose();
    }
}
