namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// The states of Livy statements (<c>rsc/.../StatementState.java</c>: waiting, running, available, cancelling,
/// cancelled). A statement that failed is <c>available</c> with an error output; Livy's REST document also lists
/// <c>error</c>, which only old servers send: it is taken as final too.
/// </summary>
public static class LivyStatementStates
{
#pragma warning disable CS1591 // the names are Livy's
    public const string Waiting = "waiting";
    public const string Running = "running";
    public const string Available = "available";
    public const string Error = "error";
    public const string Cancelling = "cancelling";
    public const string Cancelled = "cancelled";
#pragma warning restore CS1591

    /// <summary>Whether the statement will not change any more.</summary>
    public static bool IsFinal(string state) => state is Available or Error or Cancelled;
}
