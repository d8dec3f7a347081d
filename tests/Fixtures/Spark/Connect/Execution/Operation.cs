using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using KernelGateway.Tests.Fixtures.Spark.Connect.Sessions;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>What an RPC attached to an operation gets next: a response, the end (complete or failed), or notice that
/// another RPC attached (or the operation was released) in its place.</summary>
internal readonly record struct Next(ExecutePlanResponse? Response, Exception? Error, bool Ended, bool Detached);

/// <summary>
/// One ExecutePlan execution's response stream, shared by the execution producing responses and the RPCs sending
/// them, as Spark's ExecuteHolder with its ExecuteResponseObserver: every response gets the session ids, the
/// operation id and a fresh response id; responses are numbered from 1; an RPC can start at any index still held
/// (ReattachExecute after <c>last_response_id</c>); after a response is consumed, earlier ones are dropped except, for
/// reattachable executions, those within the retry buffer (CONNECT_EXECUTE_REATTACHABLE_OBSERVER_RETRY_BUFFER_SIZE);
/// ReleaseExecute drops them explicitly. A newly attached RPC detaches the previous one. Unlike Spark, the producer
/// waits while it is more than a few responses ahead of the consumer, so memory stays bounded.
/// </summary>
internal sealed class Operation(ConnectSession session, string id, bool reattachable, IReadOnlyList<string> tags, long retryBufferBytes)
{
    private const int MaxAhead = 16;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, (ExecutePlanResponse Response, int Size)> _responses = [];
    private readonly Dictionary<string, long> _indexById = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = NewSignal();
    private long _lastProduced, _highestConsumed;
    private long? _finalIndex;
    private Exception? _error;
    private int _generation;
    private bool _closed;
    private RunState _state;

    private enum RunState { NotStarted, Running, Interrupted, Done }

    public ConnectSession Session { get; } = session;

    public string Id { get; } = id;

    public bool Reattachable { get; } = reattachable;

    public IReadOnlyList<string> Tags { get; } = tags;

    /// <summary>Cancelled when the operation is interrupted or released: the producer stops.</summary>
    public CancellationToken Stopping => _stop.Token;

    public bool Interrupted
    {
        get { lock (_gate) return _state == RunState.Interrupted; }
    }

    public bool TryStart()
    {
        lock (_gate)
        {
            if (_state != RunState.NotStarted) return false;
            _state = RunState.Running;
            return true;
        }
    }

