using Grpc.Net.Client;
using KernelGateway.Platform.Spark.Connect;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>What the client checks of every reply, and how it leaves a session it cannot reach.</summary>
public sealed class SparkSessionTests
{
    [Fact]
    public void A_reply_for_another_session_or_from_a_restarted_server_is_an_error()
    {
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:9");
        var rpc = new SparkRpc(channel.CreateCallInvoker(), SparkConnectOptions.Parse("sc://127.0.0.1:9/;session_id=550e8400-e29b-41d4-a716-446655440000"), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        rpc.Verify("550e8400-e29b-41d4-a716-446655440000", "");
        rpc.Verify("550e8400-e29b-41d4-a716-446655440000", "server-a");
        Assert.Equal("server-a", rpc.ServerSideSessionId);
        rpc.Verify("", "server-a");
        Assert.Contains("answered for session 00000000", Assert.Throws<SparkConnectException>(() => rpc.Verify("00000000-0000-0000-0000-000000000000", "server-a")).Message);
        Assert.Contains("changed", Assert.Throws<SparkConnectException>(() => rpc.Verify("550e8400-e29b-41d4-a716-446655440000", "server-b")).Message);
    }

    [Fact]
    public void Requests_say_who_the_client_is()
    {
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:9");
        var rpc = new SparkRpc(channel.CreateCallInvoker(), SparkConnectOptions.Parse("sc://127.0.0.1:9/;user_agent=nightly-job;user_id=ana"), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Matches(@"^nightly-job kernelgateway/\S+ dotnet/\d+\.", rpc.ClientType);
        Assert.Equal("ana", rpc.UserContext.UserId);
        Assert.True(Guid.TryParseExact(rpc.SessionId, "D", out _));
        var request = rpc.NewExecute(new KernelGateway.Platform.Spark.Connect.Proto.Plan(), "00112233-4455-6677-8899-aabbccddeeff", reattachable: true, ["t1"]);
        Assert.Equal((rpc.SessionId, "ana", rpc.ClientType, "00112233-4455-6677-8899-aabbccddeeff"), (request.SessionId, request.UserContext.UserId, request.ClientType, request.OperationId));
        Assert.True(Assert.Single(request.RequestOptions).ReattachOptions.Reattachable);
        Assert.Equal(["t1"], request.Tags);
    }

    [Fact]
    public async Task Disposing_a_client_whose_server_is_gone_logs_the_failed_release_without_the_token()
    {
        var log = new ListLogger();
        var client = new SparkConnectClient(SparkConnectOptions.Parse("sc://127.0.0.1:9/;token=s3cr3t;allow_insecure=true"), logger: log);
        await client.DisposeAsync();
        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains(client.SessionId, entry.Message);
        Assert.DoesNotContain("s3cr3t", entry.Message);
    }

    [Fact]
    public async Task A_cancelled_token_sends_nothing()
    {
        await using var client = new SparkConnectClient("sc://127.0.0.1:9/");
        Assert.Throws<OperationCanceledException>(() => client.Execute("SELECT 1", cancellationToken: new CancellationToken(canceled: true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QueryDataFrameAsync("SELECT 1", cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_before_anything_is_sent()
    {
        Assert.Contains("UUID", Assert.Throws<ArgumentException>(() => new SparkExecuteOptions { OperationId = "op-1" }.Validated()).Message);
        Assert.Contains("','", Assert.Throws<ArgumentException>(() => new SparkExecuteOptions { Tags = ["a,b"] }.Validated()).Message);
        Assert.Throws<ArgumentException>(() => new SparkExecuteOptions { Tags = [""] }.Validated());
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((logLevel, formatter(state, exception) + exception));
        }
    }
}
