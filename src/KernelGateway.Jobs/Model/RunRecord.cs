using System.Text.Json.Nodes;

namespace KernelGateway.Jobs.Model;

/// <summary>Why a run exists: <c>cron</c> (an occurrence), <c>missed</c> (run at start for missed occurrences), <c>manual</c> (run-now), <c>api</c> (<c>POST /api/runs</c>).</summary>
public static class RunTriggers
{
    /// <summary>An occurrence of the schedule's cron.</summary>
    public const string Cron = "cron";

    /// <summary>Occurrences missed while no scheduler ran, run or skipped by the missed-run policy.</summary>
    public const string Missed = "missed";

    /// <summary><c>schedule run-now</c>.</summary>
    public const string Manual = "manual";

    /// <summary>A notebook run on request, without a schedule.</summary>
    public const string Api = "api";
}

/// <summary>One run, as recorded in the state database.</summary>
/// <param name="Id">The run id.</param>
/// <param name="ScheduleId">The schedule's id; null for a run without a schedule, or once its schedule was removed.</param>
/// <param name="ScheduleName">The schedule's name (kept after it is removed); null for a run without a schedule.</param>
/// <param name="Occurrence">The cron occurrence it stands for; null for run-now and API runs.</param>
/// <param name="Trigger">Why it exists (<see cref="RunTriggers"/>).</param>
/// <param name="State">Where it is.</param>
/// <param name="Queued">When it was created.</param>
/// <param name="Started">When a scheduler claimed it.</param>
/// <param name="Ended">When it ended.</param>
/// <param name="Parameters">The parameter values injected.</param>
/// <param name="Snapshot">The sha256 of the source it runs.</param>
/// <param name="Notebook">Where the source was taken from.</param>
/// <param name="OutputPath">The output notebook, relative to the data directory (<c>runs/...</c>); set when it starts.</param>
/// <param name="Kernel">The kernelspec asked for (null: the notebook's), or, once it ran, the one used.</param>
/// <param name="Timeout">How long it may take; null: no limit.</param>
/// <param name="FailingCell">The 1-based position of the failing cell among the code cells, when a cell failed.</param>
/// <param name="Error">What went wrong (the cell's error, or why it could not run).</param>
/// <param name="CancelRequested">Whether <c>runs cancel</c> asked it to stop.</param>
/// <param name="ClaimedBy">The scheduler that runs (or ran) it.</param>
/// <param name="Note">What the scheduler said about it (e.g. the occurrences a missed run stands for).</param>
public sealed record RunRecord(long Id, long? ScheduleId, string? ScheduleName, DateTimeOffset? Occurrence, string Trigger, RunState State,
    DateTimeOffset Queued, DateTimeOffset? Started, DateTimeOffset? Ended, JsonObject Parameters, string Snapshot, string Notebook, string? OutputPath,
    string? Kernel, TimeSpan? Timeout, int? FailingCell, string? Error, bool CancelRequested, string? ClaimedBy, string? Note);

/// <summary>A run to create.</summary>
/// <param name="ScheduleId">The schedule, or null.</param>
/// <param name="ScheduleName">Its name, or null.</param>
/// <param name="Occurrence">The occurrence (unique per schedule), or null.</param>
/// <param name="Trigger">Why (<see cref="RunTriggers"/>).</param>
/// <param name="State"><see cref="RunState.Queued"/>, or <see cref="RunState.Skipped"/> for a record of skipped occurrences.</param>
/// <param name="Queued">Now.</param>
/// <param name="Parameters">Parameter values.</param>
/// <param name="Snapshot">The source's sha256.</param>
/// <param name="Notebook">Where the source came from.</param>
/// <param name="Kernel">The kernelspec, or null.</param>
/// <param name="Timeout">The run's time limit, or null.</param>
/// <param name="Note">A note, or null.</param>
public sealed record NewRun(long? ScheduleId, string? ScheduleName, DateTimeOffset? Occurrence, string Trigger, RunState State, DateTimeOffset Queued,
    JsonObject Parameters, string Snapshot, string Notebook, string? Kernel, TimeSpan? Timeout, string? Note = null);

/// <summary>How a run ended, to record.</summary>
/// <param name="State">Succeeded, failed or cancelled.</param>
/// <param name="Ended">When.</param>
/// <param name="FailingCell">The failing cell (1-based among code cells), or null.</param>
/// <param name="Error">The error, or null.</param>
/// <param name="Kernel">The kernelspec used, or null when none was found.</param>
public sealed record RunCompletion(RunState State, DateTimeOffset Ended, int? FailingCell, string? Error, string? Kernel);

/// <summary>Which runs to list: every filter is optional; newest first.</summary>
public sealed record RunQuery
{
    /// <summary>Only the runs of this schedule (by name, removed schedules included).</summary>
    public string? Schedule { get; init; }

    /// <summary>Only runs in this state.</summary>
    public RunState? State { get; init; }

    /// <summary>Only runs queued at or after this moment.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only runs queued before this moment.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>At most this many; 100 by default.</summary>
    public int Limit { get; init; } = 100;
}
