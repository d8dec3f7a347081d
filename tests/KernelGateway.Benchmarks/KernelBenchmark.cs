using System.Diagnostics;
using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;

namespace KernelGateway.Benchmarks;

/// <summary>What was measured for one kernel.</summary>
public sealed class KernelResults
{
    public List<double> KernelInfoMs { get; } = [];
    public List<double> FirstResultMs { get; } = [];
    public List<double> RoundTripMs { get; } = [];
    public List<(double Ms, int StreamMessages)> Prints { get; } = [];
    public long? StartRssKb { get; set; }
    public long? AfterRoundTripsRssKb { get; set; }
    public long? IdleRssKb { get; set; }
    public long? PeakRssKb { get; set; }

    /// <summary>RSS, USS and PSS just after the last start's first execute_result.</summary>
    public MemorySample? StartMemory { get; set; }

    /// <summary>RSS, USS and PSS just after every start's first execute_result.</summary>
    public List<MemorySample> StartSamples { get; } = [];

    /// <summary>The 1-minute load average as each measurement of this kernel began (the machine is shared).</summary>
    public List<double> Loads { get; } = [];

    /// <summary>After a full collection, before and after <see cref="GrowthCells"/> trivial cells (each sampled once idle).</summary>
    public MemorySample? GrowthBefore { get; set; }
    public MemorySample? GrowthAfter { get; set; }
    public int GrowthCells { get; set; }
    public MemorySample? IdleMemory { get; set; }

    /// <summary>Growth per trivial cell in KiB (RSS, USS), when it was measured.</summary>
    public double? RssGrowthKbPerCell => GrowthBefore is { } b && GrowthAfter is { } a && GrowthCells > 0 ? (double)(a.RssKb - b.RssKb) / GrowthCells : null;
    public double? UssGrowthKbPerCell => GrowthBefore is { } b && GrowthAfter is { } a && GrowthCells > 0 ? (double)(a.UssKb - b.UssKb) / GrowthCells : null;

    public string? Implementation { get; set; }
    public string? Error { get; set; }

    /// <summary>Why the print cell was not measured (its output incomplete at idle), while the rest was.</summary>
    public string? PrintError { get; set; }

    /// <summary>Adds the starts and round trips of another measurement of the same kernel (a later round).</summary>
    public void Absorb(KernelResults other)
    {
        KernelInfoMs.AddRange(other.KernelInfoMs);
        FirstResultMs.AddRange(other.FirstResultMs);
        RoundTripMs.AddRange(other.RoundTripMs);
        StartSamples.AddRange(other.StartSamples);
        Loads.AddRange(other.Loads);
        StartRssKb = other.StartRssKb ?? StartRssKb;
        StartMemory = other.StartMemory ?? StartMemory;
        AfterRoundTripsRssKb = other.AfterRoundTripsRssKb ?? AfterRoundTripsRssKb;
        Implementation ??= other.Implementation;
        Error ??= other.Error;
    }
}

/// <param name="GrowthCells">Trivial cells run between two memory samples taken after a full collection (0: not measured).</param>
/// <param name="PrintRuns">Times the print cell runs (0: not measured).</param>
public sealed record BenchmarkSettings(int Runs, int WarmUp = 20, int RoundTrips = 200, int PrintRuns = 3, int PrintLines = 100_000, int GrowthCells = 0)
{
    /// <summary>How long a kernel is left alone after a collection before its memory is sampled.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan ExecuteTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PrintTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan NudgeInterval = TimeSpan.FromMilliseconds(20);
}

