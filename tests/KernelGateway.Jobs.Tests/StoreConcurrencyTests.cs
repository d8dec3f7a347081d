using System.Collections.Concurrent;
using KernelGateway.Jobs.Model;
using KernelGateway.Jobs.Scheduling;
using KernelGateway.Jobs.Store;
using KernelGateway.Tests;
using KernelGateway.Tests.Fixtures;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Jobs.Tests;

/// <summary>Several schedulers or stores on one database: every occurrence and every run is run exactly once.</summary>
public sealed class StoreConcurrencyTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Two_schedulers_on_one_postgres_database_never_run_the_same_occurrence_twice()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var data = TestEnvironment.TempDirectory("jobs-pg");
        var clock = new FakeTimeProvider(Start);
        var options = new SchedulerOptions { MaxConcurrentRuns = 8, AbandonedAfter = TimeSpan.FromDays(1) };
        await using var a = new JobsHarness(Start, data, options, new PostgresJobStore(postgres.ConnectionString), clock);
        await using var b = new JobsHarness(Start, data, options, new PostgresJobStore(postgres.ConnectionString), clock);
        var notebook = a.WriteNotebook();
        for (var i = 0; i < 4; i++)
            await a.Service.AddScheduleAsync(new ScheduleDefinition { Name = $"s{i}", Notebook = notebook, Cron = "* * * * *" });
        for (var i = 0; i < 20; i++) await b.Service.SubmitRunAsync(new RunRequest { Notebook = notebook });

        const int Minutes = 30;
        for (var m = 0; m < Minutes; m++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            // both at once, twice, so that each minute's runs of every schedule get claimed
            for (var round = 0; round < 3; round++)
            {
                await Task.WhenAll(Task.Run(() => a.Scheduler.TickAsync(TestTime.Soon())), Task.Run(() => b.Scheduler.TickAsync(TestTime.Soon())));
                await Task.WhenAll(a.Scheduler.WhenIdleAsync(), b.Scheduler.WhenIdleAsync()).WaitAsync(TestTime.Soon());
            }
        }

        var executed = a.Executor.Executions.Concat(b.Executor.Executions).Select(e => e.Run).ToList();
        Assert.Equal(executed.Count, executed.Select(r => r.Id).Distinct().Count()); // no run twice
        var occurrences = executed.Where(r => r.Occurrence is not null).Select(r => (r.ScheduleName, r.Occurrence)).ToList();
        Assert.Equal(occurrences.Count, occurrences.Distinct().Count()); // no occurrence twice
        Assert.Equal(4 * Minutes, occurrences.Count); // and every one once
        Assert.Equal(20, executed.Count(r => r.ScheduleName is null));
        Assert.NotEmpty(a.Executor.Executions);
        Assert.NotEmpty(b.Executor.Executions);
        Assert.True(a.Executor.MostAtOncePerSchedule <= 1 && b.Executor.MostAtOncePerSchedule <= 1);
        var all = await a.Service.ListRunsAsync(new RunQuery { Limit = 1000 });
        Assert.Equal(4 * Minutes + 20, all.Count);
        Assert.All(all, r => Assert.Equal(RunState.Succeeded, r.State));
    }

    [Fact]
    public async Task Racing_claims_on_postgres_hand_each_queued_run_to_exactly_one_claimer()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var one = new PostgresJobStore(postgres.ConnectionString);
        await using var two = new PostgresJobStore(postgres.ConnectionString);
        await Task.WhenAll(one.InitializeAsync(TestTime.Soon()), two.InitializeAsync(TestTime.Soon())); // schema creation races too
        await RacingClaimsAsync(one, two);
    }

    [Fact]
    public async Task Two_sqlite_stores_on_one_wal_file_write_and_claim_at_once_without_losing_or_doubling_a_run()
    {
        var path = Path.Combine(TestEnvironment.TempDirectory("jobs-wal"), "state.db");
        await using var one = new SqliteJobStore(path);
        await using var two = new SqliteJobStore(path);
        await one.InitializeAsync(TestTime.Soon());
        await two.InitializeAsync(TestTime.Soon());
        await using (var c = new SqliteConnection($"Data Source={path}"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
        }
        await RacingClaimsAsync(one, two);
    }

    /// <summary>One store adds 200 runs while both claim them from two tasks each; every run is claimed exactly once.</summary>
    private static async Task RacingClaimsAsync(IJobStore one, IJobStore two)
    {
        const int Runs = 200;
        var claimed = new ConcurrentBag<(string Owner, long Id)>();
        var adding = Task.Run(async () =>
        {
            for (var i = 0; i < Runs; i++)
                await (i % 2 == 0 ? one : two).AddRunAsync(new NewRun(null, null, null, RunTriggers.Api, RunState.Queued, Start, [], new string('a', 64), "n.ipynb", null, null), TestTime.Soon());
        });
        async Task Claim(IJobStore store, string owner)
        {
            while (true)
            {
                var allAdded = adding.IsCompleted; // read before the claim: a miss after it means nothing is left
                var run = await store.ClaimNextAsync(owner, Start, TestTime.Soon());
                if (run is not null) claimed.Add((owner, run.Id));
                else if (allAdded) return;
            }
        }
        await Task.WhenAll(adding, Claim(one, "one-a"), Claim(one, "one-b"), Claim(two, "two-a"), Claim(two, "two-b")).WaitAsync(TestTime.Soon());
        Assert.Equal(Runs, claimed.Count);
        Assert.Equal(Runs, claimed.Select(c => c.Id).Distinct().Count());
        var stored = await one.ListRunsAsync(new RunQuery { Limit = 1000 }, TestTime.Soon());
        Assert.All(stored, r => Assert.Equal(RunState.Running, r.State));
        Assert.Equal(claimed.OrderBy(c => c.Id).Select(c => c.Owner), stored.OrderBy(r => r.Id).Select(r => r.ClaimedBy));
    }
}
