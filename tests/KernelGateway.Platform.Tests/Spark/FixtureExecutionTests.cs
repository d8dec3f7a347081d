using Grpc.Core;
using KernelGateway.Tests.Fixtures.Spark.Connect;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using static KernelGateway.Platform.Tests.Spark.FixtureSessionTests;
using static KernelGateway.Platform.Tests.Spark.SparkProtocolClient;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>Reattachable executions, releases, interrupts, progress, error details and the result cache of the Spark
/// Connect fixture, driven by a bare gRPC client.</summary>
public sealed class FixtureExecutionTests
{
    [Fact]
    public async Task A_stream_ended_without_result_complete_is_resumed_after_the_last_response_and_releases_and_cursors_behave_as_Sparks()
    {
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { MaxRowsPerBatch = 10, RetryBufferBytes = 0 });
        using var c = new SparkProtocolClient(server);
        server.Faults.EndStreamAfter(3);
        var op = Guid.NewGuid().ToString();

        var (head, cut) = await c.ExecuteAsync(c.Sql("SELECT range FROM range(50)", op, reattachable: true));
        var (tail, end) = await c.ReadAllAsync(c.Client.ReattachExecute(Reattach(c, op, head[^1].ResponseId), cancellationToken: Soon));

        Assert.Null(cut ?? end);
        Assert.Equal(3, head.Count);
        Assert.DoesNotContain(head, r => r.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete);
        Assert.Equal(["batch", "batch", "batch", "metrics", "complete"], tail.Select(Kind));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), head.Concat(tail).Where(r => r.ArrowBatch is not null).SelectMany(r => Rows(r.ArrowBatch)).Select(row => (long)row[0]!));

        var (_, gone) = await c.ReadAllAsync(c.Client.ReattachExecute(Reattach(c, op, head[0].ResponseId), cancellationToken: Soon));
        var (_, unknown) = await c.ReadAllAsync(c.Client.ReattachExecute(Reattach(c, op, Guid.NewGuid().ToString()), cancellationToken: Soon));
        Assert.Equal("INVALID_CURSOR.POSITION_NOT_AVAILABLE", Info(gone!).Metadata["errorClass"]);
        Assert.Equal("INVALID_CURSOR.POSITION_NOT_FOUND", Info(unknown!).Metadata["errorClass"]);

        var until = await c.Client.ReleaseExecuteAsync(Release(c, op, tail[^1].ResponseId), cancellationToken: Soon);
        var all = await c.Client.ReleaseExecuteAsync(Release(c, op, null), cancellationToken: Soon);
        var (_, released) = await c.ReadAllAsync(c.Client.ReattachExecute(Reattach(c, op, null), cancellationToken: Soon));
        var again = await c.Client.ReleaseExecuteAsync(Release(c, op, null), cancellationToken: Soon);
        Assert.Equal((op, op), (until.OperationId, all.OperationId));
        Assert.False(again.HasOperationId);
        Assert.Equal("INVALID_HANDLE.OPERATION_NOT_FOUND", Info(released!).Metadata["errorClass"]);
        Assert.Equal([(false, tail[^1].ResponseId, true), (true, null, true), (true, null, false)],
            server.Releases.Select(r => (r.All, r.UntilResponseId, r.Found)));
    }

    [Fact]
    public async Task A_plain_execution_cannot_be_reattached_and_ends_when_its_client_goes_away()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server);
        var hold = server.Faults.HoldAfter(1);
        var op = Guid.NewGuid().ToString();
        using var cancel = new CancellationTokenSource();
        using var call = c.Client.ExecutePlan(c.Sql("SELECT range FROM range(10)", op), cancellationToken: cancel.Token);

        Assert.True(await call.ResponseStream.MoveNext(Soon));
        Assert.Equal(op, await hold.Reached);
        var (_, refused) = await c.ReadAllAsync(c.Client.ReattachExecute(Reattach(c, op, null), cancellationToken: Soon));
        await cancel.CancelAsync();

        Assert.Equal("INVALID_CURSOR.NOT_REATTACHABLE", Info(refused!).Metadata["errorClass"]);
        Assert.Equal(("CANCELED", "OPERATION_CANCELED"), ((await server.WaitForExecutionEndAsync(op, Soon)).State, (await server.WaitForExecutionEndAsync(op, Soon)).ErrorClass));
    }

    [Fact]
    public async Task Interrupt_by_tag_and_all_stops_running_executions_and_lists_them_while_finished_ones_are_not_listed()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server);
        var (done, _) = await c.ExecuteAsync(c.Sql("SELECT 1", reattachable: true, tags: "etl"));
        var tagged = server.Faults.HoldAfter(1);
        var taggedOp = Guid.NewGuid().ToString();
        var taggedRun = c.ExecuteAsync(c.Sql("SELECT 2", taggedOp, tags: "etl"));
        await tagged.Reached;

        var byTag = await c.Client.InterruptAsync(new InterruptRequest
        {
            SessionId = c.SessionId, UserContext = c.User, InterruptType = InterruptRequest.Types.InterruptType.Tag, OperationTag = "etl",
        }, cancellationToken: Soon);
        var (_, canceled) = await taggedRun;
        var other = server.Faults.HoldAfter(2);
        var otherOp = Guid.NewGuid().ToString();
        var otherRun = c.ExecuteAsync(c.Sql("SELECT 3", otherOp));
        await other.Reached;
        var all = await c.Client.InterruptAsync(new InterruptRequest { SessionId = c.SessionId, UserContext = c.User, InterruptType = InterruptRequest.Types.InterruptType.All }, cancellationToken: Soon);
        var (otherResponses, otherCanceled) = await otherRun;

        Assert.Equal([taggedOp], byTag.InterruptedIds);
        Assert.Equal([otherOp], all.InterruptedIds);
        Assert.DoesNotContain(done[0].OperationId, byTag.InterruptedIds.Concat(all.InterruptedIds));
        Assert.Equal(("OPERATION_CANCELED", "OPERATION_CANCELED"), (Info(canceled!).Metadata["errorClass"], Info(otherCanceled!).Metadata["errorClass"]));
        Assert.Equal("[OPERATION_CANCELED] Operation has been canceled. SQLSTATE: HY008", otherCanceled!.Status.Detail);
        Assert.Equal(["schema", "batch"], otherResponses.Select(Kind));
        Assert.Equal(["TAG", "ALL"], server.Interrupts.Select(i => i.Type));
    }

    [Fact]
    public async Task FetchErrorDetails_answers_a_failures_details_once()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server);

        var (_, error) = await c.ExecuteAsync(c.Sql("SELECT * FROM missing_table"));
        var errorId = Info(error!).Metadata["errorId"];
        var request = new FetchErrorDetailsRequest { SessionId = c.SessionId, UserContext = c.User, ErrorId = errorId };
        var details = await c.Client.FetchErrorDetailsAsync(request, cancellationToken: Soon);
        var second = await c.Client.FetchErrorDetailsAsync(request, cancellationToken: Soon);

        Assert.Equal(0, details.RootErrorIdx);
        var e = Assert.Single(details.Errors);
        Assert.Equal(["org.apache.spark.sql.catalyst.ExtendedAnalysisException", "org.apache.spark.sql.AnalysisException", "java.lang.Exception",
            "java.lang.Throwable", "java.lang.Object"], e.ErrorTypeHierarchy);
        Assert.Equal(error!.Status.Detail, e.Message);
        Assert.Equal(("TABLE_OR_VIEW_NOT_FOUND", "42P01", "`missing_table`"), (e.SparkThrowable.ErrorClass, e.SparkThrowable.SqlState, e.SparkThrowable.MessageParameters["relationName"]));
        Assert.Empty(second.Errors);
        Assert.False(second.HasRootErrorIdx);
    }

    [Fact]
    public async Task Progress_reports_come_between_the_schema_and_the_first_batch()
    {
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { ProgressReports = 3 });
        using var c = new SparkProtocolClient(server);

        var (responses, _) = await c.ExecuteAsync(c.Sql("SELECT 1"));

        Assert.Equal(["schema", "progress", "progress", "progress", "batch", "metrics"], responses.Select(Kind));
        var stages = responses.Where(r => r.ExecutionProgress is not null).Select(r => r.ExecutionProgress.Stages.Single()).ToList();
        Assert.Equal([1L, 2, 3], stages.Select(s => s.NumCompletedTasks));
        Assert.All(stages, s => Assert.Equal(3, s.NumTasks));
        Assert.Equal([false, false, true], stages.Select(s => s.Done));
    }

    [Fact]
    public async Task With_a_progress_interval_progress_reports_keep_coming_while_the_query_runs_and_stop_before_the_metrics()
    {
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { ProgressInterval = TimeSpan.FromMilliseconds(20) });
        using var c = new SparkProtocolClient(server);
        var hold = server.Faults.HoldAfter(1);
        using var call = c.Client.ExecutePlan(c.Sql("SELECT 1"), cancellationToken: Soon);
        var seen = new List<ExecutePlanResponse>();

        while (seen.Count(r => r.ExecutionProgress is not null) < 2 && await call.ResponseStream.MoveNext(Soon)) seen.Add(call.ResponseStream.Current);
        hold.Release();
        while (await call.ResponseStream.MoveNext(Soon)) seen.Add(call.ResponseStream.Current);

        var kinds = seen.Select(Kind).ToList();
        Assert.Equal("schema", kinds[0]);
        Assert.True(kinds.Count(k => k == "progress") >= 2);
        Assert.Equal(["batch", "metrics"], kinds.Where(k => k != "progress").Skip(1));
        Assert.Equal("metrics", kinds[^1]);
        Assert.All(seen.Where(r => r.ExecutionProgress is not null), r => Assert.Equal((1, 0), (r.ExecutionProgress.Stages[0].NumTasks, r.ExecutionProgress.Stages[0].NumCompletedTasks)));
    }

    [Fact]
    public async Task With_CacheResults_a_repeated_query_is_answered_from_the_first_runs_batches()
    {
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { CacheResults = true, MaxRowsPerBatch = 4 });
        await server.ExecuteDuckDbAsync("CREATE TABLE t AS SELECT range AS n FROM range(10)");
        using var c = new SparkProtocolClient(server);

        var (first, _) = await c.ExecuteAsync(c.Sql("SELECT n FROM t ORDER BY n"));
        await server.ExecuteDuckDbAsync("DROP TABLE t");
        var (second, error) = await c.ExecuteAsync(c.Sql("SELECT n FROM t ORDER BY n"));
        var (_, other) = await c.ExecuteAsync(c.Sql("SELECT n FROM t"));

        Assert.Null(error);
        Assert.Equal(first.Where(r => r.ArrowBatch is not null).Select(r => r.ArrowBatch.Data), second.Where(r => r.ArrowBatch is not null).Select(r => r.ArrowBatch.Data));
        Assert.Equal(3, second.Count(r => r.ArrowBatch is not null));
        Assert.Equal("TABLE_OR_VIEW_NOT_FOUND", Info(other!).Metadata["errorClass"]);
    }

    private static ReattachExecuteRequest Reattach(SparkProtocolClient c, string op, string? last)
    {
        var r = new ReattachExecuteRequest { SessionId = c.SessionId, UserContext = c.User, OperationId = op };
        if (last is not null) r.LastResponseId = last;
        return r;
    }

    private static ReleaseExecuteRequest Release(SparkProtocolClient c, string op, string? until)
    {
        var r = new ReleaseExecuteRequest { SessionId = c.SessionId, UserContext = c.User, OperationId = op };
        if (until is null) r.ReleaseAll = new ReleaseExecuteRequest.Types.ReleaseAll();
        else r.ReleaseUntil = new ReleaseExecuteRequest.Types.ReleaseUntil { ResponseId = until };
        return r;
    }
}
