using Apache.Arrow;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Tests.Fixtures.Spark.Connect;
using static KernelGateway.Platform.Tests.Spark.SparkServer;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>
/// The life of an operation as the server sees it (reattach, releases, interrupts, ids): needs the fixture's records and
/// faults, so skipped against a real server.
/// </summary>
public sealed class SparkExecutionTests(SparkServer server) : IClassFixture<SparkServer>
{
    private const string ThirtyThousand = $"SELECT id FROM {Numbers} WHERE id < 30000 ORDER BY id";

    [SkippableTheory]
    [InlineData(StreamDrop.ResetStream)]
    [InlineData(StreamDrop.CloseConnection)]
    public async Task A_dropped_stream_is_reattached_after_the_last_response_with_nothing_lost_or_repeated(StreamDrop how)
    {
        var fixture = server.RequireFixture("stream faults");
        fixture.Faults.DropStreamAfter(3, how);
        await using var client = server.NewClient();
        await using var execution = client.Execute(ThirtyThousand, cancellationToken: Soon);
        Assert.Equal(Enumerable.Range(0, 30000).Select(i => (long)i), await IdsAsync(execution));
        Assert.Equal(1, execution.Reattaches);
        var reattach = Assert.Single(fixture.Reattaches, r => r.OperationId == execution.OperationId);
        Assert.NotNull(reattach.LastResponseId);
        Assert.Null(reattach.ErrorClass);
        Assert.Equal("FINISHED", (await fixture.WaitForExecutionEndAsync(execution.OperationId, Soon)).State);
    }

    [SkippableFact]
    public async Task A_stream_that_ends_without_result_complete_is_continued_by_reattaching()
    {
        var fixture = server.RequireFixture("stream faults");
        fixture.Faults.EndStreamAfter(2);
        await using var client = server.NewClient();
        await using var execution = client.Execute(ThirtyThousand, cancellationToken: Soon);
        Assert.Equal(30000, (await IdsAsync(execution)).Count);
        Assert.Contains(fixture.Reattaches, r => r.OperationId == execution.OperationId && r.LastResponseId is not null);
    }

    [SkippableFact]
    public async Task Responses_read_are_released_as_they_go_and_the_operation_at_the_end()
    {
        var fixture = server.RequireFixture("release records");
        await using var client = server.NewClient();
        await using var execution = client.Execute(ThirtyThousand, cancellationToken: Soon);
        Assert.Equal(30000, await execution.CountRowsAsync(Soon));
        var until = await fixture.WaitForReleaseAsync(r => r.OperationId == execution.OperationId && !r.All, Soon);
        Assert.NotNull(until.UntilResponseId);
        var all = await fixture.WaitForReleaseAsync(r => r.OperationId == execution.OperationId && r.All, Soon);
        Assert.Equal(client.SessionId, all.SessionId);
        Assert.True(fixture.Executions.Single(e => e.OperationId == execution.OperationId).Reattachable);
    }

    [SkippableFact]
    public async Task A_non_reattachable_execution_is_neither_reattached_nor_released()
    {
        var fixture = server.RequireFixture("release records");
        await using var client = server.NewClient();
        await using (var execution = client.Execute(ThirtyThousand, options: new SparkExecuteOptions { Reattachable = false }, cancellationToken: Soon))
        {
            Assert.Equal(30000, await execution.CountRowsAsync(Soon));
            Assert.False(fixture.Executions.Single(e => e.OperationId == execution.OperationId).Reattachable);
            await using var next = client.Execute("SELECT 1", cancellationToken: Soon);
            await next.CountRowsAsync(Soon);
            await fixture.WaitForReleaseAsync(r => r.OperationId == next.OperationId && r.All, Soon); // releases of later operations are seen: none of this one came before
            Assert.DoesNotContain(fixture.Releases, r => r.OperationId == execution.OperationId);
        }
    }

    [SkippableFact]
    public async Task Cancelling_interrupts_the_operation_on_the_server_and_readers_learn_it_was_cancelled_there()
    {
        var fixture = server.RequireFixture("holds and interrupt records");
        var hold = fixture.Faults.HoldAfter(2);
        await using var client = server.NewClient();
        await using var execution = client.Execute(ThirtyThousand, cancellationToken: Soon);
        Assert.Equal(execution.OperationId, await hold.Reached.WaitAsync(Soon));
        var reading = IdsAsync(execution);
        await execution.CancelAsync();
        var interrupt = await fixture.WaitForInterruptAsync(i => i.OperationId == execution.OperationId, Soon);
        Assert.Equal("OPERATION_ID", interrupt.Type);
        Assert.Equal([execution.OperationId], interrupt.InterruptedIds);
        var cancelled = await Assert.ThrowsAsync<SparkOperationCanceledException>(() => reading);
        Assert.True(cancelled.CancelledOnServer);
        Assert.Equal("OPERATION_CANCELED", cancelled.ServerError?.ErrorClass);
        Assert.Equal(execution.OperationId, cancelled.OperationId);
        Assert.Equal(("CANCELED", true), (execution.State, execution.CancelledOnServer));
        Assert.Equal("CANCELED", (await fixture.WaitForExecutionEndAsync(execution.OperationId, Soon)).State);
    }

