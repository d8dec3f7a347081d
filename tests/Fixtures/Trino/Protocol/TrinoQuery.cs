using System.Diagnostics;
using KernelGateway.Tests.Fixtures.Trino.Engine;

namespace KernelGateway.Tests.Fixtures.Trino.Protocol;

/// <summary>
/// One query's protocol state (Trino's protocol/Query.java semantics): responses are numbered by token; the
/// token after the current one builds the next response, the current token gets the cached response again,
/// an older token 410 Gone, anything past that (or past the final response) 404. The first responses are
/// QUEUED (<c>/v1/statement/queued/…</c>), then <c>/v1/statement/executing/…</c> pages carry rows until the
/// final response, which has no nextUri. Cancelling interrupts DuckDB and ends the query.
/// </summary>
internal sealed class TrinoQuery
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _cancelGate = new();
    private readonly CancellationTokenSource _run = new();
    private readonly CancellationTokenSource _wake = new();
    private readonly TaskCompletionSource<QueryRecord> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Uri _base;
    private readonly int _queued;
    private readonly bool _presto;
    private long _queuedMillis = -1;
    private int _current = -1, _dataPagesServed;
    private QueryResponse? _cached;
    private bool _demanded, _partial;
    private string _state = "QUEUED";
    private TrinoError? _error;

    public TrinoQuery(string id, Uri baseUri, ClientSession session, string sql, QueryRun run, TrinoServerOptions options)
    {
        Id = id;
        Slug = "y" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16];
        _base = baseUri;
        Session = session;
        Sql = sql;
        Run = run;
        _queued = Math.Max(1, options.QueuedResponses);
        _presto = options.Presto;
        RunTask = Task.Run(() => run.RunAsync(_run.Token));
    }

    public string Id { get; }
    public string Slug { get; }
    public string Sql { get; }
    public ClientSession Session { get; }
    public QueryRun Run { get; }
    public Task RunTask { get; }
    /// <summary>Whether a cancel took effect (the query had not ended yet).</summary>
    public bool Cancelled { get; private set; }

    /// <summary>Whether any DELETE for this query arrived, even after it ended.</summary>
    public bool DeleteReceived { get; private set; }
    public Task<QueryRecord> Ended => _ended.Task;
    public long? FirstDataPageSentTicks { get; set; }

    private string InfoUri => $"{_base}ui/query.html?{Id}";

    /// <summary>The response for <paramref name="token"/> on a <paramref name="phase"/> ("queued" or "executing") URI, or an HTTP status.</summary>
    public async Task<(int Status, QueryResponse? Response)> RespondAsync(int token, string phase)
    {
        await _turn.WaitAsync();
        try
        {
            if (token == _current && _cached is not null) return (200, _cached);
            if (token < _current) return (410, null);
            if (token != _current + 1 || _cached is { Final: true }) return (404, null);
            var expected = token < _queued ? "queued" : "executing";
            if (phase != expected && token > 0) return (404, null);
            var response = token < _queued ? Queued(token) : await ExecutingAsync(token);
            _current = token;
            _cached = response;
            if (response.HasData) _dataPagesServed++;
            if (response.Final) End();
            return (200, response);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Cancels the query (DELETE of nextUri or /v1/query/{id}); with <paramref name="leafOnly"/> (partialCancelUri)
    /// production stops but the rows already produced are still served and the query finishes.</summary>
    public void Cancel(bool leafOnly)
    {
        lock (_cancelGate)
        {
            DeleteReceived = true;
            if (_cached is { Final: true } || Cancelled) return;
            Cancelled = true;
            _partial = leafOnly;
            if (!leafOnly) _error = TrinoError.Canceled();
        }
        _run.Cancel();
        Run.Interrupt();
        if (!leafOnly)
        {
            _wake.Cancel();
            End();
        }
    }

    /// <summary>The query as the server saw it, now.</summary>
    public QueryRecord Snapshot() => new(Id, Sql, Session.User, _state, _error?.Name ?? (_state == "FAILED" ? Run.Error?.Name : null),
        Run.Rows, Run.PagesRendered, Volatile.Read(ref _dataPagesServed), Cancelled, Run.UpdateType);

    /// <summary>Stops the producer (server shutdown).</summary>
    public void Abandon()
    {
        _run.Cancel();
        Run.Interrupt();
        _wake.Cancel();
    }

    private void End()
    {
        if (_error is not null) _state = "FAILED";
        _ended.TrySetResult(Snapshot());
    }

    private string Next(int token) => $"{_base}v1/statement/{(token < _queued ? "queued" : "executing")}/{Id}/{Slug}/{token}";

    private QueryResponse Queued(int token) =>
        Build(new QueryResultsContent("QUEUED", Next(token + 1), null, null, null, null, null, null, Stats(running: false, progress: null)), 0, false);

    private async Task<QueryResponse> ExecutingAsync(int token)
    {
        if (_queuedMillis < 0) _queuedMillis = _clock.ElapsedMilliseconds;
        if (_error is not null) return Final();
        if (!_demanded) { Run.Demand(); _demanded = true; }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_wake.Token);
        wait.CancelAfter(MaxWait);
        try
        {
            if (!await Run.Pages.WaitToReadAsync(wait.Token)) return Final();
            if (!Run.Pages.TryRead(out var page)) return Running(token, null);
            _demanded = false;
            return Running(token, page);
        }
        catch (OperationCanceledException)
        {
            return _error is not null ? Final() : Running(token, null);
        }
    }

    private QueryResponse Running(int token, ResultPage? page)
    {
        _state = Run.Columns is null ? "PLANNING" : "RUNNING";
        var partialCancel = $"{_base}v1/statement/partialCancel/{Id}/0/{Slug}/{token}";
        var content = new QueryResultsContent(_state, Next(token + 1), partialCancel, Run.Columns, page, null, null, null, Stats(running: true, progress: null));
        return Build(content, page?.Rows ?? 0, false);
    }

    private QueryResponse Final()
    {
        var error = _error ?? (Run.Error is { } e && !(_partial && e.Code == 3) ? e : null);
        _error = error;
        _state = error is null ? "FINISHED" : "FAILED";
        var content = new QueryResultsContent(_state, null, null, Run.Columns, null, error,
            error is null ? Run.UpdateType : null, error is null ? Run.UpdateCount : null, Stats(running: false, progress: error is null ? 100.0 : null));
        return Build(content, 0, true, error is null ? Run.ResponseHeaders : []);
    }

    private QueryStats Stats(bool running, double? progress) =>
        new(Run.Rows, Run.Bytes, Run.PagesRendered, _clock.ElapsedMilliseconds, _queuedMillis < 0 ? _clock.ElapsedMilliseconds : _queuedMillis, running, progress);

    private QueryResponse Build(QueryResultsContent content, int rows, bool final, IReadOnlyList<(string, string)>? headers = null) =>
        new(QueryResultsWriter.Write(Id, InfoUri, content, _presto), rows, final, headers ?? []);
}
