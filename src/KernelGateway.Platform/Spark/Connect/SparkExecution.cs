using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Apache.Arrow;
using KernelGateway.Platform.Spark.Connect.Proto;
using KernelGateway.Platform.Sql;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// A running Spark Connect operation (one <c>ExecutePlan</c>). It starts as soon as it is made. Its result comes as
/// Arrow record batches through a buffer of two, so a result of any size flows through with bounded memory and the
/// server's stream is read only as fast as the batches are taken; progress, the schema and the row count are known
/// as they arrive. A broken stream is reattached (see <see cref="SparkExecuteOptions.Reattachable"/>).
/// Cancelling (<see cref="CancelAsync"/>, the token given when it was started, or the token of a reader) interrupts
/// the operation on the server; it then ends with a <see cref="SparkOperationCanceledException"/>. Dispose it (or
/// read it to the end) so an unfinished operation does not linger on the server.
/// </summary>
public sealed class SparkExecution : IAsyncDisposable
{
    private const int BufferedBatches = 2;

    private readonly SparkRpc _rpc;
    private readonly SparkExecuteOptions _options;
    private readonly SparkResponseStream _stream;
    private readonly SparkReleaser? _releaser;
    private readonly CancellationTokenSource _call = new();
    private readonly CancellationTokenSource _drain = new();
    private readonly Channel<RecordBatch> _batches = Channel.CreateBounded<RecordBatch>(new BoundedChannelOptions(BufferedBatches) { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<Schema> _schemaKnown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly CancellationTokenRegistration _link;
    private volatile Schema? _schema;
    private volatile bool _arrowSchema;
    private volatile ExecutePlanResponse.Types.ExecutionProgress? _stages;
    private volatile string _state = "SUBMITTED";
    private volatile bool _interruptConfirmed;
    private volatile bool _cancelledOnServer;
    private long _rowsReceived;
    private int _reading;
    private Task? _cancel;

    internal SparkExecution(SparkRpc rpc, Plan plan, SparkExecuteOptions options, CancellationToken cancellationToken)
    {
        _rpc = rpc;
        _options = options.Validated();
        OperationId = options.OperationId ?? Guid.NewGuid().ToString("D");
        _releaser = options.Reattachable ? new SparkReleaser(rpc, OperationId) : null;
        var request = rpc.NewExecute(plan, OperationId, options.Reattachable, options.Tags);
        _stream = new SparkResponseStream(rpc, request, options.Reattachable, options.MaxReattachAttempts, _releaser);
        Completion = Task.Run(PumpAsync, CancellationToken.None);
        _link = cancellationToken.Register(() => _ = CancelAsync());
    }

    /// <summary>The operation's id (a UUID), as the server knows it.</summary>
    public string OperationId { get; }

    /// <summary>The operation's tags.</summary>
    public IReadOnlyList<string> Tags => _options.Tags;

    /// <summary>The result's schema, once known (from the first Arrow batch, or the schema the server sends before it).</summary>
    public Schema? Schema => _schema;

    /// <summary>Rows received from the server so far.</summary>
    public long RowsReceived => Interlocked.Read(ref _rowsReceived);

    /// <summary><c>SUBMITTED</c>, <c>RUNNING</c>, <c>FINISHED</c>, <c>FAILED</c> or <c>CANCELED</c>.</summary>
    public string State => _state;

    /// <summary>True once the server confirmed it stopped the operation (it listed it as interrupted, or ended it with <c>OPERATION_CANCELED</c>).</summary>
    public bool CancelledOnServer => _cancelledOnServer || _interruptConfirmed;

    /// <summary>How many times the result stream was reattached.</summary>
    internal int Reattaches => _stream.Reattaches;

    /// <summary>
    /// Completes when the server has sent the whole result (not when the reader has read it); faults with a
    /// <see cref="SparkConnectException"/> when the operation fails, and is cancelled (with a
    /// <see cref="SparkOperationCanceledException"/>) when it is cancelled.
    /// </summary>
    public Task Completion { get; }

    /// <summary>A progress snapshot for displays: Spark's tasks done and in all, bytes read, stages, rows received.</summary>
    public QueryProgress Progress
    {
        get
        {
            var stages = _stages?.Stages;
            long total = 0, done = 0, bytes = 0;
            if (stages is not null)
                foreach (var s in stages)
                {
                    total += s.NumTasks;
                    done += s.NumCompletedTasks;
                    bytes += s.InputBytesRead;
                }
            return new QueryProgress
            {
                Engine = "spark",
                State = State,
                QueryId = OperationId,
                Unit = "tasks",
                Done = stages is null ? null : done,
                Total = total > 0 ? total : null,
                Bytes = stages is null ? null : bytes,
                Stages = stages?.Count,
                ResultRows = RowsReceived,
                Elapsed = _clock.Elapsed,
            };
        }
    }

    /// <summary>The result's schema, as soon as it is known (an empty schema for an operation without a result).</summary>
    /// <exception cref="SparkConnectException">The operation failed before its schema was known.</exception>
    public Task<Schema> GetSchemaAsync(CancellationToken cancellationToken = default) => _schemaKnown.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// The result's record batches, in order, as they arrive; the caller owns (and disposes) each. An empty result
    /// gives one batch of no rows with the schema. Ends when the operation ends; throws what failed it. One reader at
    /// a time; a cancelled token cancels the operation.
    /// </summary>
    public async IAsyncEnumerable<RecordBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) == 1) throw new InvalidOperationException("the batches of an execution are read by one reader at a time");
        try
        {
            using var link = cancellationToken.Register(() => _ = CancelAsync());
            var reader = _batches.Reader;
            while (true)
            {
                try
                {
                    if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) break;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await Quietly(Completion).ConfigureAwait(false);
                    if (Completion.Exception?.InnerException is { } failure) throw failure;
                    throw;
                }
                while (reader.TryRead(out var batch)) yield return batch;
            }
            await Completion.ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    /// <summary>Reads the rest of the result without keeping it; returns how many rows the whole result has.</summary>
    public async Task<long> CountRowsAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var batch in ReadBatchesAsync(cancellationToken).ConfigureAwait(false)) batch.Dispose();
        return RowsReceived;
    }

    /// <summary>
    /// Interrupts the operation on the server (<c>Interrupt</c> by operation id) when it is still running, and waits
    /// for it to end (at most <see cref="SparkExecuteOptions.CancelGracePeriod"/>, then the client stops listening).
    /// Never throws; readers get a <see cref="SparkOperationCanceledException"/>.
    /// </summary>
    public Task CancelAsync()
    {
        if (Completion.IsCompleted) return Task.CompletedTask;
        lock (_lock) return _cancel ??= Task.Run(InterruptAsync);
    }

    /// <summary>
    /// Stops the operation if it is still running (a reattachable one with <c>ReleaseExecute(release_all)</c>, which
    /// interrupts it on the server; another with <see cref="CancelAsync"/>) and frees what it holds.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!Completion.IsCompleted)
        {
            if (_releaser is not null)
            {
                _stream.Interrupt();
                await _drain.CancelAsync().ConfigureAwait(false);
                await _releaser.AllAsync().ConfigureAwait(false);
                await _call.CancelAsync().ConfigureAwait(false);
            }
            else
            {
                await CancelAsync().ConfigureAwait(false);
            }
        }
        await Quietly(Completion).ConfigureAwait(false);
        while (_batches.Reader.TryRead(out var batch)) batch.Dispose();
        if (_releaser is not null) await Quietly(_releaser.Idle).ConfigureAwait(false);
        if (_cancel is { } cancel) await Quietly(cancel).ConfigureAwait(false);
        _link.Dispose();
        _call.Dispose();
        _drain.Dispose();
    }

    private async Task InterruptAsync()
    {
        _stream.Interrupt();
        await _drain.CancelAsync().ConfigureAwait(false); // nobody reads a cancelled result: the pump drops batches from now on
        var reached = false;
        try
        {
            var interrupted = await _rpc.InterruptAsync(r =>
            {
                r.InterruptType = InterruptRequest.Types.InterruptType.OperationId;
                r.OperationId = OperationId;
            }, CancellationToken.None).ConfigureAwait(false);
            reached = true;
            _interruptConfirmed = interrupted.Contains(OperationId);
        }
        catch (Exception e) when (e is SparkConnectException or ObjectDisposedException or InvalidOperationException)
        {
            _rpc.Log.LogWarning("Interrupt of Spark operation {OperationId} failed: {Error}", OperationId, e.Message);
        }
        // Not confirmed before any response came: the server had not registered the operation yet, and would run it to
        // its end. Stop listening now: a non-reattachable operation ends with its call, a reattachable one is released.
        if (reached && !_interruptConfirmed && _stream.LastResponseId is null) reached = false;
        if (reached)
        {
            try
            {
                await Completion.WaitAsync(_options.CancelGracePeriod).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _rpc.Log.LogWarning("Spark operation {OperationId} did not end within {Period} of its interrupt: no longer listening", OperationId, _options.CancelGracePeriod);
            }
            catch (Exception)
            {
                // the operation's own end (cancelled, failed): readers get it from Completion
            }
        }
        if (!Completion.IsCompleted) await _call.CancelAsync().ConfigureAwait(false);
        await Quietly(Completion).ConfigureAwait(false);
    }

    private async Task PumpAsync()
    {
        Exception? failure = null;
        var gave = false;
        try
        {
            await foreach (var response in _stream.ReadAsync(_call.Token).ConfigureAwait(false))
            {
                _state = "RUNNING";
                if (response.Schema is { } type && _schema is null) SchemaFrom(type);
                if (response.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch) gave |= await AcceptAsync(response.ArrowBatch).ConfigureAwait(false);
                else if (response.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ExecutionProgress) _stages = response.ExecutionProgress;
                else continue;
                Report();
            }
            if (!gave && _schema is { } schema) await WriteAsync(SparkArrowBatches.Empty(schema)).ConfigureAwait(false);
            _state = "FINISHED";
        }
        catch (SparkConnectException e) when (SparkErrors.IsCanceled(e))
        {
            _cancelledOnServer = true;
            failure = new SparkOperationCanceledException(OperationId, cancelledOnServer: true, e);
        }
        catch (Exception e) when (_cancel is not null)
        {
            failure = new SparkOperationCanceledException(OperationId, _interruptConfirmed, e as SparkConnectException);
        }
        catch (Exception e)
        {
            failure = e;
        }
        Finish(failure);
    }

    /// <summary>Ends the operation's bookkeeping; throws the failure so <see cref="Completion"/> carries it.</summary>
    private void Finish(Exception? failure)
    {
        _clock.Stop();
        if (failure is not null)
        {
            _state = failure is OperationCanceledException ? "CANCELED" : "FAILED";
            _ = _releaser?.AllAsync();
            _schemaKnown.TrySetException(failure);
        }
        _schemaKnown.TrySetResult(_schema ?? new Schema([], null));
        _batches.Writer.TryComplete(failure);
        Report();
        if (failure is not null) throw failure;
    }

    /// <summary>Takes an Arrow batch's record batches; false when it held none (a schema alone).</summary>
    private async Task<bool> AcceptAsync(ExecutePlanResponse.Types.ArrowBatch arrow)
    {
        var (schema, batches) = SparkArrowBatches.Read(arrow, OperationId);
        if (schema is not null && !_arrowSchema)
        {
            _arrowSchema = true; // Arrow's own schema says exactly what the batches hold
            SetSchema(schema);
        }
        Interlocked.Add(ref _rowsReceived, arrow.RowCount);
        foreach (var batch in batches) await WriteAsync(batch).ConfigureAwait(false);
        return batches.Count > 0;
    }

    private async Task WriteAsync(RecordBatch batch)
    {
        try
        {
            await _batches.Writer.WriteAsync(batch, _drain.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_drain.IsCancellationRequested)
        {
            batch.Dispose();
        }
    }

    private void SchemaFrom(Proto.DataType type)
    {
        try
        {
            SetSchema(SparkTypes.ToArrowSchema(type));
        }
        catch (FormatException e)
        {
            _rpc.Log.LogDebug("Schema of operation {OperationId} not understood: {Error}", OperationId, e.Message);
        }
    }

    private void SetSchema(Schema schema)
    {
        _schema = schema;
        _schemaKnown.TrySetResult(schema);
    }

    private void Report()
    {
        try { _options.Progress?.Report(Progress); }
        catch (Exception) { } // a failing display never stops the operation
    }

    private static async Task Quietly(Task task)
    {
        try { await task.ConfigureAwait(false); }
        catch (Exception) { } // the task's failure is reported where it is awaited for its result
    }
}
