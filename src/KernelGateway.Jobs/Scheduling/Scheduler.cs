using System.Collections.Concurrent;
using KernelGateway.Jobs.Model;
using KernelGateway.Jobs.Sources;
using KernelGateway.Jobs.Store;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Jobs.Scheduling;

/// <summary>
/// Turns schedules into runs and runs them. A loop on a <see cref="TimeProvider"/> wakes at the next occurrence of
/// any schedule (or after <see cref="SchedulerOptions.PollInterval"/>, or when nudged) and makes one
/// <see cref="TickAsync"/>: heartbeats and cancellations, queued runs for due occurrences, and claims of queued runs
/// up to the bounds (<see cref="SchedulerOptions.MaxConcurrentRuns"/> here, each schedule's own across schedulers).
/// At start it first deals with occurrences missed while no scheduler ran (<see cref="CatchUpAsync"/>). Several
/// schedulers may share one store: the store decides who creates and who runs each occurrence.
/// </summary>
public sealed class Scheduler : IAsyncDisposable
{
    private readonly IJobStore _store;
    private readonly SourceStore _sources;
    private readonly IRunExecutor _executor;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly string _dataDirectory;
    private readonly ConcurrentDictionary<long, ActiveRun> _active = new();
    private TaskCompletionSource _nudge = NewSignal();
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private DateTimeOffset? _nextDue;

