using System.Net;
using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Tests.Fixtures.Spark.Livy;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Platform.Tests.Spark.Livy;

/// <summary>The per-kernel pool of Livy sessions: reuse by name, names unique per kernel, heartbeats, cleanup.</summary>
public sealed class LivySessionPoolTests(LivyTestServer server) : IClassFixture<LivyTestServer>
{
    private static CancellationToken Soon => LivyTestServer.Soon;

    [Fact]
    public async Task A_name_gets_the_same_session_each_time_and_another_kernel_its_own()
    {
        using var client = server.NewClient();
        var kernelA = new LivySessionPool(client, new LivySessionPoolOptions { KernelId = "a" + Guid.NewGuid().ToString("N")[..6] });
        var kernelB = new LivySessionPool(client);
        var before = server.Fixture?.Requests.Count ?? 0;

        var first = await kernelA.GetOrCreateAsync("main", LivyKinds.PySpark, new Dictionary<string, string> { ["spark.executor.cores"] = "1" }, Soon);
        var again = await kernelA.GetOrCreateAsync("main", cancellationToken: Soon);
        var other = await kernelB.GetOrCreateAsync("main", LivyKinds.PySpark, cancellationToken: Soon);

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(LivySessionStates.Idle, first.State);
        Assert.Equal($"kg-{kernelA.KernelId}-main", first.Name);
        Assert.Equal($"kg-{kernelB.KernelId}-main", other.Name);
        Assert.Equal(60, first.HeartbeatTimeoutInSecond);
        Assert.Equal("1", first.Conf?["spark.executor.cores"]);
        Assert.Equal([first.Id], kernelA.Sessions.Values.Select(s => s.Id));
        if (server.Fixture is { } fixture) Assert.Equal(2, fixture.Requests.Skip(before).Count(r => r is { Method: "POST", Path: "/sessions" }));

        await kernelA.DisposeAsync();
        await kernelB.DisposeAsync();
        Assert.Null(await client.FindSessionAsync(first.Name!, Soon));
        Assert.Null(await client.FindSessionAsync(other.Name!, Soon));
    }

    [SkippableFact]
    public async Task A_session_that_ended_is_deleted_to_free_its_name_and_replaced()
    {
        var fixture = server.RequireFixture("ending a session as the cluster would");
        using var client = server.NewClient();
        await using var pool = new LivySessionPool(client);
        var first = await pool.GetOrCreateAsync("etl", LivyKinds.Spark, cancellationToken: Soon);
        fixture.Session(first.Id).End("killed", "YARN: application killed by user");

        var second = await pool.GetOrCreateAsync("etl", LivyKinds.Spark, cancellationToken: Soon);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(first.Name, second.Name);
        Assert.Contains(fixture.Requests, r => r.Method == "DELETE" && r.Path == $"/sessions/{first.Id}");
        Assert.Equal(LivySessionStates.Idle, (await client.GetSessionAsync(second.Id, Soon)).State);
    }

    [Fact]
    public async Task A_new_kernel_with_the_same_id_finds_its_session_on_the_server()
    {
        using var client = server.NewClient();
        var id = "k" + Guid.NewGuid().ToString("N")[..8];
        // The kernel that dies without cleaning up: never disposed (and without a heartbeat timer to outlive the test).
        var before = new LivySessionPool(client, new LivySessionPoolOptions { KernelId = id, HeartbeatTimeout = TimeSpan.Zero });
        var session = await before.GetOrCreateAsync("main", LivyKinds.Spark, cancellationToken: Soon);

        await using var after = new LivySessionPool(client, new LivySessionPoolOptions { KernelId = id });
        var found = await after.GetOrCreateAsync("main", LivyKinds.Spark, cancellationToken: Soon);

        Assert.Equal(session.Id, found.Id);
    }

    [Fact]
    public async Task Heartbeats_keep_a_pooled_session_alive_while_one_without_them_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var fixture = await LivyServer.StartAsync(new LivyServerOptions { HeartbeatClock = clock, HeartbeatWatchdogInterval = TimeSpan.FromSeconds(10) });
        using var client = new LivyClient(LivyOptions.Parse("livy+" + fixture.BaseUri));
        await using var pool = new LivySessionPool(client, new LivySessionPoolOptions { HeartbeatTimeout = TimeSpan.FromSeconds(60), HeartbeatInterval = TimeSpan.FromSeconds(20) }, clock);
        var pooled = fixture.Session((await pool.GetOrCreateAsync("main", LivyKinds.Spark, cancellationToken: Soon)).Id);
        var unattended = (await client.CreateSessionAsync(new LivySessionRequest { Kind = LivyKinds.Spark, HeartbeatTimeoutInSecond = 60 }, Soon)).Id;

        for (var step = 0; step < 6; step++)
        {
            var heartbeats = pooled.Heartbeats;
            clock.Advance(TimeSpan.FromSeconds(20));
            await pool.HeartbeatRound.WaitAsync(Soon);  // the pool had its answer: the next round will not be skipped as still running
            await pooled.WaitForHeartbeatsAsync(heartbeats + 1, Soon);
        }

        Assert.True(pooled.Exists);
        Assert.Equal(clock.GetUtcNow(), pooled.LastHeartbeat);
        Assert.Equal(LivySessionStates.Idle, await client.GetSessionStateAsync(pooled.Id, Soon));
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<LivyException>(() => client.GetSessionAsync(unattended, Soon))).StatusCode);
        var last = fixture.Requests.Last(r => r.Path.StartsWith($"/sessions/{pooled.Id}", StringComparison.Ordinal));
        Assert.Equal(("GET", $"/sessions/{pooled.Id}/state"), (last.Method, last.Path));
    }
}