    [SkippableFact]
    public async Task A_cancelled_token_interrupts_the_operation()
    {
        var fixture = server.RequireFixture("holds and interrupt records");
        var hold = fixture.Faults.HoldAfter(2);
        await using var client = server.NewClient();
        using var cancel = new CancellationTokenSource();
        await using var execution = client.Execute(ThirtyThousand, cancellationToken: cancel.Token);
        await hold.Reached.WaitAsync(Soon);
        await cancel.CancelAsync();
        await fixture.WaitForInterruptAsync(i => i.OperationId == execution.OperationId, Soon);
        var cancelled = await Assert.ThrowsAsync<SparkOperationCanceledException>(() => execution.CountRowsAsync(Soon));
        Assert.True(cancelled.CancelledOnServer);
        Assert.IsAssignableFrom<OperationCanceledException>(cancelled);
    }

    [SkippableFact]
    public async Task Disposing_an_unfinished_execution_releases_it_which_stops_it_on_the_server()
    {
        var fixture = server.RequireFixture("holds and release records");
        var hold = fixture.Faults.HoldAfter(2);
        await using var client = server.NewClient();
        var execution = client.Execute(ThirtyThousand, cancellationToken: Soon);
        await hold.Reached.WaitAsync(Soon);
        await execution.DisposeAsync();
        await fixture.WaitForReleaseAsync(r => r.OperationId == execution.OperationId && r.All && r.Found, Soon);
        Assert.NotEqual("FINISHED", (await fixture.WaitForExecutionEndAsync(execution.OperationId, Soon)).State);
        Assert.True(execution.Completion.IsCompleted);
    }

    [SkippableFact]
    public async Task Interrupting_by_tag_or_all_stops_the_sessions_operations()
    {
        var fixture = server.RequireFixture("holds");
        await using var client = server.NewClient();
        var hold = fixture.Faults.HoldAfter(2);
        await using var tagged = client.Execute(ThirtyThousand, options: new SparkExecuteOptions { Tags = ["kg-nightly"] }, cancellationToken: Soon);
        await hold.Reached.WaitAsync(Soon);
        Assert.Equal([tagged.OperationId], await client.InterruptTagAsync("kg-nightly", Soon));
        Assert.True((await Assert.ThrowsAsync<SparkOperationCanceledException>(() => tagged.CountRowsAsync(Soon))).CancelledOnServer);

        hold = fixture.Faults.HoldAfter(2);
        await using var any = client.Execute(ThirtyThousand, cancellationToken: Soon);
        await hold.Reached.WaitAsync(Soon);
        Assert.Equal([any.OperationId], await client.InterruptAllAsync(Soon));
        await Assert.ThrowsAsync<SparkOperationCanceledException>(() => any.CountRowsAsync(Soon));
        Assert.Equal(["kg-nightly"], fixture.Executions.Single(e => e.OperationId == tagged.OperationId).Tags);
    }

    [SkippableFact]
    public async Task The_session_user_operation_id_and_extra_parameters_reach_the_server()
    {
        var fixture = server.RequireFixture("call records");
        var session = Guid.NewGuid().ToString("D");
        var operation = Guid.NewGuid().ToString("D");
        await using var client = server.NewClient($"session_id={session};user_id=ana;x-kg-trace=t%2F1");
        Assert.Equal(session, client.SessionId);
        await using var execution = client.Execute("SELECT 1 AS one", options: new SparkExecuteOptions { OperationId = operation }, cancellationToken: Soon);
        Assert.Equal(1, await execution.CountRowsAsync(Soon));
        Assert.Equal(operation, execution.OperationId);
        var recorded = fixture.Executions.Single(e => e.OperationId == operation);
        Assert.Equal((session, "ana"), (recorded.SessionId, recorded.UserId));
        var calls = fixture.Calls.Where(c => c.SessionId == session).ToList();
        Assert.All(calls, c => Assert.Equal(("ana", "t/1"), (c.UserId, c.Header("x-kg-trace"))));
        Assert.Contains(calls, c => c.Method.EndsWith("ExecutePlan", StringComparison.Ordinal));
        Assert.Null(calls[0].Header("authorization"));
        Assert.NotNull(client.ServerSideSessionId);
    }

    private static async Task<List<long>> IdsAsync(SparkExecution execution)
    {
        var ids = new List<long>();
        await foreach (var batch in execution.ReadBatchesAsync(Soon))
            using (batch)
                for (var i = 0; i < batch.Length; i++) ids.Add(((Int64Array)batch.Column(0)).GetValue(i)!.Value);
        return ids;
    }
}