    /// <summary>Adds a response, waiting while the producer is far ahead of the consumer.</summary>
    public async Task PublishAsync(ExecutePlanResponse response, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            Task wait;
            lock (_gate)
            {
                if (_lastProduced - _highestConsumed < MaxAhead || _closed)
                {
                    Add(response);
                    return;
                }
                wait = _changed.Task;
            }
            await wait.WaitAsync(ct);
        }
    }

    /// <summary>Adds a response without waiting (progress reports), unless the stream has ended.</summary>
    public void PublishNow(ExecutePlanResponse response)
    {
        lock (_gate)
        {
            if (_state == RunState.Running) Add(response);
        }
    }

    private void Add(ExecutePlanResponse response)
    {
        if (_finalIndex is not null) throw new InvalidOperationException("the stream has ended");
        response.SessionId = Session.Key.SessionId;
        response.ServerSideSessionId = Session.ServerSideSessionId;
        response.OperationId = Id;
        response.ResponseId = Guid.NewGuid().ToString();
        _lastProduced++;
        if (!_closed) _responses[_lastProduced] = (response, response.CalculateSize());
        _indexById[response.ResponseId] = _lastProduced;
        Signal();
    }

    /// <summary>Ends the stream successfully with <paramref name="last"/> (a ResultComplete, or none); false if the
    /// operation was interrupted first (Spark's completing state: after this, it cannot be interrupted).
    /// <paramref name="completing"/> runs before any RPC can see the end.</summary>
    public bool TryComplete(ExecutePlanResponse? last, Action completing)
    {
        lock (_gate)
        {
            if (_state != RunState.Running) return false;
            _state = RunState.Done;
            completing();
            if (last is not null) Add(last);
            _finalIndex = _lastProduced;
            Signal();
            return true;
        }
    }

    /// <summary>Ends the stream with an error (OPERATION_CANCELED when interrupted).</summary>
    public void Fail(Exception error)
    {
        lock (_gate)
        {
            if (_finalIndex is not null) return;
            _error = _state == RunState.Interrupted ? SparkError.Canceled() : error;
            _state = RunState.Done;
            _finalIndex = _lastProduced;
            Signal();
        }
    }

    /// <summary>Interrupts the execution if it has not finished producing; true if it did. The execution then ends the
    /// stream with OPERATION_CANCELED (at once if it had not started).</summary>
    public bool Interrupt()
    {
        lock (_gate)
        {
            if (_state is not (RunState.NotStarted or RunState.Running)) return false;
            _state = RunState.Interrupted;
        }
        _stop.Cancel();
        return true;
    }

    /// <summary>Attaches an RPC (detaching the previous one); returns its generation for <see cref="NextAsync"/>.</summary>
    public int Attach()
    {
        lock (_gate)
        {
            _generation++;
            Signal();
            return _generation;
        }
    }

    public async Task<Next> NextAsync(long index, int generation, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (generation != _generation || _closed) return new Next(null, null, false, Detached: true);
                if (_responses.TryGetValue(index, out var r))
                {
                    Consume(index);
                    return new Next(r.Response, null, false, false);
                }
                if (index <= _highestConsumed) throw NotAvailable(index);
                if (_finalIndex is { } last && index > last) return new Next(null, _error, Ended: true, false);
                wait = _changed.Task;
            }
            await wait.WaitAsync(ct);
        }
    }

    private SparkError NotAvailable(long index) => SparkError.Cursor("POSITION_NOT_AVAILABLE", new Dictionary<string, string>
    {
        ["index"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["responseId"] = _indexById.FirstOrDefault(kv => kv.Value == index).Key ?? "<UNKNOWN>",
    });

    private void Consume(long index)
    {
        if (index > _highestConsumed) _highestConsumed = index;
        var i = index - 1;
        long kept = 0;
        var buffer = Reattachable ? retryBufferBytes : 0;
        while (i >= 1 && _responses.TryGetValue(i, out var c) && kept < buffer)
        {
            kept += c.Size;
            i--;
        }
        RemoveUntil(i);
        Signal();
    }

    private void RemoveUntil(long index)
    {
        for (var i = index; i >= 1 && _responses.Remove(i); i--) { }
    }

    /// <summary>The index an RPC resumes at after <paramref name="lastResponseId"/> (from the start when null).</summary>
    public long IndexAfter(string? lastResponseId)
    {
        if (lastResponseId is null) return 1;
        lock (_gate) return _indexById.TryGetValue(lastResponseId, out var i) ? i + 1 : throw NotFound(lastResponseId);
    }

    /// <summary>ReleaseExecute(release_until): drops the responses up to and including <paramref name="responseId"/>.</summary>
    public void ReleaseUntil(string responseId)
    {
        lock (_gate)
        {
            RemoveUntil(_indexById.TryGetValue(responseId, out var i) ? i : throw NotFound(responseId));
            Signal();
        }
    }

    private static SparkError NotFound(string responseId) => SparkError.Cursor("POSITION_NOT_FOUND", new Dictionary<string, string> { ["responseId"] = responseId });

    /// <summary>Releases the operation: interrupts it if it is still producing and drops every response.</summary>
    public void Close()
    {
        Interrupt();
        lock (_gate)
        {
            _closed = true;
            _responses.Clear();
            Signal();
        }
        _stop.Cancel();
    }

    private void Signal()
    {
        var old = _changed;
        _changed = NewSignal();
        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
