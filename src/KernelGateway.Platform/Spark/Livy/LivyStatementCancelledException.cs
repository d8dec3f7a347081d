namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// A statement was cancelled because the caller's token was: the client asked Livy to cancel it
/// (<c>POST .../cancel</c>) and waited, within <see cref="LivyOptions.CancelTimeout"/>, for the server to say so.
/// <see cref="FinalState"/> is what the server said last.
/// </summary>
public sealed class LivyStatementCancelledException : OperationCanceledException
{
    /// <summary>A cancelled statement.</summary>
    public LivyStatementCancelledException(int sessionId, int statementId, string? finalState, CancellationToken token, Exception? inner = null)
        : base(Describe(sessionId, statementId, finalState), inner, token)
    {
        SessionId = sessionId;
        StatementId = statementId;
        FinalState = finalState;
    }

    /// <summary>The session.</summary>
    public int SessionId { get; }

    /// <summary>The statement.</summary>
    public int StatementId { get; }

    /// <summary>The statement's last known state: <c>cancelled</c> when the server confirmed it, <c>available</c> when it had
    /// finished first, <c>cancelling</c> when the wait ran out, null when the server could not be asked.</summary>
    public string? FinalState { get; }

    /// <summary>Whether the server reported the statement cancelled.</summary>
    public bool ConfirmedByServer => FinalState == LivyStatementStates.Cancelled;

    private static string Describe(int session, int statement, string? state) => state switch
    {
        LivyStatementStates.Cancelled => $"statement {statement} of Livy session {session} was cancelled on the Livy server",
        LivyStatementStates.Available or LivyStatementStates.Error => $"statement {statement} of Livy session {session} was cancelled, but it had already finished on the Livy server",
        null => $"statement {statement} of Livy session {session} was cancelled; the Livy server could not be told",
        _ => $"statement {statement} of Livy session {session} was cancelled; the Livy server was asked to cancel it but it was still {state}",
    };
}
