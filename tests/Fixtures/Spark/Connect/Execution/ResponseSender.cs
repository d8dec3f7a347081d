using Grpc.Core;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using Microsoft.AspNetCore.Http;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>
/// Sends an operation's responses on one RPC (ExecutePlan or ReattachExecute), from an index on, as Spark's
/// ExecuteGrpcResponseSender: until the stream ends (status OK, or the execution's error as its status); an RPC
/// detached by a newer one ends with INVALID_CURSOR.DISCONNECTED. A <see cref="StreamFault"/> breaks the stream after
/// some responses.
/// </summary>
internal sealed class ResponseSender(ConnectionTracker connections)
{
    public async Task SendAsync(Operation op, long index, IServerStreamWriter<ExecutePlanResponse> stream, ServerCallContext context, StreamFault? fault)
    {
        var generation = op.Attach();
        var sent = 0;
        while (true)
        {
            if (fault is not null && sent == fault.Responses)
            {
                if (!fault.End) Drop(context.GetHttpContext(), fault.How);
                return;
            }
            var next = await op.NextAsync(index, generation, context.CancellationToken);
            if (next.Detached) throw ErrorStatus.ToRpc(SparkError.Cursor("DISCONNECTED"), op.Session);
            if (next.Ended)
            {
                if (next.Error is not null) throw ErrorStatus.ToRpc(next.Error, op.Session);
                return;
            }
            await stream.WriteAsync(next.Response!, context.CancellationToken);
            sent++;
            index++;
        }
    }

    private void Drop(HttpContext http, StreamDrop how)
    {
        if (how == StreamDrop.CloseConnection && connections.Abort(http.Connection.Id)) return;
        http.Abort();
    }
}
