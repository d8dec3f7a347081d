using KernelGateway.Jobs.Model;

namespace KernelGateway.Jobs.Store;

/// <summary>
/// Where schedules and runs live: SQLite under the data directory (<see cref="SqliteJobStore"/>, one gateway) or
/// PostgreSQL (<see cref="PostgresJobStore"/>, several gateways sharing one database). Every method is atomic on its
/// own; the two that decide who runs what are built so that concurrent schedulers cannot both win:
/// <see cref="AddOccurrenceAsync"/> (a unique key on schedule and occurrence) and <see cref="ClaimNextAsync"/>.
/// Times are stored to the millisecond.
/// </summary>
public interface IJobStore : IAsyncDisposable
{
    /// <summary>Creates the tables if they are missing. Safe to call from several processes at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Adds a schedule (its <see cref="Schedule.Id"/> is ignored) with its first snapshot in the history.</summary>
    /// <exception cref="JobException">Conflict: the name is taken.</exception>
    Task<Schedule> AddScheduleAsync(Schedule schedule, CancellationToken cancellationToken);

    /// <summary>A schedule by name, or null.</summary>
    Task<Schedule?> GetScheduleAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every schedule, by name.</summary>
    Task<IReadOnlyList<Schedule>> ListSchedulesAsync(CancellationToken cancellationToken);

    /// <summary>Writes a schedule's changeable fields; a new <see cref="Schedule.Snapshot"/> is added to its history.</summary>
    /// <exception cref="JobException">NotFound: no schedule with that id.</exception>
    Task<Schedule> UpdateScheduleAsync(Schedule schedule, CancellationToken cancellationToken);

    /// <summary>A schedule's snapshots, oldest first.</summary>
    Task<IReadOnlyList<SnapshotEntry>> SnapshotHistoryAsync(long scheduleId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a schedule: its queued runs are cancelled, its running ones asked to cancel; its runs stay in the
    /// history under its name. False when there was none.
    /// </summary>
    Task<bool> RemoveScheduleAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Moves a schedule's evaluation mark forward (never back): occurrences up to <paramref name="until"/> are dealt with.</summary>
    Task AdvanceEvaluationAsync(long scheduleId, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Creates the run of one occurrence unless it exists (whoever created it first wins); null when it existed.</summary>
    Task<RunRecord?> AddOccurrenceAsync(NewRun run, CancellationToken cancellationToken);

    /// <summary>Creates a run that is not an occurrence (run-now, API).</summary>
    Task<RunRecord> AddRunAsync(NewRun run, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the oldest queued run that may start now — its schedule below its concurrency bound — for
    /// <paramref name="owner"/>: it becomes running with its start time and output path. Null when none may start.
    /// Two schedulers never claim the same run.
    /// </summary>
    Task<RunRecord?> ClaimNextAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records the end of a running run; false when it was not running (e.g. failed as abandoned meanwhile).</summary>
    Task<bool> CompleteAsync(long runId, RunCompletion completion, CancellationToken cancellationToken);

    /// <summary>A run by id, or null.</summary>
    Task<RunRecord?> GetRunAsync(long runId, CancellationToken cancellationToken);

    /// <summary>Runs matching the query, newest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>Cancels a queued run at once, or marks a running one cancel-requested; returns the run as it is then (null: no such run).</summary>
    Task<RunRecord?> RequestCancelAsync(long runId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The ids of <paramref name="owner"/>'s running runs that were asked to cancel.</summary>
    Task<IReadOnlyList<long>> CancelRequestedAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Says that <paramref name="owner"/> still runs its running runs.</summary>
    Task HeartbeatAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Fails running runs whose scheduler has not been heard from since <paramref name="staleBefore"/> (it died); returns how many.</summary>
    Task<int> FailAbandonedAsync(DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken);
}
