using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using KernelGateway.Platform.Sql;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// A running statement. It starts as soon as it is made: the statement is posted, then <c>nextUri</c> is followed
/// until the server gives none — the query's end is decided by that, never by <c>stats.state</c>. Pages come through
/// a small bounded buffer, so a result of any size flows through with bounded memory and the server is asked for
/// more only as the reader takes rows; the reader decodes them into what it asks for (CLR rows, Arrow batches) on
/// its own thread while the next page is fetched, or only counts them. Readers may follow one another (the first
/// rows as CLR values, the rest counted) but not run at once. Cancelling (the token given when it was submitted,
/// <see cref="CancelAsync"/>, or disposing it unfinished) stops it on the server with a <c>DELETE</c> of the
/// current <c>nextUri</c>.
/// </summary>
public sealed class TrinoQuery : IAsyncDisposable
{
    private const int BufferedPages = 4;

    private readonly TrinoTransport _transport;
    private readonly TrinoSession _session;
    private readonly KeyValuePair<string, string>? _prepared;
    private readonly IProgress<QueryProgress>? _progress;
    private readonly CancellationTokenSource _cancel;
    private readonly Channel<TrinoRawPage> _pages = Channel.CreateBounded<TrinoRawPage>(new BoundedChannelOptions(BufferedPages) { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<IReadOnlyList<TrinoColumn>> _columns = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _warnings = [];
    private volatile Uri? _next;
    private volatile TrinoStats? _stats;
    private long _rowsReceived;
    private int _reading;

    internal TrinoQuery(TrinoTransport transport, TrinoSession session, string sql, KeyValuePair<string, string>? prepared,
        IProgress<QueryProgress>? progress, CancellationToken cancellationToken)
    {
        _transport = transport;
        _session = session;
        _prepared = prepared;
        _progress = progress;
        Sql = sql;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Completion = Task.Run(PumpAsync, CancellationToken.None);
    }

    /// <summary>The statement as sent (a parameterized one is sent as <c>EXECUTE ... USING ...</c>).</summary>
    public string Sql { get; }

    /// <summary>The query id, once the server has answered.</summary>
    public string? Id { get; private set; }

    /// <summary>Where the coordinator's UI shows the query.</summary>
    public Uri? InfoUri { get; private set; }

    /// <summary>The latest statistics.</summary>
    public TrinoStats? Stats => _stats;

    /// <summary>The latest state as the server reports it (for display; <see cref="Completion"/> tells the end).</summary>
    public string State => Completion.IsCompletedSuccessfully ? "FINISHED" : Completion.IsFaulted ? "FAILED" : Completion.IsCanceled ? "CANCELED" : _stats?.State ?? "SUBMITTED";

    /// <summary>The result's columns, once known (none for statements without a result).</summary>
    public IReadOnlyList<TrinoColumn>? Columns { get; private set; }

    /// <summary>For statements that change things: <c>CREATE TABLE</c>, <c>INSERT</c>, <c>SET SESSION</c>, ...</summary>
    public string? UpdateType { get; private set; }

    /// <summary>Rows a statement changed, when the server says.</summary>
    public long? UpdateCount { get; private set; }

    /// <summary>Warnings the server attached to the query.</summary>
    public IReadOnlyList<string> Warnings { get { lock (_warnings) return _warnings.ToList(); } }

    /// <summary>Rows received from the server so far.</summary>
    public long RowsReceived => Interlocked.Read(ref _rowsReceived);

    /// <summary>True once a cancellation reached the server (its DELETE was answered).</summary>
    public bool CancelledOnServer { get; private set; }

    /// <summary>
    /// Completes when the server has sent the last page (not when the reader has read it); faults with a
    /// <see cref="TrinoQueryException"/> when the query fails, and is cancelled when the query is.
    /// </summary>
    public Task Completion { get; }

    /// <summary>A progress snapshot for displays.</summary>
    public QueryProgress Progress
    {
        get
        {
            var s = _stats;
            return new QueryProgress
            {
                Engine = _session.Options.Presto ? "presto" : "trino",
                State = State,
                QueryId = Id,
                InfoUri = InfoUri,
                Done = s?.CompletedSplits,
                Total = s is { TotalSplits: > 0 } ? s.TotalSplits : null,
                Rows = s?.ProcessedRows,
                Bytes = s?.ProcessedBytes,
                ResultRows = RowsReceived,
                PeakMemoryBytes = s?.PeakMemoryBytes,
                Elapsed = _clock.Elapsed, // since it was submitted, as the client saw it; stops when the last page arrives
            };
        }
    }

    /// <summary>The columns, as soon as the server has sent them (an empty list for a statement without a result).</summary>
    public Task<IReadOnlyList<TrinoColumn>> GetColumnsAsync(CancellationToken cancellationToken = default) => _columns.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// The rows, in order, as they arrive, decoded into CLR values a page at a time (a response's rows, in pages of at
    /// most 4,096 rows). Ends when the query ends; throws what failed it. A cancelled token cancels the query.
    /// Stopping early drops the rest of the response being read (a later <see cref="CountRowsAsync"/> still counts it).
    /// </summary>
    public async IAsyncEnumerable<TrinoPage> ReadPagesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var raw in ReadRawAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                using var chunks = raw.DecodeChunks().GetEnumerator();
                while (Decode(raw, _ => chunks.MoveNext())) yield return new TrinoPage(raw.Columns, chunks.Current, raw.Stats);
            }
            finally
            {
                raw.Release();
            }
        }
    }

    /// <summary>The rows, in order, as they arrive (values in column order).</summary>
    public async IAsyncEnumerable<object?[]> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in ReadPagesAsync(cancellationToken).ConfigureAwait(false))
            foreach (var row in page.Rows)
                yield return row;
    }

    /// <summary>
    /// The pages as Arrow record batches, decoded straight from the JSON into typed columns (no object per value):
    /// the fast way to keep a big result (a DataFrame). An empty result gives one empty batch with the schema.
    /// </summary>
    public async IAsyncEnumerable<Apache.Arrow.RecordBatch> ReadArrowAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        TrinoArrowBatchBuilder? builder = null;
        await foreach (var raw in ReadRawAsync(cancellationToken).ConfigureAwait(false))
        {
            builder ??= new TrinoArrowBatchBuilder(raw.Columns);
            Decode(raw, r => { r.AppendTo(builder); return 0; });
            yield return builder.Build();
        }
        if (builder is null && Columns is { Count: > 0 } columns) yield return new TrinoArrowBatchBuilder(columns).Build();
    }

    /// <summary>Reads the rest of the result without decoding or keeping it; returns how many rows the whole result has.</summary>
    public async Task<long> CountRowsAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var raw in ReadRawAsync(cancellationToken).ConfigureAwait(false)) raw.Release();
        return RowsReceived;
    }

    /// <summary>The raw pages, for one reader at a time; a cancelled token cancels the query.</summary>
    private async IAsyncEnumerable<TrinoRawPage> ReadRawAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _reading, 1) == 1) throw new InvalidOperationException("the rows of a query are read by one reader at a time");
        try
        {
            using var link = cancellationToken.Register(CancelQuietly);
            var reader = _pages.Reader;
            while (true)
            {
                try
                {
                    if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) break;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await Completion.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                    throw;
                }
                while (reader.TryRead(out var page)) yield return page;
            }
            await Completion.ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    /// <summary>Cancels from a token's callback, where an exception would land on whoever cancelled that token.</summary>
    private void CancelQuietly()
    {
        try { _cancel.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    private T Decode<T>(TrinoRawPage raw, Func<TrinoRawPage, T> decode)
    {
        try
        {
            return decode(raw);
        }
        catch (FormatException e)
        {
            raw.Release();
            throw new TrinoException($"unreadable rows{(Id is null ? "" : " in query " + Id)}: {e.Message}", null, Id, e);
        }
    }

    /// <summary>Stops the query on the server (when it is still running) and waits for it to end.</summary>
    public async Task CancelAsync()
    {
        if (!Completion.IsCompleted) await _cancel.CancelAsync().ConfigureAwait(false);
        await Completion.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>Cancels the query if it is still running, and frees what it holds.</summary>
    public async ValueTask DisposeAsync()
    {
        await CancelAsync().ConfigureAwait(false);
        while (_pages.Reader.TryRead(out var page)) page.Release();
        _cancel.Dispose();
    }

    private async Task PumpAsync()
    {
        var token = _cancel.Token;
        Exception? failure = null;
        try
        {
            await HandleAsync(await _transport.PostAsync(Sql, _session, _prepared, token).ConfigureAwait(false), token).ConfigureAwait(false);
            while (_next is { } next) await HandleAsync(await _transport.GetAsync(next, Id!, token).ConfigureAwait(false), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            failure = new OperationCanceledException(Id is null ? "the query was cancelled" : $"query {Id} was cancelled", token);
        }
        catch (Exception e)
        {
            failure = e;
        }
        // Whatever ended the query early, it must not go on running on the server.
        if (failure is not null && _next is { } running)
        {
            _next = null;
            CancelledOnServer = await _transport.DeleteAsync(running).ConfigureAwait(false);
        }
        _clock.Stop();
        _columns.TrySetResult(Columns ?? []);
        _pages.Writer.TryComplete(failure);
        Report();
        if (failure is OperationCanceledException oce) throw oce;
        if (failure is not null) throw failure;
    }

    private async Task HandleAsync(TrinoResponse response, CancellationToken token)
    {
        TrinoResults results;
        TrinoRawPage? page = null;
        using (response)
        {
            _session.Apply(response.Headers);
            try
            {
                results = TrinoResults.Parse(response.Body, Columns);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
            {
                throw new TrinoException($"unreadable response{(Id is null ? "" : " for query " + Id)}: {e.Message}", response.Status, Id, e);
            }
            if (results is { Data: { } data, RowCount: > 0, Error: null })
                page = new TrinoRawPage(results.Columns!, response.DetachBuffer(), data.Start, data.Length, results.RowCount, results.Stats, results.Chunks);
        }
        Id ??= results.Id;
        InfoUri ??= results.InfoUri;
        if (results.Stats is { } stats) _stats = stats;
        UpdateType ??= results.UpdateType;
        UpdateCount ??= results.UpdateCount;
        if (results.Warnings.Count > 0) lock (_warnings) _warnings.AddRange(results.Warnings.Except(_warnings).ToList());
        if (Columns is null && results.Columns is { } columns)
        {
            Columns = columns;
            _columns.TrySetResult(columns);
        }
        if (results.Error is { } error)
        {
            _next = null;
            throw ToException(error);
        }
        _next = results.NextUri;
        if (page is not null)
        {
            Interlocked.Add(ref _rowsReceived, page.RowCount);
            try
            {
                await _pages.Writer.WriteAsync(page, token).ConfigureAwait(false);
            }
            catch
            {
                page.Release();
                throw;
            }
        }
        Report();
    }

    private void Report()
    {
        try { _progress?.Report(Progress); }
        catch (Exception) { } // a failing display never stops the query
    }

    private TrinoQueryException ToException(TrinoErrorDto error)
    {
        var location = error.ErrorLocation ?? error.FailureInfo?.ErrorLocation;
        return new TrinoQueryException(Id ?? "?", error.Message ?? error.FailureInfo?.Message ?? "the query failed", error.ErrorName, error.ErrorType,
            error.ErrorCode, error.SqlState, location?.LineNumber, location?.ColumnNumber, error.FailureInfo?.Type);
    }
}