    /// <summary>A scheduler over <paramref name="store"/>, running sources of <paramref name="sources"/> with <paramref name="executor"/>, output under <c>{dataDirectory}/runs</c>.</summary>
    public Scheduler(IJobStore store, SourceStore sources, IRunExecutor executor, string dataDirectory, SchedulerOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        _store = store;
        _sources = sources;
        _executor = executor;
        _dataDirectory = Path.GetFullPath(dataDirectory);
        _options = options ?? new SchedulerOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _log = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>This scheduler's name in the store (<c>claimed_by</c>): host, process id and a random part.</summary>
    public string Owner { get; }

    /// <summary>Raised after a run's end has been recorded, with the run as recorded.</summary>
    public event Action<RunRecord>? RunEnded;

    /// <summary>How many runs this scheduler is executing now.</summary>
    public int ActiveRuns => _active.Count;

    /// <summary>Deals with missed occurrences (reported in the log and returned), then starts the loop.</summary>
    public async Task<IReadOnlyList<MissedRunReport>> StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null) throw new InvalidOperationException("the scheduler is running");
        var missed = await CatchUpAsync(cancellationToken);
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        return missed;
    }

    /// <summary>Stops the loop, cancels the runs it executes (recorded as failed: the server stopped) and waits until their ends are recorded.</summary>
    public async Task StopAsync()
    {
        if (_stop is null) return;
        await _stop.CancelAsync();
        foreach (var run in _active.Values)
        {
            try { await run.Cancellation.CancelAsync(); }
            catch (ObjectDisposedException) { } // it has just ended
        }
        try { await _loop!; } catch (OperationCanceledException) { }
        await WhenIdleAsync();
        _stop.Dispose();
        _stop = null;
        _loop = null;
    }

    /// <summary>Wakes the loop now (a run was queued or cancelled through this gateway).</summary>
    public void Nudge() => _nudge.TrySetResult();

    /// <summary>Completes when every run this scheduler started has ended and been recorded.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_active.Values.Select(r => r.Task));

    /// <summary>
    /// For each active schedule, the occurrences between its evaluation mark and now fell while no scheduler ran:
    /// handled by its <see cref="MissedRunPolicy"/> (skip: one skipped run records them; once: one run for all;
    /// all: a run each, at most <see cref="SchedulerOptions.MaxCatchUpRuns"/>), reported, and the mark moved to now.
    /// </summary>
    public async Task<IReadOnlyList<MissedRunReport>> CatchUpAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var reports = new List<MissedRunReport>();
        foreach (var s in await _store.ListSchedulesAsync(cancellationToken))
        {
            if (s.Paused) continue;
            var missed = CronSchedule.Parse(s.Cron, s.TimeZone).Between(s.EvaluatedUntil, now).ToList();
            if (missed.Count > 0)
            {
                var note = $"{missed.Count} occurrence(s) missed while no scheduler ran, {missed[0]:u} to {missed[^1]:u}; policy {s.MissedRuns.Name()}";
                var toQueue = s.MissedRuns switch
                {
                    MissedRunPolicy.All => missed.TakeLast(_options.MaxCatchUpRuns).ToList(),
                    _ => [missed[^1]],
                };
                var state = s.MissedRuns == MissedRunPolicy.Skip ? RunState.Skipped : RunState.Queued;
                var queued = 0;
                foreach (var occurrence in toQueue)
                    if (await _store.AddOccurrenceAsync(Occurrence(s, occurrence, RunTriggers.Missed, state, now, note), cancellationToken) is not null && state == RunState.Queued) queued++;
                var report = new MissedRunReport(s.Name, missed.Count, missed[0], missed[^1], s.MissedRuns, queued);
                _log.LogWarning("{Report}", report.ToString());
                reports.Add(report);
            }
            await _store.AdvanceEvaluationAsync(s.Id, now, cancellationToken);
        }
        return reports;
    }

    /// <summary>One pass: heartbeat, abandoned runs, cancel requests, due occurrences queued, queued runs claimed and started.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!_active.IsEmpty) await _store.HeartbeatAsync(Owner, now, cancellationToken);
        var abandoned = await _store.FailAbandonedAsync(now - _options.AbandonedAfter, now, cancellationToken);
        if (abandoned > 0) _log.LogWarning("{Count} run(s) failed as abandoned: their scheduler was not heard from for {After}", abandoned, _options.AbandonedAfter);
        if (!_active.IsEmpty)
        {
            foreach (var id in await _store.CancelRequestedAsync(Owner, cancellationToken))
            {
                if (!_active.TryGetValue(id, out var run)) continue;
                run.CancelRequested = true;
                try { await run.Cancellation.CancelAsync(); }
                catch (ObjectDisposedException) { } // it has just ended
            }
        }
        await EnqueueDueAsync(cancellationToken);
        await DispatchAsync(cancellationToken);
    }

    /// <summary>Queues a run for each due occurrence of each active schedule (once, whichever scheduler gets there first); returns how many it created.</summary>
    public async Task<int> EnqueueDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? next = null;
        var created = 0;
        foreach (var s in await _store.ListSchedulesAsync(cancellationToken))
        {
            if (s.Paused) continue;
            CronSchedule cron;
            try { cron = CronSchedule.Parse(s.Cron, s.TimeZone); }
            catch (JobException e)
            {
                _log.LogError("schedule {Name} cannot run: {Error}", s.Name, e.Message);
                continue;
            }
            var due = cron.Between(s.EvaluatedUntil, now).TakeLast(_options.MaxCatchUpRuns).ToList();
            foreach (var occurrence in due)
                if (await _store.AddOccurrenceAsync(Occurrence(s, occurrence, RunTriggers.Cron, RunState.Queued, now, null), cancellationToken) is not null) created++;
            if (due.Count > 0) await _store.AdvanceEvaluationAsync(s.Id, due[^1], cancellationToken);
            if (cron.Next(now) is { } n && (next is null || n < next)) next = n;
        }
        _nextDue = next;
        return created;
    }

    /// <summary>Claims queued runs and starts them while this scheduler is below its bound; returns how many it started.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var started = 0;
        while (_active.Count < _options.MaxConcurrentRuns && _stop?.IsCancellationRequested != true)
        {
            var run = await ClaimAsync(cancellationToken);
            if (run is null) break;
            Start(run);
            started++;
        }
        return started;
    }

    /// <summary>Bookkeeping step 1: claims the next queued run for this scheduler, or null.</summary>
    public Task<RunRecord?> ClaimAsync(CancellationToken cancellationToken) => _store.ClaimNextAsync(Owner, _time.GetUtcNow(), cancellationToken);

    /// <summary>Bookkeeping step 2: the run's source snapshot (checked against its hash) and its output path (its directory created).</summary>
    /// <exception cref="JobException">The snapshot is missing or was changed on disk; the output path leaves the runs directory.</exception>
    public RunContext Prepare(RunRecord run)
    {
        _ = _sources.Read(run.Snapshot);
        var runs = Path.Combine(_dataDirectory, "runs") + Path.DirectorySeparatorChar;
        var output = Path.GetFullPath(Path.Combine(_dataDirectory, run.OutputPath ?? throw new JobException(JobError.Invalid, $"run {run.Id} has no output path: it was not claimed")));
        if (!output.StartsWith(runs, StringComparison.Ordinal)) throw new JobException(JobError.Invalid, $"run {run.Id}'s output path {run.OutputPath} is outside {runs}");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        return new RunContext(run, _sources.PathOf(run.Snapshot), output);
    }

    /// <summary>Bookkeeping step 3: records how a run ended and returns the record.</summary>
    public async Task<RunRecord> RecordAsync(RunRecord run, RunCompletion completion, CancellationToken cancellationToken)
    {
        if (!await _store.CompleteAsync(run.Id, completion, cancellationToken))
            _log.LogWarning("run {Id} had already been ended by another party (abandoned?); its outcome {State} was not recorded", run.Id, completion.State.Name());
        return await _store.GetRunAsync(run.Id, cancellationToken) ?? run;
    }

    private void Start(RunRecord run)
    {
        var active = new ActiveRun(CancellationTokenSource.CreateLinkedTokenSource(_stop?.Token ?? CancellationToken.None));
        _active[run.Id] = active;
        _log.LogInformation("run {Id} of {Schedule} started", run.Id, run.ScheduleName ?? "(no schedule)");
        active.Task = Task.Run(async () =>
        {
            try { await ExecuteAsync(run, active); }
            finally
            {
                _active.TryRemove(run.Id, out _);
                active.Cancellation.Dispose();
                Nudge();
            }
        });
    }

    private async Task ExecuteAsync(RunRecord run, ActiveRun active)
    {
        RunExecution result;
        try
        {
            result = await _executor.ExecuteAsync(Prepare(run), active.Cancellation.Token);
        }
        catch (JobException e)
        {
            result = new RunExecution(false, null, e.Message, run.Kernel);
        }
        catch (OperationCanceledException) when (active.Cancellation.IsCancellationRequested)
        {
            result = new RunExecution(false, null, "cancelled", run.Kernel);
        }
        catch (Exception e)
        {
            _log.LogError(e, "run {Id}: the executor failed", run.Id);
            result = new RunExecution(false, null, $"the executor failed: {e.GetType().Name}: {e.Message}", run.Kernel);
        }
        var stopped = active.Cancellation.IsCancellationRequested;
        var (state, error) = active.CancelRequested ? (RunState.Cancelled, result.Error ?? "cancelled")
            : stopped ? (RunState.Failed, "the scheduler stopped while it ran")
            : result.Succeeded ? (RunState.Succeeded, null)
            : (RunState.Failed, result.Error);
        try
        {
            var record = await RecordAsync(run, new RunCompletion(state, _time.GetUtcNow(), result.FailingCell, error, result.Kernel), CancellationToken.None);
            _log.LogInformation("run {Id} of {Schedule} {State}", run.Id, run.ScheduleName ?? "(no schedule)", state.Name());
            RunEnded?.Invoke(record);
        }
        catch (Exception e)
        {
            _log.LogError(e, "run {Id}: its end could not be recorded", run.Id);
        }
    }

    private async Task LoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            // A nudge during the tick sets the new signal, so the wait below ends at once.
            Interlocked.Exchange(ref _nudge, NewSignal());
            try { await TickAsync(stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e) { _log.LogError(e, "scheduler tick failed; retrying in {Interval}", _options.PollInterval); }
            var wait = _options.PollInterval;
            if (_nextDue is { } due)
            {
                var untilDue = due - _time.GetUtcNow();
                if (untilDue < wait) wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue;
            }
            using var woken = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var delay = Task.Delay(wait, _time, woken.Token);
            await Task.WhenAny(delay, _nudge.Task);
            await woken.CancelAsync();
        }
    }

    private static NewRun Occurrence(Schedule s, DateTimeOffset occurrence, string trigger, RunState state, DateTimeOffset now, string? note) =>
        new(s.Id, s.Name, occurrence, trigger, state, now, s.Parameters, s.Snapshot, s.Notebook, s.Kernel, s.Timeout, note);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class ActiveRun(CancellationTokenSource cancellation)
    {
        public CancellationTokenSource Cancellation { get; } = cancellation;
        public volatile bool CancelRequested;
        public Task Task { get; set; } = Task.CompletedTask;
    }
}
