namespace KernelGateway.Tests.Fixtures.Spark.Livy;

/// <summary>
/// A statement the test controls: it runs (state <c>running</c>) until <see cref="Complete"/>, reporting the progress
/// <see cref="SetProgress"/> gives it. When the client cancels it, it goes <c>cancelling</c> and its code is
/// interrupted, as Spark's <c>cancelJobGroup</c> interrupts a job: it ends <c>cancelled</c> with the error the job
/// raised.
/// </summary>
public sealed class LivyHeldStatement
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<LivyReply> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<double>? _progress;

    internal LivyHeldStatement(string code) => Code = code;

    /// <summary>The code it holds.</summary>
    public string Code { get; }

    /// <summary>The session it runs in, once started.</summary>
    public int? SessionId { get; private set; }

    /// <summary>Its statement id, once started.</summary>
    public int? StatementId { get; private set; }

    /// <summary>Completes when the statement is running.</summary>
    public Task Started => _started.Task;

    /// <summary>Completes when the client's cancel reached it.</summary>
    public Task Cancelled => _cancelled.Task;

    /// <summary>Sets the statement's <c>progress</c> (0.0 to 1.0).</summary>
    /// <exception cref="InvalidOperationException">It has not started.</exception>
    public void SetProgress(double progress) => (_progress ?? throw new InvalidOperationException("the statement has not started"))(progress);

    /// <summary>Ends the statement with this output.</summary>
    public void Complete(LivyReply reply) => _completion.TrySetResult(reply);

    internal async Task<LivyReply> RunAsync(int sessionId, int statementId, Action<double> progress, CancellationToken interrupt)
    {
        SessionId = sessionId;
        StatementId = statementId;
        _progress = progress;
        _started.TrySetResult();
        try
        {
            return await _completion.Task.WaitAsync(interrupt);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            _cancelled.TrySetResult();
            throw;
        }
    }
}
