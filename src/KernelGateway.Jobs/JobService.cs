using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KernelGateway.Jobs.Model;
using KernelGateway.Jobs.Scheduling;
using KernelGateway.Jobs.Sources;
using KernelGateway.Jobs.Store;

namespace KernelGateway.Jobs;

/// <summary>
/// What users do with schedules and runs — one method per command (<c>schedule add|update|list|show|runs|run-now|
/// pause|resume|remove</c>, <c>runs cancel</c>) and per HTTP route. It checks input, snapshots notebooks and writes
/// the store; the scheduler (in <c>serve</c>) does the running. Refusals are <see cref="JobException"/>s naming what
/// and where.
/// </summary>
/// <param name="store">The store.</param>
/// <param name="sources">The snapshot store.</param>
/// <param name="dataDirectory">The data directory: output notebooks are under its <c>runs/</c>.</param>
/// <param name="time">The clock; the system's by default.</param>
/// <param name="changed">Called after a run was queued or cancelled (the local scheduler's <see cref="Scheduler.Nudge"/>).</param>
public sealed partial class JobService(IJobStore store, SourceStore sources, string dataDirectory, TimeProvider? time = null, Action? changed = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The directory output notebooks are written under; nothing outside it is served.</summary>
    public string RunsDirectory { get; } = Path.Combine(Path.GetFullPath(dataDirectory), "runs");

    /// <summary><c>schedule add</c>: snapshots the notebook now and stores the schedule. Its first occurrence is the first after now.</summary>
    /// <exception cref="JobException">Invalid name, cron, time zone, bound, time limit or notebook; Conflict: the name is taken.</exception>
    public async Task<Schedule> AddScheduleAsync(ScheduleDefinition definition, CancellationToken cancellationToken = default)
    {
        CheckName(definition.Name);
        _ = CronSchedule.Parse(definition.Cron, definition.TimeZone);
        CheckBounds(definition.MaxConcurrency, definition.Timeout);
        var (snapshot, notebook) = Snapshot(definition.Notebook, definition.Content);
        var now = _time.GetUtcNow();
        return await store.AddScheduleAsync(new Schedule(0, definition.Name, notebook, snapshot, definition.Cron.Trim(), definition.TimeZone, definition.Parameters,
            Empty(definition.Kernel), definition.Timeout, definition.Paused, definition.MissedRuns, definition.MaxConcurrency, now, now, now), cancellationToken);
    }

    /// <summary>
    /// <c>schedule update</c>: changes what <paramref name="change"/> gives; with <see cref="ScheduleChange.TakeSnapshot"/> or a
    /// new notebook, a new snapshot becomes current (the history keeps the old). A new cron, time zone or a resume
    /// starts counting occurrences from now.
    /// </summary>
    /// <exception cref="JobException">NotFound; Invalid as for <see cref="AddScheduleAsync"/>.</exception>
    public async Task<Schedule> UpdateScheduleAsync(string name, ScheduleChange change, CancellationToken cancellationToken = default)
    {
        var s = await ScheduleAsync(name, cancellationToken);
        var now = _time.GetUtcNow();
        var updated = s with
        {
            Cron = change.Cron?.Trim() ?? s.Cron,
            TimeZone = change.TimeZone ?? s.TimeZone,
            Parameters = change.Parameters ?? s.Parameters,
            Kernel = change.Kernel is null ? s.Kernel : Empty(change.Kernel),
            Timeout = change.Timeout is null ? s.Timeout : change.Timeout == TimeSpan.Zero ? null : change.Timeout,
            MissedRuns = change.MissedRuns ?? s.MissedRuns,
            MaxConcurrency = change.MaxConcurrency ?? s.MaxConcurrency,
            Paused = change.Paused ?? s.Paused,
            Updated = now,
        };
        _ = CronSchedule.Parse(updated.Cron, updated.TimeZone);
        CheckBounds(updated.MaxConcurrency, updated.Timeout);
        if (change.TakeSnapshot || change.Notebook is not null || change.Content is not null)
        {
            var (snapshot, notebook) = Snapshot(change.Notebook ?? s.Notebook, change.Content);
            updated = updated with { Snapshot = snapshot, Notebook = notebook };
        }
        if (updated.Cron != s.Cron || updated.TimeZone != s.TimeZone || (s.Paused && !updated.Paused)) updated = updated with { EvaluatedUntil = now };
        return await store.UpdateScheduleAsync(updated, cancellationToken);
    }

    /// <summary><c>schedule list</c>: every schedule, by name.</summary>
    public Task<IReadOnlyList<Schedule>> ListSchedulesAsync(CancellationToken cancellationToken = default) => store.ListSchedulesAsync(cancellationToken);

    /// <summary><c>schedule show</c>: the schedule, its snapshot history, its next <paramref name="next"/> occurrences and latest 10 runs.</summary>
    /// <exception cref="JobException">NotFound.</exception>
    public async Task<ScheduleDetails> ShowScheduleAsync(string name, int next = 5, CancellationToken cancellationToken = default)
    {
        var s = await ScheduleAsync(name, cancellationToken);
        var upcoming = new List<DateTimeOffset>();
        if (!s.Paused)
        {
            var cron = CronSchedule.Parse(s.Cron, s.TimeZone);
            var t = _time.GetUtcNow();
            while (upcoming.Count < next && cron.Next(t) is { } n) upcoming.Add(t = n);
        }
        return new ScheduleDetails(s, await store.SnapshotHistoryAsync(s.Id, cancellationToken), upcoming,
            await store.ListRunsAsync(new RunQuery { Schedule = s.Name, Limit = 10 }, cancellationToken));
    }

    /// <summary><c>schedule runs</c> and <c>GET /api/runs</c>: runs by schedule, state and time, newest first.</summary>
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => store.ListRunsAsync(query, cancellationToken);

    /// <summary>One run.</summary>
    /// <exception cref="JobException">NotFound.</exception>
    public async Task<RunRecord> GetRunAsync(long id, CancellationToken cancellationToken = default) =>
        await store.GetRunAsync(id, cancellationToken) ?? throw new JobException(JobError.NotFound, $"no run {id}");

    /// <summary><c>schedule run-now</c>: queues a run of the schedule's current snapshot now (paused or not), its parameters with <paramref name="parameters"/> on top.</summary>
    /// <exception cref="JobException">NotFound.</exception>
    public async Task<RunRecord> RunNowAsync(string name, JsonObject? parameters = null, CancellationToken cancellationToken = default)
    {
        var s = await ScheduleAsync(name, cancellationToken);
        var merged = (JsonObject)s.Parameters.DeepClone();
        foreach (var (k, v) in parameters ?? []) merged[k] = v?.DeepClone();
        var run = await store.AddRunAsync(new NewRun(s.Id, s.Name, null, RunTriggers.Manual, RunState.Queued, _time.GetUtcNow(), merged, s.Snapshot, s.Notebook, s.Kernel, s.Timeout),
            cancellationToken);
        changed?.Invoke();
        return run;
    }

    /// <summary><c>schedule pause</c>: no new runs until resumed (queued and running ones go on).</summary>
    /// <exception cref="JobException">NotFound.</exception>
    public Task<Schedule> PauseAsync(string name, CancellationToken cancellationToken = default) =>
        UpdateScheduleAsync(name, new ScheduleChange { Paused = true }, cancellationToken);

    /// <summary><c>schedule resume</c>: runs again from the next occurrence (those that fell while paused are not run).</summary>
    /// <exception cref="JobException">NotFound.</exception>
    public Task<Schedule> ResumeAsync(string name, CancellationToken cancellationToken = default) =>
        UpdateScheduleAsync(name, new ScheduleChange { Paused = false }, cancellationToken);

    /// <summary><c>schedule remove</c>: removes the schedule; its queued runs are cancelled, running ones asked to stop; its run history stays.</summary>
    /// <exception cref="JobException">NotFound.</exception>
    public async Task RemoveScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!await store.RemoveScheduleAsync(name, _time.GetUtcNow(), cancellationToken)) throw new JobException(JobError.NotFound, $"no schedule named '{name}'");
        changed?.Invoke();
    }

    /// <summary><c>runs cancel</c>: a queued run is cancelled at once; a running one is interrupted by its scheduler and recorded cancelled.</summary>
    /// <exception cref="JobException">NotFound; Conflict: the run has already ended.</exception>
    public async Task<RunRecord> CancelRunAsync(long id, CancellationToken cancellationToken = default)
    {
        var run = await GetRunAsync(id, cancellationToken);
        if (run.State.IsFinal()) throw new JobException(JobError.Conflict, $"run {id} has already ended ({run.State.Name()})");
        run = await store.RequestCancelAsync(id, _time.GetUtcNow(), cancellationToken) ?? throw new JobException(JobError.NotFound, $"no run {id}");
        changed?.Invoke();
        return run;
    }

    /// <summary><c>POST /api/runs</c>: snapshots a notebook and queues one run of it now, without a schedule.</summary>
    /// <exception cref="JobException">Invalid: the notebook cannot be read or is not a notebook, or a bad time limit.</exception>
    public async Task<RunRecord> SubmitRunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        CheckBounds(1, request.Timeout);
        var (snapshot, notebook) = Snapshot(request.Notebook, request.Content);
        var run = await store.AddRunAsync(new NewRun(null, null, null, RunTriggers.Api, RunState.Queued, _time.GetUtcNow(), request.Parameters, snapshot, notebook,
            Empty(request.Kernel), request.Timeout), cancellationToken);
        changed?.Invoke();
        return run;
    }

    /// <summary>The absolute path of a run's output notebook, or null when it has none yet (queued, skipped, or ended before its kernel started).</summary>
    /// <exception cref="JobException">Invalid: the recorded path leaves <see cref="RunsDirectory"/>.</exception>
    public string? OutputFile(RunRecord run)
    {
        if (run.OutputPath is null) return null;
        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RunsDirectory)!, run.OutputPath));
        if (!full.StartsWith(RunsDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new JobException(JobError.Invalid, $"run {run.Id}'s output path is outside {RunsDirectory}");
        return File.Exists(full) ? full : null;
    }

    private async Task<Schedule> ScheduleAsync(string name, CancellationToken cancellationToken) =>
        await store.GetScheduleAsync(name, cancellationToken) ?? throw new JobException(JobError.NotFound, $"no schedule named '{name}'");

    private (string Snapshot, string Notebook) Snapshot(string notebook, byte[]? content) =>
        content is not null ? (sources.Put(content, notebook), notebook) : (sources.Snapshot(notebook), Path.GetFullPath(notebook));

    private static void CheckName(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw new JobException(JobError.Invalid, $"schedule name '{name}': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names the output files)");
    }

    private static void CheckBounds(int maxConcurrency, TimeSpan? timeout)
    {
        if (maxConcurrency < 1) throw new JobException(JobError.Invalid, $"max concurrency must be at least 1, not {maxConcurrency}");
        if (timeout is { } t && t <= TimeSpan.Zero) throw new JobException(JobError.Invalid, $"timeout must be positive, not {t.TotalSeconds} s");
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
