using System.Runtime.CompilerServices;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>One run of <see cref="LivyClient.FollowBatchAsync(int, int, CancellationToken)"/>: poll state and log, report what is new, kill the batch when cancelled.</summary>
internal sealed class LivyBatchFollower(LivyClient client, int batchId, int pageSize)
{
    private readonly LivyLogSections _log = new();

    public async IAsyncEnumerable<LivyBatchEvent> FollowAsync([EnumeratorCancellation] CancellationToken ct)
    {
        string? reported = null;
        for (var attempt = 0; ; attempt++)
        {
            var (state, lines) = await ReadAsync(ct).ConfigureAwait(false);
            var final = LivySessionStates.IsFinal(state);
            // A state change comes before the lines read with it, except the final one: it is always the last event.
            if (state != reported && !final) yield return new LivyBatchEvent(batchId, state);
            foreach (var (source, line) in _log.Update(lines)) yield return new LivyBatchEvent(batchId, state, line, source);
            if (final)
            {
                yield return new LivyBatchEvent(batchId, state);
                yield break;
            }
            reported = state;
            await DelayAsync(attempt, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The state, then the whole log (read after the state, so a final state's log is complete), page by page.</summary>
    private async Task<(string State, List<string> Lines)> ReadAsync(CancellationToken ct)
    {
        try
        {
            var state = await client.GetBatchStateAsync(batchId, ct).ConfigureAwait(false);
            var lines = new List<string>();
            while (true)
            {
                var page = await client.GetBatchLogAsync(batchId, lines.Count, pageSize, ct).ConfigureAwait(false);
                lines.AddRange(page.Lines);
                if (page.Lines.Count == 0 || lines.Count >= page.Total) return (state, lines);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await KillAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task DelayAsync(int attempt, CancellationToken ct)
    {
        try
        {
            await Task.Delay(LivyPolling.Delay(attempt), client.Time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await KillAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Deletes the batch, best effort, within the cancel timeout whatever the caller's token says.</summary>
    private async Task KillAsync()
    {
        using var bound = new CancellationTokenSource(client.Options.CancelTimeout, client.Time);
        try
        {
            await client.DeleteBatchAsync(batchId, bound.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LivyException or OperationCanceledException)
        {
            // the batch may be gone already, or the server unreachable: nothing more can be done from here
        }
    }
}
