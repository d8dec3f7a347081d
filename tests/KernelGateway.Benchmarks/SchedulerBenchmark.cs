using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KernelGateway.Tests.Fixtures;
using KernelGateway.Jobs;
using KernelGateway.Jobs.Model;
using KernelGateway.Jobs.Scheduling;
using KernelGateway.Jobs.Sources;
using KernelGateway.Jobs.Store;

namespace KernelGateway.Benchmarks;

/// <summary>
/// <c>--suite scheduler</c>: issue 11's scheduler overhead per run — the bookkeeping around a notebook's execution,
/// without the execution: the run recorded as queued (<see cref="JobService.RunNowAsync"/>), claimed
/// (<see cref="Scheduler.ClaimAsync"/>), prepared (<see cref="Scheduler.Prepare"/>: the source snapshot read and
/// checked against its hash, the output directory made) and its end recorded (<see cref="Scheduler.RecordAsync"/>).
/// On the default SQLite store (WAL, under a data directory) and on PostgreSQL (a throwaway cluster on this machine).
/// </summary>
public static class SchedulerBenchmark
{
    private const int WarmUp = 20;

    public static async Task<int> RunAsync(string work, int runs, string? outFile, CancellationToken cancellationToken)
    {
        var samples = Math.Max(200, runs * 100);
        var sb = new StringBuilder();
        sb.AppendLine("## KernelGateway benchmark: scheduler overhead per run (queue, claim, prepare, record)");
        sb.AppendLine();
        sb.AppendLine($"- date: {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}; nproc {Environment.ProcessorCount}; load {BenchmarkMachine.LoadAverages()}; cpu {BenchmarkMachine.CpuModel()}; .NET {Environment.Version}");
        sb.AppendLine($"- {samples} runs after {WarmUp} warm-up runs, one after another; the notebook's execution left out (an executor that does nothing is never called)");
        sb.AppendLine();
        sb.AppendLine("| store | queue p50 | claim p50 | prepare p50 | record p50 | per run p50 (ms) | per run p95 (ms) | target ≤ 20 ms |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|:---:|");
        var sqliteData = Path.Combine(work, "scheduler-sqlite");
        sb.AppendLine(Row("SQLite (WAL)", await MeasureAsync(sqliteData, new SqliteJobStore(Path.Combine(sqliteData, "state.db")), samples, cancellationToken)));
        await using (var postgres = await PostgresServer.StartAsync())
        {
            var pgData = Path.Combine(work, "scheduler-postgres");
            sb.AppendLine(Row("PostgreSQL 15 (local, pooled connections)", await MeasureAsync(pgData,
                new PostgresJobStore(postgres.ConnectionString.Replace("Pooling=false", "Pooling=true", StringComparison.Ordinal)), samples, cancellationToken)));
        }
        var report = sb.ToString();
        Console.WriteLine(report);
        if (outFile is not null) await File.WriteAllTextAsync(outFile, report, cancellationToken);
        return 0;
    }

    private sealed record Steps(List<double> Queue, List<double> Claim, List<double> Prepare, List<double> Record, List<double> Total);

    private static string Row(string store, Steps s)
    {
        string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
        var p50 = Stats.Median(s.Total);
        return $"| {store} | {F(Stats.Median(s.Queue))} | {F(Stats.Median(s.Claim))} | {F(Stats.Median(s.Prepare))} | {F(Stats.Median(s.Record))} | {F(p50)} | {F(Stats.Percentile(s.Total, 95))} | {(p50 <= 20 ? "yes" : "**no**")} |";
    }

    private static async Task<Steps> MeasureAsync(string data, IJobStore store, int samples, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(data, "notebooks"));
        var notebook = Path.Combine(data, "notebooks", "daily.ipynb");
        await File.WriteAllTextAsync(notebook, Notebook(), cancellationToken);
        await using var owned = store;
        await store.InitializeAsync(cancellationToken);
        var sources = new SourceStore(Path.Combine(data, "sources"));
        var service = new JobService(store, sources, data);
        await using var scheduler = new Scheduler(store, sources, new NeverCalled(), data);
        await service.AddScheduleAsync(new ScheduleDefinition { Name = "daily", Notebook = notebook, Cron = "0 6 * * *", TimeZone = "Europe/Amsterdam" }, cancellationToken);
        var steps = new Steps([], [], [], [], []);
        var parameters = new JsonObject { ["run_date"] = "2026-12-03", ["limit"] = 1000 };
        for (var i = 0; i < WarmUp + samples; i++)
        {
            var clock = Stopwatch.StartNew();
            await service.RunNowAsync("daily", parameters, cancellationToken);
            var queued = clock.Elapsed.TotalMilliseconds;
            var run = await scheduler.ClaimAsync(cancellationToken) ?? throw new InvalidOperationException("the queued run was not claimed");
            var claimed = clock.Elapsed.TotalMilliseconds;
            _ = scheduler.Prepare(run);
            var prepared = clock.Elapsed.TotalMilliseconds;
            await scheduler.RecordAsync(run, new RunCompletion(RunState.Succeeded, DateTimeOffset.UtcNow, null, null, "python3"), cancellationToken);
            var recorded = clock.Elapsed.TotalMilliseconds;
            if (i < WarmUp) continue;
            steps.Queue.Add(queued);
            steps.Claim.Add(claimed - queued);
            steps.Prepare.Add(prepared - claimed);
            steps.Record.Add(recorded - prepared);
            steps.Total.Add(recorded);
        }
        return steps;
    }

    /// <summary>A 3-cell parameterized notebook with a 100 KiB output, so that the snapshot's read and hash check weigh something.</summary>
    private static string Notebook() => new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = "python3", ["display_name"] = "Python 3", ["language"] = "python" } },
        ["cells"] = new JsonArray(
            Cell("p", "run_date = '2026-01-01'\nlimit = 10", "parameters"),
            Cell("c", "rows = list(range(limit))"),
            Cell("o", "print(run_date, len(rows))", output: new string('x', 100 * 1024))),
    }.ToJsonString();

    private static JsonObject Cell(string id, string source, string? tag = null, string? output = null) => new()
    {
        ["id"] = id, ["cell_type"] = "code", ["execution_count"] = null, ["source"] = source,
        ["outputs"] = output is null ? new JsonArray() : new JsonArray(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = output }),
        ["metadata"] = tag is null ? new JsonObject() : new JsonObject { ["tags"] = new JsonArray(tag) },
    };

    private sealed class NeverCalled : IRunExecutor
    {
        public Task<RunExecution> ExecuteAsync(RunContext run, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the benchmark times the bookkeeping only; nothing is executed");
    }
}
