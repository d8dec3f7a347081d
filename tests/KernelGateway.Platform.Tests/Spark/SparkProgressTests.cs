using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Sql;
using static KernelGateway.Platform.Tests.Spark.SparkServer;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>Spark's ExecutionProgress as QueryProgress (the fixture sends three progress reports of one stage before the first batch).</summary>
public sealed class SparkProgressTests(SparkProgressServer server) : IClassFixture<SparkProgressServer>
{
    [SkippableFact]
    public async Task Progress_counts_tasks_bytes_stages_and_rows_received()
    {
        server.RequireFixture("deterministic progress reports");
        var reports = new List<QueryProgress>();
        await using var client = server.NewClient();
        await using var execution = client.Execute($"SELECT id FROM {Numbers} WHERE id < 5000", options: new SparkExecuteOptions { Progress = new Collect(reports) }, cancellationToken: Soon);
        Assert.Equal(5000, await execution.CountRowsAsync(Soon));
        lock (reports)
        {
            Assert.All(reports, r => Assert.Equal(("spark", "tasks", execution.OperationId), (r.Engine, r.Unit, r.QueryId)));
            Assert.Equal([1L, 2, 3], reports.Where(r => r.ResultRows == 0).Select(r => r.Done));
            Assert.All(reports.Where(r => r.Done is not null), r => Assert.Equal((3L, 1), (r.Total, r.Stages)));
            Assert.Equal(Enumerable.Range(1, 5).Select(i => i * 1000L), reports.Select(r => r.ResultRows!.Value).Where(n => n > 0).Distinct());
            Assert.Equal(("FINISHED", 5000L), (reports[^1].State, reports[^1].ResultRows));
            Assert.Equal(1.0, reports[^1].Fraction);
        }
        Assert.Equal(execution.Progress.ResultRows, execution.RowsReceived);
    }

    /// <summary>Collects reports on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class Collect(List<QueryProgress> reports) : IProgress<QueryProgress>
    {
        public void Report(QueryProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
