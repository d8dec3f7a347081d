using KernelGateway.Jobs.Model;

namespace KernelGateway.Jobs.Scheduling;

/// <summary>What a scheduler found at start for one schedule: occurrences that fell while no scheduler ran, and what it did.</summary>
/// <param name="Schedule">The schedule's name.</param>
/// <param name="Missed">How many occurrences were missed.</param>
/// <param name="First">The first missed occurrence.</param>
/// <param name="Last">The last one.</param>
/// <param name="Policy">The schedule's policy.</param>
/// <param name="Queued">How many runs were queued for them (0 for skip, 1 for once).</param>
public sealed record MissedRunReport(string Schedule, int Missed, DateTimeOffset First, DateTimeOffset Last, MissedRunPolicy Policy, int Queued)
{
    /// <summary>The report as one log line.</summary>
    public override string ToString() =>
        $"schedule {Schedule}: {Missed} occurrence(s) missed while no scheduler ran ({First:u} to {Last:u}); policy {Policy.Name()}: " +
        (Policy == MissedRunPolicy.Skip ? "skipped" : $"{Queued} run(s) queued");
}
