using System.Collections.Concurrent;

namespace KernelGateway.Tests.Fixtures.Spark.Connect;

/// <summary>How <see cref="SparkConnectFaults.DropStreamAfter"/> breaks a stream.</summary>
public enum StreamDrop
{
    /// <summary>Reset the HTTP/2 stream (RST_STREAM INTERNAL_ERROR), no gRPC status: the call fails at the client while the connection lives on.</summary>
    ResetStream,

    /// <summary>Abort the TCP connection under the stream, as a network failure does (clients see UNAVAILABLE).</summary>
    CloseConnection,
}

/// <summary>
/// Faults for the next ExecutePlan calls, each used by one call, in order. An execution keeps running when its stream
/// breaks: a reattachable one can be resumed with ReattachExecute.
/// </summary>
public sealed class SparkConnectFaults
{
    private readonly ConcurrentQueue<StreamFault> _streams = new();
    private readonly ConcurrentQueue<SparkConnectHold> _holds = new();
    private int _used;

    internal SparkConnectFaults()
    {
    }

    /// <summary>The next ExecutePlan stream breaks (no status) after sending <paramref name="responses"/> responses.</summary>
    public void DropStreamAfter(int responses, StreamDrop how = StreamDrop.ResetStream) => _streams.Enqueue(new StreamFault(responses, how, End: false));

    /// <summary>The next ExecutePlan stream ends with status OK after <paramref name="responses"/> responses and without
    /// ResultComplete, as Spark's response sender ends a reattachable stream past its maximum duration or size; the client
    /// must ReattachExecute for the rest.</summary>
    public void EndStreamAfter(int responses) => _streams.Enqueue(new StreamFault(responses, StreamDrop.ResetStream, End: true));

    /// <summary>The next execution stops after producing <paramref name="responses"/> responses (the schema counts) and
    /// waits until <see cref="SparkConnectHold.Release"/> or an interrupt: a query that is running, for as long as a test needs.</summary>
    public SparkConnectHold HoldAfter(int responses)
    {
        var hold = new SparkConnectHold(responses);
        _holds.Enqueue(hold);
        return hold;
    }

    /// <summary>How many faults calls have taken.</summary>
    public int Used => Volatile.Read(ref _used);

    internal StreamFault? TakeStreamFault() => Take(_streams);

    internal SparkConnectHold? TakeHold() => Take(_holds);

    private T? Take<T>(ConcurrentQueue<T> queue) where T : class
    {
        if (!queue.TryDequeue(out var fault)) return null;
        Interlocked.Increment(ref _used);
        return fault;
    }
}

/// <summary>A broken stream: after <see cref="Responses"/> responses, dropped as <see cref="How"/>, or ended OK when <see cref="End"/>.</summary>
internal sealed record StreamFault(int Responses, StreamDrop How, bool End);

/// <summary>An execution held after some responses (see <see cref="SparkConnectFaults.HoldAfter"/>).</summary>
public sealed class SparkConnectHold
{
    private readonly TaskCompletionSource<string> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SparkConnectHold(int responses) => Responses = responses;

    /// <summary>Responses produced before the execution holds.</summary>
    public int Responses { get; }

    /// <summary>Completes with the operation id once the execution is held.</summary>
    public Task<string> Reached => _reached.Task;

    /// <summary>Lets the execution go on.</summary>
    public void Release() => _released.TrySetResult();

    internal async Task WaitAsync(string operationId, CancellationToken ct)
    {
        _reached.TrySetResult(operationId);
        await _released.Task.WaitAsync(ct);
    }
}
