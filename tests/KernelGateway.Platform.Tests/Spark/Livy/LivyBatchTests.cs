using System.Net;
using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Tests.Fixtures.Spark.Livy;

namespace KernelGateway.Platform.Tests.Spark.Livy;

/// <summary>Batches: submitted, followed to their end with every log line once, killed when the follower is cancelled.</summary>
public sealed class LivyBatchTests(LivyTestServer server) : IClassFixture<LivyTestServer>
{
    private static CancellationToken Soon => LivyTestServer.Soon;

    [SkippableFact]
    public async Task A_batch_is_followed_to_success_with_every_log_line_once_in_order()
    {
        var fixture = server.RequireFixture("a batch steered by the test");
        using var client = server.NewClient();
        var batch = await client.SubmitBatchAsync(new LivyBatchRequest { File = "hdfs:///jobs/etl.py", Args = ["--day", "2024-02-29"], Name = "etl-" + Guid.NewGuid().ToString("N")[..6] }, Soon);
        var handle = fixture.Batch(batch.Id);
        var events = new List<LivyBatchEvent>();
        await using var follow = client.FollowBatchAsync(batch.Id, 3, Soon).GetAsyncEnumerator(Soon);

        await ReadUntilAsync(follow, events, e => e.State == LivySessionStates.Starting);
        handle.Run();
        handle.Stdout("out 1", "out 2");
        handle.Stderr("err 1");
        await ReadUntilAsync(follow, events, e => e.Line == "err 1");
        handle.Stdout("out 3");  // stdout grows in the middle of Livy's log once stderr has lines
        handle.Stderr("err 2");
        await ReadUntilAsync(follow, events, e => e.Line == "err 2");
        handle.Succeed();
        await ReadUntilAsync(follow, events, e => e.IsFinal);

        Assert.False(await follow.MoveNextAsync());
        Assert.Equal([("stdout", "out 1"), ("stdout", "out 2"), ("stderr", "err 1"), ("stdout", "out 3"), ("stderr", "err 2")],
            events.Where(e => !e.IsStateChange).Select(e => (e.Source, e.Line)));
        Assert.Equal([LivySessionStates.Starting, LivySessionStates.Running, LivySessionStates.Success], events.Where(e => e.IsStateChange).Select(e => e.State));
        Assert.True(events[^1].IsFinal);
        Assert.Equal(["--day", "2024-02-29"], handle.Request["args"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public async Task Lines_that_drop_out_of_Livys_log_cache_are_not_reported_again()
    {
        await using var fixture = await LivyServer.StartAsync(new LivyServerOptions { LogCacheSize = 3 });
        using var client = new LivyClient(LivyOptions.Parse("livy+" + fixture.BaseUri));
        var batch = await client.SubmitBatchAsync(new LivyBatchRequest { File = "local:///jobs/app.jar", ClassName = "org.example.App" }, Soon);
        var handle = fixture.Batch(batch.Id);
        var events = new List<LivyBatchEvent>();
        await using var follow = client.FollowBatchAsync(batch.Id, Soon).GetAsyncEnumerator(Soon);
        handle.Run();

        handle.Stdout("a", "b", "c");
        await ReadUntilAsync(follow, events, e => e.Line == "c");
        handle.Stdout("d", "e");  // Livy now keeps c, d, e: the offsets of every line moved
        await ReadUntilAsync(follow, events, e => e.Line == "e");
        handle.Fail();
        await ReadUntilAsync(follow, events, e => e.IsFinal);

        Assert.Equal(["a", "b", "c", "d", "e"], events.Where(e => !e.IsStateChange).Select(e => e.Line));
        Assert.Equal(LivySessionStates.Dead, events[^1].State);
    }

    [SkippableFact]
    public async Task Cancelling_the_follower_kills_the_batch()
    {
        var fixture = server.RequireFixture("the server's record of the delete");
        using var client = server.NewClient();
        var batch = await client.SubmitBatchAsync(new LivyBatchRequest { File = "hdfs:///jobs/forever.py" }, Soon);
        fixture.Batch(batch.Id).Run();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Soon);

        var seen = new List<LivyBatchEvent>();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var ev in client.FollowBatchAsync(batch.Id, cancel.Token))
            {
                seen.Add(ev);
                if (ev.State == LivySessionStates.Running) await cancel.CancelAsync();
            }
        });

        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.Contains(fixture.Requests, r => r.Method == "DELETE" && r.Path == $"/batches/{batch.Id}" && r.Status == 200);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<LivyException>(() => client.GetBatchAsync(batch.Id, Soon))).StatusCode);
    }

    [SkippableFact]
    public async Task A_batchs_log_pages_as_Livy_pages_it()
    {
        var fixture = server.RequireFixture("a batch steered by the test");
        using var client = server.NewClient();
        var batch = await client.SubmitBatchAsync(new LivyBatchRequest { File = "hdfs:///jobs/log.py" }, Soon);
        fixture.Batch(batch.Id).Stdout([.. Enumerable.Range(1, 150).Select(i => $"line {i}")]);

        var last = await client.GetBatchLogAsync(batch.Id, cancellationToken: Soon);
        var page = await client.GetBatchLogAsync(batch.Id, 1, 2, Soon);

        Assert.Equal((batch.Id, 152, 52), (last.Id, last.Total, last.From));  // "stdout: ", 150 lines, "\nstderr: "; the last 100 by default
        Assert.Equal("\nstderr: ", last.Lines[^1]);
        Assert.Equal(["line 1", "line 2"], page.Lines);
        Assert.Equal(LivySessionStates.Starting, await client.GetBatchStateAsync(batch.Id, Soon));
        Assert.Contains((await client.ListBatchesAsync(cancellationToken: Soon)).Items, b => b.Id == batch.Id);
        Assert.True(await client.DeleteBatchAsync(batch.Id, Soon));
    }

    private static async Task ReadUntilAsync(IAsyncEnumerator<LivyBatchEvent> follow, List<LivyBatchEvent> events, Func<LivyBatchEvent, bool> until)
    {
        while (await follow.MoveNextAsync())
        {
            events.Add(follow.Current);
            if (until(follow.Current)) return;
        }
        Assert.Fail($"the batch's events ended before the one awaited; seen: {string.Join(", ", events)}");
    }
}
