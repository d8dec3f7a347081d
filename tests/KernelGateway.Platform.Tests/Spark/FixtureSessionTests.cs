using Grpc.Core;
using KernelGateway.Tests.Fixtures.Spark.Connect;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using static KernelGateway.Platform.Tests.Spark.SparkProtocolClient;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>Sessions, operation ids and response ids of the Spark Connect fixture, as Spark's server handles them.</summary>
public sealed class FixtureSessionTests
{
    [Fact]
    public async Task A_session_id_that_is_not_a_UUID_fails_with_INVALID_HANDLE_FORMAT()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server, sessionId: "not-a-uuid");

        var (responses, error) = await c.ExecuteAsync(c.Sql("SELECT 1"));

        Assert.Empty(responses);
        Assert.Equal(StatusCode.Internal, error!.StatusCode);
        Assert.Equal("[INVALID_HANDLE.FORMAT] The handle not-a-uuid is invalid. Handle must be an UUID string of the format '00112233-4455-6677-8899-aabbccddeeff' SQLSTATE: HY000",
            error.Status.Detail);
        var info = Info(error);
        Assert.Equal(("org.apache.spark.SparkSQLException", "INVALID_HANDLE.FORMAT", "HY000", "{\"handle\":\"not-a-uuid\"}"),
            (info.Reason, info.Metadata["errorClass"], info.Metadata["sqlState"], info.Metadata["messageParameters"]));
        Assert.False(info.Metadata.ContainsKey("errorId"));
    }

    [Fact]
    public async Task Every_response_echoes_the_session_carries_a_stable_server_side_session_id_the_operation_id_and_a_fresh_response_id()
    {
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { MaxRowsPerBatch = 2 });
        using var c = new SparkProtocolClient(server);
        using var other = new SparkProtocolClient(server);
        var operation = Guid.NewGuid().ToString();

        var (first, e1) = await c.ExecuteAsync(c.Sql("SELECT range FROM range(5)", operation));
        var (second, e2) = await c.ExecuteAsync(c.Sql("SELECT 1"));
        var (third, e3) = await other.ExecuteAsync(other.Sql("SELECT 1"));

        Assert.Null(e1 ?? e2 ?? e3);
        Assert.All(first.Concat(second), r => Assert.Equal(c.SessionId, r.SessionId));
        Assert.Single(first.Concat(second).Select(r => r.ServerSideSessionId).Distinct());
        Assert.True(Guid.TryParse(first[0].ServerSideSessionId, out _));
        Assert.NotEqual(first[0].ServerSideSessionId, third[0].ServerSideSessionId);
        Assert.All(first, r => Assert.Equal(operation, r.OperationId));
        Assert.True(Guid.TryParse(second[0].OperationId, out _));
        Assert.Single(second.Select(r => r.OperationId).Distinct());
        var ids = first.Concat(second).Concat(third).Select(r => r.ResponseId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(3, first.Count(r => r.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch));
    }

    [Fact]
    public async Task Result_complete_ends_a_reattachable_execution_and_never_a_plain_one()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server);

        var (plain, _) = await c.ExecuteAsync(c.Sql("SELECT 1"));
        var (reattachable, _) = await c.ExecuteAsync(c.Sql("SELECT 1", reattachable: true));

        Assert.DoesNotContain(plain, r => r.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete);
        Assert.Equal(ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete, reattachable[^1].ResponseTypeCase);
        Assert.Single(reattachable, r => r.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete);
        Assert.NotNull(plain[^1].Metrics);
        Assert.Equal(["schema", "batch", "metrics"], plain.Select(Kind));
        Assert.Equal(["schema", "batch", "metrics", "complete"], reattachable.Select(Kind));
    }

    [Fact]
    public async Task A_released_session_is_closed_for_good_and_the_release_is_recorded()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server);
        var (before, _) = await c.ExecuteAsync(c.Sql("SELECT 1"));

        var released = await c.Client.ReleaseSessionAsync(new ReleaseSessionRequest { SessionId = c.SessionId, UserContext = c.User }, cancellationToken: Soon);
        await server.WaitForSessionReleaseAsync(c.SessionId, Soon);
        var (_, afterwards) = await c.ExecuteAsync(c.Sql("SELECT 1"));
        var config = await Assert.ThrowsAsync<RpcException>(() => c.Client.ConfigAsync(new ConfigRequest
        {
            SessionId = c.SessionId, UserContext = c.User, Operation = new ConfigRequest.Types.Operation { GetAll = new ConfigRequest.Types.GetAll() },
        }, cancellationToken: Soon).ResponseAsync);

        Assert.Equal((c.SessionId, before[0].ServerSideSessionId), (released.SessionId, released.ServerSideSessionId));
        Assert.Equal("INVALID_HANDLE.SESSION_CLOSED", Info(afterwards!).Metadata["errorClass"]);
        Assert.Equal("INVALID_HANDLE.SESSION_CLOSED", Info(config).Metadata["errorClass"]);
        Assert.Equal([c.SessionId], server.ReleasedSessions);
    }

    [Fact]
    public async Task Reattaching_in_a_session_that_never_existed_fails_with_SESSION_NOT_FOUND()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server);

        var (_, error) = await c.ReadAllAsync(c.Client.ReattachExecute(new ReattachExecuteRequest
        {
            SessionId = c.SessionId, UserContext = c.User, OperationId = Guid.NewGuid().ToString(),
        }, cancellationToken: Soon));

        Assert.Equal("INVALID_HANDLE.SESSION_NOT_FOUND", Info(error!).Metadata["errorClass"]);
        Assert.Equal("INVALID_HANDLE.SESSION_NOT_FOUND", Assert.Single(server.Reattaches).ErrorClass);
    }

    [Fact]
    public async Task An_operation_id_must_be_a_UUID_and_cannot_be_reused_while_its_execution_exists()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server);
        var operation = Guid.NewGuid().ToString();

        var (_, bad) = await c.ExecuteAsync(c.Sql("SELECT 1", "op-1"));
        var (_, first) = await c.ExecuteAsync(c.Sql("SELECT 1", operation, reattachable: true));
        var (_, again) = await c.ExecuteAsync(c.Sql("SELECT 2", operation));

        Assert.Equal("INVALID_HANDLE.FORMAT", Info(bad!).Metadata["errorClass"]);
        Assert.Null(first);
        Assert.Equal("INVALID_HANDLE.OPERATION_ALREADY_EXISTS", Info(again!).Metadata["errorClass"]);
        Assert.Contains($"The handle {operation} is invalid. Operation already exists.", again!.Status.Detail);
    }

    [Fact]
    public async Task Calls_and_executions_are_recorded_with_their_headers()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server);
        var request = c.Sql("SELECT 1", tags: "nightly");
        request.ClientType = "tests";

        using (var call = c.Client.ExecutePlan(request, new Metadata { { "x-kg-test", "42" } }, cancellationToken: Soon))
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync(Soon)) { }
        }

        var recorded = Assert.Single(server.Calls);
        Assert.Equal(("ExecutePlan", c.SessionId, "tester", "42"), (recorded.Method, recorded.SessionId, recorded.UserId, recorded.Header("x-kg-test")));
        Assert.Contains("grpc-dotnet", recorded.Header("user-agent"));
        var execution = Assert.Single(server.Executions);
        Assert.Equal(("root.sql", "SELECT 1", "FINISHED", 1L, 1), (execution.PlanKind, execution.Query, execution.State, execution.Rows, execution.ArrowBatches));
        Assert.Equal(["nightly"], execution.Tags);
        Assert.Equal("42", execution.Headers["x-kg-test"]);
    }

    internal static string Kind(ExecutePlanResponse r) => r switch
    {
        { Schema: not null } => "schema",
        { ResponseTypeCase: ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch } => "batch",
        { ResponseTypeCase: ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete } => "complete",
        { ResponseTypeCase: ExecutePlanResponse.ResponseTypeOneofCase.ExecutionProgress } => "progress",
        { ResponseTypeCase: ExecutePlanResponse.ResponseTypeOneofCase.SqlCommandResult } => "sql_command_result",
        { Metrics: not null } => "metrics",
        _ => "other",
    };
}
