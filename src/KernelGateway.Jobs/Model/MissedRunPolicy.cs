namespace KernelGateway.Jobs.Model;

/// <summary>What a scheduler does, when it starts, with a schedule's occurrences that fell while no scheduler ran.</summary>
public enum MissedRunPolicy
{
    /// <summary>Run none; the missed occurrences are recorded as one <see cref="RunState.Skipped"/> run and reported.</summary>
    Skip,

    /// <summary>Run once for all of them (the latest occurrence); the default.</summary>
    Once,

    /// <summary>Run each missed occurrence (at most <see cref="Scheduling.SchedulerOptions.MaxCatchUpRuns"/>).</summary>
    All,
}

/// <summary>The text form of <see cref="MissedRunPolicy"/>.</summary>
public static class MissedRunPolicies
{
    /// <summary>The policy's name: <c>skip</c>, <c>once</c> or <c>all</c>.</summary>
    public static string Name(this MissedRunPolicy policy) => policy switch
    {
        MissedRunPolicy.Skip => "skip",
        MissedRunPolicy.Once => "once",
        MissedRunPolicy.All => "all",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    /// <summary>Reads a policy name (any case).</summary>
    /// <exception cref="FormatException">Not skip, once or all.</exception>
    public static MissedRunPolicy Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "skip" => MissedRunPolicy.Skip,
        "once" => MissedRunPolicy.Once,
        "all" => MissedRunPolicy.All,
        _ => throw new FormatException($"'{text}' is not a missed-run policy (skip, once, all)"),
    };
}
