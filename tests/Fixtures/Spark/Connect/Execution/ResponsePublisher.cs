using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>The producing side of one execution: publishes responses to its operation, records batches, and holds
/// after the number of responses a <see cref="SparkConnectHold"/> asks for.</summary>
internal sealed class ResponsePublisher(Operation op, ExecutionRecord record, SparkConnectHold? hold)
{
    private int _published;

    public Operation Operation => op;

    /// <summary>Publishes <paramref name="response"/>; <paramref name="published"/> runs once it is in the stream, before any hold.</summary>
    public async Task PublishAsync(ExecutePlanResponse response, Action? published = null)
    {
        await HoldIfDueAsync();
        await op.PublishAsync(response, op.Stopping);
        published?.Invoke();
        _published++;
        if (response.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch) record.Batch(response.ArrowBatch.RowCount);
        await HoldIfDueAsync();
    }

    private async Task HoldIfDueAsync()
    {
        if (hold is null || _published != hold.Responses) return;
        var h = hold;
        hold = null;
        await h.WaitAsync(op.Id, op.Stopping);
    }
}
