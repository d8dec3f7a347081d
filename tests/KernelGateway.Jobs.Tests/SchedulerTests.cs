using System.Text.Json.Nodes;
using KernelGateway.Jobs.Model;
using KernelGateway.Jobs.Scheduling;
using KernelGateway.Jobs.Store;
using KernelGateway.Tests;

namespace KernelGateway.Jobs.Tests;

/// <summary>The scheduler on a controlled clock over a real SQLite store, with a recording executor.</summary>
public sealed class SchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Across_both_dst_changes_a_0230_amsterdam_schedule_runs_once_a_day()
    {
        await using var h = new JobsHarness(Start);
        await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "nightly", Notebook = h.WriteNotebook(), Cron = "30 2 * * *", TimeZone = "Europe/Amsterdam" });
        async Task StepUntil(DateTimeOffset end)
        {
            while (h.Time.GetUtcNow() < end)
            {
                h.Time.Advance(TimeSpan.FromMinutes(15));
                await h.TickAndSettleAsync();
            }
        }
        await StepUntil(new DateTimeOffset(2026, 3, 31, 0, 0, 0, TimeSpan.Zero));
        await h.Service.PauseAsync("nightly"); // the summer is skipped: a resume counts from then
        h.Time.SetUtcNow(new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero));
        await h.Service.ResumeAsync("nightly");
        await StepUntil(new DateTimeOffset(2026, 10, 27, 0, 0, 0, TimeSpan.Zero));

        var occurrences = h.Executor.Executions.Select(e => e.Run.Occurrence!.Value).Order().ToList();
        Assert.Equal(
        [
            new(2026, 3, 28, 1, 30, 0, TimeSpan.Zero), new(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), new(2026, 3, 30, 0, 30, 0, TimeSpan.Zero),
            new(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), new(2026, 10, 26, 1, 30, 0, TimeSpan.Zero),
        ], occurrences);
    }

    [Fact]
    public async Task The_loop_wakes_at_the_next_occurrence_on_the_clock_it_is_given()
    {
        await using var h = new JobsHarness(Start);
        await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "hourly", Notebook = h.WriteNotebook(), Cron = "0 * * * *" });
        await h.Scheduler.StartAsync(TestTime.Soon());
        var started = h.Executor.NextStartedAsync(TestTime.Soon());
        Assert.False(started.IsCompleted);
        h.Time.Advance(TimeSpan.FromHours(1));
        var run = (await started).Run;
        Assert.Equal(new DateTimeOffset(2026, 3, 27, 13, 0, 0, TimeSpan.Zero), run.Occurrence);
        Assert.Equal("cron", run.Trigger);
    }

    [Fact]
    public async Task A_schedule_runs_the_snapshot_taken_when_it_was_added_whatever_happens_to_the_workspace_file()
    {
        await using var h = new JobsHarness(Start);
        var path = h.WriteNotebook(code: "print('version 1')");
        var original = await File.ReadAllTextAsync(path);
        var schedule = await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "report", Notebook = path, Cron = "0 6 * * *" });
        Notebooks.Write(path, "print('version 2')");

        await h.Service.RunNowAsync("report");
        await h.TickAndSettleAsync();
        var (first, source) = Assert.Single(h.Executor.Executions);
        Assert.Equal(original, source);
        Assert.Equal(schedule.Snapshot, first.Snapshot);
        var snapshotFile = h.Sources.PathOf(schedule.Snapshot);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(snapshotFile));

        var updated = await h.Service.UpdateScheduleAsync("report", new ScheduleChange { TakeSnapshot = true });
        Assert.NotEqual(schedule.Snapshot, updated.Snapshot);
        var details = await h.Service.ShowScheduleAsync("report");
        Assert.Equal([schedule.Snapshot, updated.Snapshot], details.Snapshots.Select(s => s.Snapshot));
        Assert.Equal(original, await File.ReadAllTextAsync(snapshotFile)); // the old snapshot stays as it was
        await h.Service.RunNowAsync("report");
        await h.TickAndSettleAsync();
        Assert.Contains(h.Executor.Executions, e => e.Source.Contains("version 2"));
    }

    [Fact]
    public async Task The_same_notebook_bytes_are_stored_once()
    {
        await using var h = new JobsHarness(Start);
        var path = h.WriteNotebook();
        var a = await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "a", Notebook = path, Cron = "0 6 * * *" });
        var b = await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "b", Notebook = path, Cron = "0 7 * * *" });
        Assert.Equal(a.Snapshot, b.Snapshot);
        Assert.Single(Directory.GetFiles(h.Sources.Root));
    }

    [Theory]
    [InlineData(MissedRunPolicy.Skip, 0, "skipped")]
    [InlineData(MissedRunPolicy.Once, 1, "succeeded")]
    [InlineData(MissedRunPolicy.All, 5, "succeeded")]
    public async Task Occurrences_missed_while_the_server_was_down_are_reported_and_handled_by_policy(MissedRunPolicy policy, int executions, string state)
    {
        var data = TestEnvironment.TempDirectory("jobs-restart");
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        await using (var first = new JobsHarness(Start, data, time: clock))
        {
            await first.Service.AddScheduleAsync(new ScheduleDefinition { Name = "hourly", Notebook = first.WriteNotebook(), Cron = "0 * * * *", MissedRuns = policy });
            Assert.Empty(await first.Scheduler.StartAsync(TestTime.Soon()));
            await first.Scheduler.StopAsync();
        }
        clock.Advance(TimeSpan.FromHours(5) + TimeSpan.FromMinutes(10)); // 13:00 ... 17:00 fall while it is down

        await using var second = new JobsHarness(Start, data, time: clock);
        var report = Assert.Single(await second.Scheduler.CatchUpAsync(TestTime.Soon()));
        Assert.Equal((5, policy, executions), (report.Missed, report.Policy, report.Queued));
        Assert.Equal(new DateTimeOffset(2026, 3, 27, 13, 0, 0, TimeSpan.Zero), report.First);
        Assert.Equal(new DateTimeOffset(2026, 3, 27, 17, 0, 0, TimeSpan.Zero), report.Last);
        for (var i = 0; i < 10 && (i == 0 || (await second.Service.ListRunsAsync(new RunQuery { State = RunState.Queued })).Count > 0); i++)
            await second.TickAndSettleAsync(); // one at a time: runs of a schedule do not overlap
        Assert.Equal(executions, second.Executor.Executions.Count);
        var runs = await second.Service.ListRunsAsync(new RunQuery { Schedule = "hourly" });
        Assert.All(runs, r => Assert.Equal(("missed", state), (r.Trigger, r.State.Name())));
        Assert.Equal(Math.Max(executions, 1), runs.Count);
        Assert.Contains("5 occurrence(s) missed", runs[0].Note);

        // and a second restart finds nothing more to catch up
        Assert.Empty(await second.Scheduler.CatchUpAsync(TestTime.Soon()));
    }

    [Fact]
    public async Task Runs_of_one_schedule_never_overlap_by_default_and_the_overall_bound_holds()
    {
        await using var h = new JobsHarness(Start, options: new SchedulerOptions { MaxConcurrentRuns = 2 });
        h.Executor.Hold = true;
        await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "minutely", Notebook = h.WriteNotebook(), Cron = "* * * * *" });
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Scheduler.TickAsync(TestTime.Soon());
        var first = (await h.Executor.NextStartedAsync(TestTime.Soon())).Run;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Scheduler.TickAsync(TestTime.Soon());
        Assert.Equal(1, h.Scheduler.ActiveRuns);
        var queued = Assert.Single(await h.Service.ListRunsAsync(new RunQuery { State = RunState.Queued }));
        Assert.Equal(first.Occurrence!.Value.AddMinutes(1), queued.Occurrence);

        // ad-hoc runs fill the overall bound (2), no more
        var path = h.WriteNotebook("adhoc.ipynb");
        for (var i = 0; i < 3; i++) await h.Service.SubmitRunAsync(new RunRequest { Notebook = path });
        await h.Scheduler.TickAsync(TestTime.Soon());
        Assert.Equal(2, h.Scheduler.ActiveRuns);

        h.Executor.ReleaseAll();
        await h.Scheduler.WhenIdleAsync().WaitAsync(TestTime.Soon());
        while ((await h.Service.ListRunsAsync(new RunQuery { State = RunState.Queued })).Count > 0) await h.TickAndSettleAsync();
        Assert.Equal(1, h.Executor.MostAtOncePerSchedule);
        Assert.Equal(2, h.Executor.MostAtOnce);
        Assert.Equal(5, h.Executor.Executions.Count);
    }

    [Fact]
    public async Task A_schedule_with_max_concurrency_two_runs_two_at_once()
    {
        await using var h = new JobsHarness(Start);
        h.Executor.Hold = true;
        await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "wide", Notebook = h.WriteNotebook(), Cron = "0 6 * * *", MaxConcurrency = 2 });
        for (var i = 0; i < 3; i++) await h.Service.RunNowAsync("wide");
        await h.Scheduler.TickAsync(TestTime.Soon());
        Assert.Equal(2, h.Scheduler.ActiveRuns);
    }

    [Fact]
    public async Task Cancelling_a_running_run_stops_its_executor_and_records_cancelled_and_a_queued_one_never_runs()
    {
        await using var h = new JobsHarness(Start);
        h.Executor.Hold = true;
        await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "slow", Notebook = h.WriteNotebook(), Cron = "0 6 * * *" });
        var running = await h.Service.RunNowAsync("slow");
        var queued = await h.Service.RunNowAsync("slow");
        await h.Scheduler.TickAsync(TestTime.Soon());
        await h.Executor.NextStartedAsync(TestTime.Soon());

        Assert.Equal(RunState.Cancelled, (await h.Service.CancelRunAsync(queued.Id)).State);
        Assert.True((await h.Service.CancelRunAsync(running.Id)).CancelRequested);
        await h.TickAndSettleAsync();

        var ended = await h.Service.GetRunAsync(running.Id);
        Assert.Equal(RunState.Cancelled, ended.State);
        Assert.Contains("KeyboardInterrupt", ended.Error);
        Assert.NotNull(h.Service.OutputFile(ended));
        Assert.Single(h.Executor.Executions);
        var e = await Assert.ThrowsAsync<JobException>(() => h.Service.CancelRunAsync(running.Id));
        Assert.Equal(JobError.Conflict, e.Error);
    }

    [Fact]
    public async Task Output_notebooks_are_named_by_schedule_and_run_id_under_runs()
    {
        await using var h = new JobsHarness(Start);
        await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "named", Notebook = h.WriteNotebook(), Cron = "0 6 * * *", Parameters = new JsonObject { ["x"] = 2 } });
        var run = await h.Service.RunNowAsync("named", new JsonObject { ["y"] = "z" });
        await h.TickAndSettleAsync();
        var ended = await h.Service.GetRunAsync(run.Id);
        Assert.Equal($"runs/named/named-{run.Id}.ipynb", ended.OutputPath);
        Assert.Equal(Path.Combine(h.DataDirectory, "runs", "named", $"named-{run.Id}.ipynb"), h.Service.OutputFile(ended));
        Assert.Equal("""{"x":2,"y":"z"}""", ended.Parameters.ToJsonString());
        Assert.Equal((RunState.Succeeded, "fake"), (ended.State, ended.Kernel));
        Assert.NotNull(ended.Started);
        Assert.NotNull(ended.Ended);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("has space")]
    [InlineData("")]
    public async Task A_schedule_name_that_cannot_name_a_file_is_refused(string name)
    {
        await using var h = new JobsHarness(Start);
        var e = await Assert.ThrowsAsync<JobException>(() => h.Service.AddScheduleAsync(new ScheduleDefinition { Name = name, Notebook = h.WriteNotebook(), Cron = "0 6 * * *" }));
        Assert.Equal(JobError.Invalid, e.Error);
    }

    [Fact]
    public async Task A_taken_name_is_a_conflict_and_a_file_that_is_not_a_notebook_is_refused_naming_it()
    {
        await using var h = new JobsHarness(Start);
        await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "once", Notebook = h.WriteNotebook(), Cron = "0 6 * * *" });
        Assert.Equal(JobError.Conflict, (await Assert.ThrowsAsync<JobException>(() =>
            h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "once", Notebook = h.WriteNotebook(), Cron = "0 6 * * *" }))).Error);
        var bad = Path.Combine(h.DataDirectory, "bad.ipynb");
        await File.WriteAllTextAsync(bad, "{ not json");
        var e = await Assert.ThrowsAsync<JobException>(() => h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "bad", Notebook = bad, Cron = "0 6 * * *" }));
        Assert.Contains(bad, e.Message);
    }

    [Fact]
    public async Task A_paused_schedule_creates_no_runs_and_resumes_from_the_next_occurrence()
    {
        await using var h = new JobsHarness(Start);
        await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "p", Notebook = h.WriteNotebook(), Cron = "0 * * * *" });
        await h.Service.PauseAsync("p");
        h.Time.Advance(TimeSpan.FromHours(3));
        await h.TickAndSettleAsync();
        Assert.Empty(h.Executor.Executions);
        await h.Service.ResumeAsync("p");
        await h.TickAndSettleAsync();
        Assert.Empty(h.Executor.Executions);
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.TickAndSettleAsync();
        Assert.Single(h.Executor.Executions);
    }

    [Fact]
    public async Task Removing_a_schedule_keeps_its_run_history()
    {
        await using var h = new JobsHarness(Start);
        await h.Service.AddScheduleAsync(new ScheduleDefinition { Name = "gone", Notebook = h.WriteNotebook(), Cron = "0 6 * * *" });
        await h.Service.RunNowAsync("gone");
        await h.TickAndSettleAsync();
        await h.Service.RemoveScheduleAsync("gone");
        Assert.Empty(await h.Service.ListSchedulesAsync());
        var run = Assert.Single(await h.Service.ListRunsAsync(new RunQuery { Schedule = "gone" }));
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Null(run.ScheduleId);
        Assert.Equal(JobError.NotFound, (await Assert.ThrowsAsync<JobException>(() => h.Service.RemoveScheduleAsync("gone"))).Error);
    }

    [Fact]
    public async Task A_run_whose_scheduler_died_is_failed_as_abandoned()
    {
        await using var h = new JobsHarness(Start);
        var run = await h.Service.SubmitRunAsync(new RunRequest { Notebook = h.WriteNotebook() });
        Assert.NotNull(await h.Store.ClaimNextAsync("a-dead-scheduler", h.Time.GetUtcNow(), TestTime.Soon()));
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.TickAndSettleAsync();
        var ended = await h.Service.GetRunAsync(run.Id);
        Assert.Equal(RunState.Failed, ended.State);
        Assert.Contains("no heartbeat", ended.Error);
    }
}
