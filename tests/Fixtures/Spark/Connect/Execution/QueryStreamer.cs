using KernelGateway.Tests.Fixtures.Spark.Connect.Engine;
using KernelGateway.Tests.Fixtures.Spark.Connect.Plans;
using KernelGateway.Tests.Fixtures.Spark.Connect.Results;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>
/// Streams a plan's result as SparkConnectPlanExecution does: the schema first, then ArrowBatches — each closed at the
/// row or size limit, each a complete IPC stream, <c>start_offset</c> the row offset — and at least one batch (empty
/// when there are no rows), then the metrics. Progress reports come after the schema. DuckDB streams: only the batch
/// being built is in memory.
/// </summary>
internal sealed class QueryStreamer(SparkDuckDb db, SparkConnectServerOptions options, ResultCache cache, ResponsePublisher publisher, ExecutionRecord record)
{
    private long _rows;

    public async Task StreamAsync(SqlPlan plan, long planId)
    {
        var op = publisher.Operation;
        var config = op.Session.Config;
        var maxRows = Math.Max(1, config.MaxRecordsPerBatch);
        var key = options.CacheResults ? ResultCache.Key(plan, config.TimeZone, maxRows, options.MaxBatchBytes) : null;
        record.Ran(plan.DuckDb);
        if (key is not null && cache.Find(key) is { } cached) await ReplayAsync(cached);
        else await RunAsync(plan, config.TimeZone, maxRows, key);
        await publisher.PublishAsync(Responses.Metrics(_rows, planId));
    }

    private async Task RunAsync(SqlPlan plan, string timeZone, int maxRows, string? cacheKey)
    {
        var op = publisher.Operation;
        using var connection = db.Open(timeZone);
        var registrations = new List<CancellationTokenRegistration>();
        try
        {
            using var result = QueryResult.Open(connection, plan, cmd => registrations.Add(op.Stopping.Register(() => Cancel(cmd))));
            using var ticker = options.ProgressInterval is { } every ? new ProgressTicker(op, every) : null;
            await publisher.PublishAsync(Responses.Schema(result.Fields), () => ticker?.Arm());
            await ReportProgressAsync();
            var kept = cacheKey is null ? null : new List<(byte[], long)>();
            await StreamBatchesAsync(result, timeZone, maxRows, kept);
            if (kept is not null) cache.Keep(cacheKey!, new CachedResult(result.Fields, kept));
        }
        finally
        {
            foreach (var r in registrations) await r.DisposeAsync();
        }
    }

    private async Task StreamBatchesAsync(QueryResult result, string timeZone, int maxRows, List<(byte[], long)>? kept)
    {
        var encoder = new ArrowBatchEncoder(result.Fields, timeZone);
        var values = new object?[result.Columns.Count];
        var sent = 0;
        while (true)
        {
            publisher.Operation.Stopping.ThrowIfCancellationRequested();
            var more = result.ReadRow(values);
            if (more) encoder.AppendRow(values);
            var full = encoder.Rows >= maxRows || encoder.Bytes >= options.MaxBatchBytes;
            if (full || (!more && (encoder.Rows > 0 || sent == 0)))
            {
                var rows = encoder.Rows;
                var data = encoder.Flush();
                kept?.Add((data, rows));
                await SendBatchAsync(data, rows);
                sent++;
            }
            if (!more) return;
        }
    }

    private async Task SendBatchAsync(byte[] data, long rows)
    {
        if (options.BatchDelay > TimeSpan.Zero) await Task.Delay(options.BatchDelay, publisher.Operation.Stopping);
        await publisher.PublishAsync(Responses.Batch(data, rows, _rows));
        _rows += rows;
    }

    private async Task ReplayAsync(CachedResult cached)
    {
        await publisher.PublishAsync(Responses.Schema(cached.Fields));
        await ReportProgressAsync();
        foreach (var (data, rows) in cached.Batches) await SendBatchAsync(data, rows);
    }

    private async Task ReportProgressAsync()
    {
        for (var i = 1; i <= options.ProgressReports; i++) await publisher.PublishAsync(Responses.Progress(i, options.ProgressReports, 0));
    }

    private static void Cancel(DuckDB.NET.Data.DuckDBCommand cmd)
    {
        try { cmd.Cancel(); } catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException) { }
    }

    /// <summary>Publishes a progress report every interval while the query runs (Spark's ConnectProgressExecutionListener):
    /// from when it is armed (after the schema) until it is disposed.</summary>
    private sealed class ProgressTicker : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Lock _gate = new();
        private bool _stopped, _armed;

        public ProgressTicker(Operation op, TimeSpan every) => _ = TickAsync(op, every);

        private async Task TickAsync(Operation op, TimeSpan every)
        {
            using var timer = new PeriodicTimer(every);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    lock (_gate)
                    {
                        if (_stopped) return;
                        if (_armed) op.PublishNow(Responses.Progress(0, 1, 0));
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // disposed
            }
        }

        public void Arm()
        {
            lock (_gate) _armed = true;
        }

        public void Dispose()
        {
            lock (_gate) _stopped = true;
            _stop.Cancel();
        }
    }
}
