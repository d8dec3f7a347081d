using System.Text.Json.Nodes;

namespace KernelGateway.Jobs.Model;

/// <summary>A stored schedule: what runs (a source snapshot), when (cron in a time zone), and how.</summary>
/// <param name="Id">The store's id.</param>
/// <param name="Name">The unique name (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>); runs' output files are named after it.</param>
/// <param name="Notebook">Where the notebook was snapshotted from (a path, or <c>upload:</c> and a name).</param>
/// <param name="Snapshot">The sha256 of the current source snapshot.</param>
/// <param name="Cron">The cron expression (5 fields, or 6 with seconds first).</param>
/// <param name="TimeZone">The IANA (or Windows) time zone id the cron is read in.</param>
/// <param name="Parameters">Parameter values injected into each run (JSON).</param>
/// <param name="Kernel">The kernelspec name; null: the notebook's own.</param>
/// <param name="Timeout">How long a run may take; null: no limit.</param>
/// <param name="Paused">Paused schedules create no runs.</param>
/// <param name="MissedRuns">What happens to occurrences missed while no scheduler ran.</param>
/// <param name="MaxConcurrency">Runs of this schedule running at once; 1 (no overlap) by default.</param>
/// <param name="EvaluatedUntil">Occurrences up to this moment have been turned into runs.</param>
/// <param name="Created">When it was added.</param>
/// <param name="Updated">When it last changed.</param>
public sealed record Schedule(long Id, string Name, string Notebook, string Snapshot, string Cron, string TimeZone, JsonObject Parameters, string? Kernel,
    TimeSpan? Timeout, bool Paused, MissedRunPolicy MissedRuns, int MaxConcurrency, DateTimeOffset EvaluatedUntil, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>One entry of a schedule's snapshot history: which source it ran from since when.</summary>
/// <param name="Snapshot">The sha256 of the source.</param>
/// <param name="Notebook">Where it was taken from.</param>
/// <param name="Taken">When.</param>
public sealed record SnapshotEntry(string Snapshot, string Notebook, DateTimeOffset Taken);
