namespace KernelGateway.Platform.Spark.Livy;

/// <summary>The states of Livy sessions and batches (Livy's <c>SessionState.scala</c>).</summary>
public static class LivySessionStates
{
#pragma warning disable CS1591 // the names are Livy's
    public const string NotStarted = "not_started";
    public const string Starting = "starting";
    public const string Recovering = "recovering";
    public const string Idle = "idle";
    public const string Running = "running";
    public const string Busy = "busy";
    public const string ShuttingDown = "shutting_down";
    public const string Error = "error";
    public const string Dead = "dead";
    public const string Killed = "killed";
    public const string Success = "success";
#pragma warning restore CS1591

    /// <summary>Whether a session or batch in this state will not run anything any more (error, dead, killed, success;
    /// also shutting_down, on its way to dead).</summary>
    public static bool IsFinal(string state) => state is Error or Dead or Killed or Success or ShuttingDown;

    /// <summary>Whether a session in this state takes statements now or soon (idle, busy, or still starting).</summary>
    public static bool IsUsable(string state) => state is NotStarted or Starting or Recovering or Idle or Busy or Running;
}
