namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// A Spark Connect operation was cancelled: by <see cref="SparkExecution.CancelAsync"/>, a cancelled token, or an
/// interrupt from elsewhere in the session. <see cref="CancelledOnServer"/> says whether the server confirmed it
/// stopped the operation (it ends an interrupted operation with error class <c>OPERATION_CANCELED</c>).
/// </summary>
public sealed class SparkOperationCanceledException : OperationCanceledException
{
    /// <summary>A cancelled operation.</summary>
    /// <param name="operationId">The operation.</param>
    /// <param name="cancelledOnServer">Whether the server confirmed the operation stopped.</param>
    /// <param name="serverError">The server's <c>OPERATION_CANCELED</c> error, when it sent one.</param>
    /// <param name="token">The token that was cancelled, when one was.</param>
    public SparkOperationCanceledException(string operationId, bool cancelledOnServer, SparkConnectException? serverError = null, CancellationToken token = default)
        : base(Describe(operationId, cancelledOnServer), serverError, token)
    {
        OperationId = operationId;
        CancelledOnServer = cancelledOnServer;
    }

    /// <summary>The operation.</summary>
    public string OperationId { get; }

    /// <summary>True when the server confirmed the operation stopped (it was interrupted there, not only abandoned here).</summary>
    public bool CancelledOnServer { get; }

    /// <summary>The server's error that ended the operation, when it sent one.</summary>
    public SparkConnectException? ServerError => InnerException as SparkConnectException;

    private static string Describe(string operationId, bool onServer) =>
        onServer ? $"Spark operation {operationId} was cancelled on the server" : $"Spark operation {operationId} was cancelled";
}
