namespace KernelGateway.Jobs.Model;

/// <summary>Where a run is in its life. Stored and shown in lower case (<c>queued</c>, <c>running</c>, ...).</summary>
public enum RunState
{
    /// <summary>Waiting for a scheduler to claim it.</summary>
    Queued,

    /// <summary>Claimed; its notebook runs.</summary>
    Running,

    /// <summary>Every cell ran without error.</summary>
    Succeeded,

    /// <summary>A cell failed, the run timed out, the kernel died or never started, or the server stopped under it.</summary>
    Failed,

    /// <summary>Cancelled (<c>runs cancel</c>) before or while it ran.</summary>
    Cancelled,

    /// <summary>Never run: an occurrence missed while no scheduler ran, dropped by the schedule's missed-run policy.</summary>
    Skipped,
}

/// <summary>The text form of <see cref="RunState"/>.</summary>
public static class RunStates
{
    /// <summary>The state's stored name, e.g. <c>queued</c>.</summary>
    public static string Name(this RunState state) => state switch
    {
        RunState.Queued => "queued",
        RunState.Running => "running",
        RunState.Succeeded => "succeeded",
        RunState.Failed => "failed",
        RunState.Cancelled => "cancelled",
        RunState.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>Reads a state name (any case).</summary>
    /// <exception cref="FormatException">Not a state name; the message lists them.</exception>
    public static RunState Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "queued" => RunState.Queued,
        "running" => RunState.Running,
        "succeeded" => RunState.Succeeded,
        "failed" => RunState.Failed,
        "cancelled" or "canceled" => RunState.Cancelled,
        "skipped" => RunState.Skipped,
        _ => throw new FormatException($"'{text}' is not a run state (queued, running, succeeded, failed, cancelled, skipped)"),
    };

    /// <summary>Whether the run has ended (no further change).</summary>
    public static bool IsFinal(this RunState state) => state is not (RunState.Queued or RunState.Running);
}
