using System.Text.Json.Nodes;

namespace KernelGateway.Jobs.Model;

/// <summary>What <c>schedule add</c> gives: the schedule as the user states it.</summary>
public sealed record ScheduleDefinition
{
    /// <summary>The unique name: 1–64 letters, digits, <c>.</c>, <c>_</c> or <c>-</c>, starting with a letter or digit.</summary>
    public required string Name { get; init; }

    /// <summary>The notebook to snapshot: a path (read now; later changes to the file do not reach the schedule).</summary>
    public required string Notebook { get; init; }

    /// <summary>The notebook's bytes when uploaded rather than read from <see cref="Notebook"/> (then only a label).</summary>
    public byte[]? Content { get; init; }

    /// <summary>The cron expression: 5 fields (minute hour day month weekday), or 6 with seconds first.</summary>
    public required string Cron { get; init; }

    /// <summary>The time zone the cron is read in (IANA id, e.g. <c>Europe/Amsterdam</c>); <c>UTC</c> by default.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Parameter values injected into each run; none by default.</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>The kernelspec; null (default): the notebook's own.</summary>
    public string? Kernel { get; init; }

    /// <summary>How long a run may take; null (default): no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Missed occurrences on restart; <see cref="MissedRunPolicy.Once"/> by default.</summary>
    public MissedRunPolicy MissedRuns { get; init; } = MissedRunPolicy.Once;

    /// <summary>Runs of this schedule at once; 1 (no overlap) by default.</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>Start paused; false by default.</summary>
    public bool Paused { get; init; }
}

/// <summary>What <c>schedule update</c> changes; a null property keeps its value.</summary>
public sealed record ScheduleChange
{
    /// <summary>Take a new snapshot: of <see cref="Notebook"/> when given, else of the path the schedule was made from. The history keeps the old ones.</summary>
    public bool TakeSnapshot { get; init; }

    /// <summary>A new notebook path (implies a new snapshot).</summary>
    public string? Notebook { get; init; }

    /// <summary>Uploaded bytes for the new snapshot (with <see cref="Notebook"/> as its label).</summary>
    public byte[]? Content { get; init; }

    /// <summary>A new cron expression.</summary>
    public string? Cron { get; init; }

    /// <summary>A new time zone.</summary>
    public string? TimeZone { get; init; }

    /// <summary>New parameters (replacing the old ones).</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>A new kernelspec; an empty string clears it (the notebook's own).</summary>
    public string? Kernel { get; init; }

    /// <summary>A new time limit; <see cref="TimeSpan.Zero"/> clears it.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>A new missed-run policy.</summary>
    public MissedRunPolicy? MissedRuns { get; init; }

    /// <summary>A new concurrency bound.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Pause (true) or resume (false).</summary>
    public bool? Paused { get; init; }
}

/// <summary>A notebook to run now without a schedule (<c>POST /api/runs</c>).</summary>
public sealed record RunRequest
{
    /// <summary>The notebook's path (or a label for <see cref="Content"/>).</summary>
    public required string Notebook { get; init; }

    /// <summary>The notebook's bytes, when uploaded.</summary>
    public byte[]? Content { get; init; }

    /// <summary>Parameter values; none by default.</summary>
    public JsonObject Parameters { get; init; } = [];

    /// <summary>The kernelspec; null: the notebook's own.</summary>
    public string? Kernel { get; init; }

    /// <summary>The time limit; null: none.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>A schedule with its snapshot history and next occurrences (<c>schedule show</c>).</summary>
/// <param name="Schedule">The schedule.</param>
/// <param name="Snapshots">Its snapshots, oldest first.</param>
/// <param name="Next">Its next occurrences (none when paused).</param>
/// <param name="RecentRuns">Its latest runs, newest first.</param>
public sealed record ScheduleDetails(Schedule Schedule, IReadOnlyList<SnapshotEntry> Snapshots, IReadOnlyList<DateTimeOffset> Next, IReadOnlyList<RunRecord> RecentRuns);