/// <summary>Runs all measurements against one kind of kernel, each start on a new process and connection file.</summary>
public sealed class KernelBenchmark(KernelKind kind, BenchmarkSettings settings, string workDirectory, TextWriter log)
{
    public async Task<KernelResults> RunAsync(CancellationToken cancellationToken)
    {
        var results = new KernelResults();
        if (BenchmarkMachine.LoadAverage() is double load) results.Loads.Add(load);
        KernelProcess? kernel = null;
        KernelClient? client = null;
        try
        {
            for (var run = 1; run <= settings.Runs; run++)
            {
                // Earlier starts are measured only up to their first execute_result.
                client?.Dispose();
                kernel?.Dispose();
                (kernel, client) = (null, null);
                (kernel, client) = await StartOnceAsync(results, cancellationToken);
                log.WriteLine($"  [{kind.Id}] start {run}/{settings.Runs}: kernel_info_reply {results.KernelInfoMs[^1]:F0} ms, first execute_result {results.FirstResultMs[^1]:F0} ms");
                if (run < settings.Runs) await Task.Delay(300, cancellationToken); // let the killed process go before the next start
            }

            // The last started kernel stays up for the steady-state measurements.
            await RoundTripsAsync(client!, results, cancellationToken);
            results.AfterRoundTripsRssKb = kernel!.StatusKilobytes("VmRSS");
            log.WriteLine($"  [{kind.Id}] execute round trip p50 {Stats.Percentile(results.RoundTripMs, 50):F2} ms, p95 {Stats.Percentile(results.RoundTripMs, 95):F2} ms");
            if (settings.GrowthCells > 0)
            {
                await GrowthAsync(client!, kernel, results, cancellationToken);
                log.WriteLine($"  [{kind.Id}] {settings.GrowthCells} cells: RSS {results.GrowthBefore?.RssMiB:F1} → {results.GrowthAfter?.RssMiB:F1} MiB, USS {results.GrowthBefore?.UssMiB:F1} → {results.GrowthAfter?.UssMiB:F1} MiB");
            }
            for (var i = 1; i <= settings.PrintRuns && results.PrintError is null; i++)
            {
                try
                {
                    var (ms, messages) = await PrintAsync(client!, kernel!, cancellationToken);
                    results.Prints.Add((ms, messages));
                    log.WriteLine($"  [{kind.Id}] print {settings.PrintLines} lines {i}/{settings.PrintRuns}: {ms:F0} ms, {messages} stream messages");
                }
                catch (IncompleteOutputException e)
                {
                    // A kernel that sends part of the output after going idle is recorded as such, and measured further.
                    results.PrintError = e.Message;
                    log.WriteLine($"  [{kind.Id}] print {settings.PrintLines} lines {i}/{settings.PrintRuns}: {e.Message}");
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // idle
            results.IdleRssKb = kernel!.StatusKilobytes("VmRSS");
            results.IdleMemory = kernel.Memory();
            results.PeakRssKb = kernel.StatusKilobytes("VmHWM");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            results.Error = e.Message;
            var tail = e is KernelFailedException f ? f.KernelOutput : kernel?.Tail;
            log.WriteLine($"  [{kind.Id}] FAILED: {e.GetType().Name}: {e.Message}");
            if (!string.IsNullOrWhiteSpace(tail)) log.WriteLine($"  [{kind.Id}] kernel output (last lines):{Environment.NewLine}{tail}");
        }
        finally
        {
            client?.Dispose();
            kernel?.Dispose();
        }
        return results;
    }

    /// <summary>
    /// Starts a kernel and measures, from just before Process.Start, the first kernel_info_reply (asked for
    /// every 20 ms) and the first execute_result of the trivial cell (sent as soon as shell answered and
    /// iopub delivered a message, as a frontend would).
    /// </summary>
    private async Task<(KernelProcess, KernelClient)> StartOnceAsync(KernelResults results, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(workDirectory, $"{kind.Id}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "connection.json");
        var info = ConnectionInfo.CreateLocal();
        info.Save(file);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BenchmarkSettings.StartTimeout);
        var clock = Stopwatch.StartNew();
        var kernel = KernelProcess.Start(kind, file);
        KernelClient? client = null;
        try
        {
            client = new KernelClient(info);
            var execute = client.CreateRequest(MessageTypes.ExecuteRequest,
                new ExecuteRequest { Code = kind.TrivialCell, AllowStdin = false }, ProtocolJsonContext.Default.ExecuteRequest);
            var infoReply = new TaskCompletionSource<(double Ms, JupyterMessage Reply)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var firstResult = new TaskCompletionSource<(double Ms, JupyterMessage Result)>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.MessageReceived += (channel, m) =>
            {
                if (channel == KernelChannel.Shell && m.MessageType == MessageTypes.KernelInfoReply)
                    infoReply.TrySetResult((clock.Elapsed.TotalMilliseconds, m));
                else if (channel == KernelChannel.IOPub && m.MessageType == MessageTypes.ExecuteResult && m.ParentHeader?.MessageId == execute.Header.MessageId)
                    firstResult.TrySetResult((clock.Elapsed.TotalMilliseconds, m));
            };

            await NudgeUntilAsync(client, kernel, infoReply.Task, "kernel_info_reply", timeout.Token);
            // Nothing published before the SUB socket's subscription reached the kernel is delivered; keep asking
            // until iopub has shown a message (normally the status of the first kernel_info_request already has).
            await NudgeUntilAsync(client, kernel, client.IOPubConnected, "an iopub message", timeout.Token);
            var outcome = await client.RunAsync(KernelChannel.Shell, execute, timeout.Token);
            if (outcome.Status != "ok") throw new InvalidOperationException($"'{kind.TrivialCell}' failed: {outcome.Reply.Content}");
            if (!firstResult.Task.IsCompleted) throw new InvalidOperationException($"'{kind.TrivialCell}' went idle without an execute_result");

            var (infoMs, reply) = await infoReply.Task;
            var (resultMs, result) = await firstResult.Task;
            var text = result.Content.GetProperty("data").TryGetProperty(kind.ResultMimeType, out var shown) ? shown.GetString()
                : throw new InvalidOperationException($"'{kind.TrivialCell}' gave no {kind.ResultMimeType}: {result.Content}");
            if (!kind.IsTrivialResult(text)) throw new InvalidOperationException($"'{kind.TrivialCell}' gave '{text}'");
            results.KernelInfoMs.Add(infoMs);
            results.FirstResultMs.Add(resultMs);
            results.Implementation ??= Describe(reply.Content);
            results.StartRssKb = kernel.StatusKilobytes("VmRSS"); // the last start's kernel is the one measured further
            results.StartMemory = kernel.Memory();
            if (results.StartMemory is { } sample) results.StartSamples.Add(sample);

            return (kernel, client);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            client?.Dispose();
            kernel.Dispose();
            var message = e is OperationCanceledException
                ? $"{kind.DisplayName} did not start within {BenchmarkSettings.StartTimeout.TotalSeconds:F0} s"
                : e.Message;
            throw new KernelFailedException(message, kernel.Tail, e);
        }
        catch
        {
            client?.Dispose();
            kernel.Dispose();
            throw;
        }
    }

    private static async Task NudgeUntilAsync(KernelClient client, KernelProcess kernel, Task done, string what, CancellationToken cancellationToken)
    {
        while (!done.IsCompleted)
        {
            if (kernel.HasExited) throw new InvalidOperationException($"the kernel exited before {what}");
            client.Send(KernelChannel.Shell, client.CreateRequest(MessageTypes.KernelInfoRequest, KernelClient.EmptyContent));
            await Task.WhenAny(done, Task.Delay(BenchmarkSettings.NudgeInterval, cancellationToken));
            if (!done.IsCompleted && cancellationToken.IsCancellationRequested)
                throw new TimeoutException($"no {what} within {BenchmarkSettings.StartTimeout.TotalSeconds:F0} s");
        }
        await done;
    }

    private async Task RoundTripsAsync(KernelClient client, KernelResults results, CancellationToken cancellationToken)
    {
        var clock = new Stopwatch();
        for (var i = 0; i < settings.WarmUp + settings.RoundTrips; i++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(BenchmarkSettings.ExecuteTimeout);
            clock.Restart();
            var outcome = await WithTimeout(client.ExecuteAsync(kind.TrivialCell, cancellationToken: timeout.Token), "execute round trip", cancellationToken);
            clock.Stop();
            if (outcome.Status != "ok") throw new InvalidOperationException($"'{kind.TrivialCell}' failed: {outcome.Reply.Content}");
            if (i >= settings.WarmUp) results.RoundTripMs.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>Memory after a full collection, before and after <see cref="BenchmarkSettings.GrowthCells"/> trivial cells.</summary>
    private async Task GrowthAsync(KernelClient client, KernelProcess kernel, KernelResults results, CancellationToken cancellationToken)
    {
        async Task ExecuteAsync(string code)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(BenchmarkSettings.ExecuteTimeout);
            var outcome = await WithTimeout(client.ExecuteAsync(code, cancellationToken: timeout.Token), "growth cell", cancellationToken);
            if (outcome.Status != "ok") throw new InvalidOperationException($"'{code}' failed: {outcome.Reply.Content}");
        }
        async Task<MemorySample?> CollectedAsync()
        {
            await ExecuteAsync(kind.CollectCell);
            await Task.Delay(BenchmarkSettings.Settle, cancellationToken);
            return kernel.Memory();
        }

        results.GrowthBefore = await CollectedAsync();
        for (var i = 0; i < settings.GrowthCells; i++) await ExecuteAsync(kind.TrivialCell);
        results.GrowthAfter = await CollectedAsync();
        results.GrowthCells = settings.GrowthCells;
    }

    private async Task<(double Ms, int StreamMessages)> PrintAsync(KernelClient client, KernelProcess kernel, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BenchmarkSettings.PrintTimeout);
        var clock = Stopwatch.StartNew();
        var outcome = await WithTimeout(client.ExecuteAsync(kind.PrintCell, cancellationToken: timeout.Token), "print cell", cancellationToken);
        clock.Stop();
        if (outcome.Status != "ok") throw new InvalidOperationException($"print cell failed: {outcome.Reply.Content}");
        var streams = outcome.OfType(MessageTypes.Stream).Count();
        var text = outcome.StreamText("stdout");
        var lines = text.Count(c => c == '\n');
        if (lines != settings.PrintLines || !text.EndsWith($"{settings.PrintLines - 1}\n", StringComparison.Ordinal))
            throw new IncompleteOutputException($"print cell: expected {settings.PrintLines} lines on stdout by idle, got {lines} ({text.Length} chars; kernel alive: {!kernel.HasExited})");
        return (clock.Elapsed.TotalMilliseconds, streams);
    }

    private static async Task<T> WithTimeout<T>(Task<T> task, string what, CancellationToken outer)
    {
        try
        {
            return await task;
        }
        catch (OperationCanceledException) when (!outer.IsCancellationRequested)
        {
            throw new TimeoutException($"{what} timed out");
        }
    }

    private static string Describe(JsonElement kernelInfo)
    {
        string Get(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "?";
        var language = kernelInfo.TryGetProperty("language_info", out var li) ? $"{Get(li, "name")} {Get(li, "version")}" : "?";
        return $"{Get(kernelInfo, "implementation")} {Get(kernelInfo, "implementation_version")} ({language})";
    }
}

/// <summary>A cell went idle before all of its output had arrived.</summary>
public sealed class IncompleteOutputException(string message) : Exception(message);

/// <summary>A kernel failed to start or answer; carries what it wrote to stdout and stderr.</summary>
public sealed class KernelFailedException(string message, string kernelOutput, Exception inner) : Exception(message, inner)
{
    public string KernelOutput { get; } = kernelOutput;
}

public static class Stats
{
    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The median (mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
