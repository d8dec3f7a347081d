namespace KernelGateway.Jobs.Scheduling;

/// <summary>How a scheduler behaves; every property has a documented default.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Runs this scheduler executes at once, over all schedules (<c>KG_SCHEDULER_MAX_RUNS</c>); 4 by default.</summary>
    public int MaxConcurrentRuns { get; init; } = 4;

    /// <summary>
    /// How often the store is looked at besides the schedules' own times: runs queued by another gateway, cancel
    /// requests from another gateway, heartbeats; 2 seconds by default. A run queued or cancelled through this
    /// gateway is acted on at once.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A running run whose scheduler has not been heard from for this long is failed as abandoned; 1 minute by default.</summary>
    public TimeSpan AbandonedAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The most runs the <c>all</c> missed-run policy creates for one schedule at start (the latest ones); 100 by default.</summary>
    public int MaxCatchUpRuns { get; init; } = 100;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count below 1 or a non-positive interval.</exception>
    public void Validate()
    {
        if (MaxConcurrentRuns < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRuns), MaxConcurrentRuns, "must be at least 1");
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "must be positive");
        if (AbandonedAfter <= PollInterval) throw new ArgumentOutOfRangeException(nameof(AbandonedAfter), AbandonedAfter, "must be longer than the poll interval");
        if (MaxCatchUpRuns < 1) throw new ArgumentOutOfRangeException(nameof(MaxCatchUpRuns), MaxCatchUpRuns, "must be at least 1");
    }
}
