using Grpc.Core;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Execution;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Service;

/// <summary>
/// ExecutePlan, ReattachExecute and ReleaseExecute, as SparkConnectExecutePlanHandler, SparkConnectReattachExecuteHandler
/// and SparkConnectReleaseExecuteHandler: the operation id is the client's (a UUID, else INVALID_HANDLE.FORMAT) or a new
/// one; the execution runs in the background while the RPC sends its responses; a non-reattachable execution is
/// released when its RPC ends (interrupting it if the client went away), a reattachable one waits for ReleaseExecute.
/// </summary>
internal sealed class ExecuteHandler(ServerState state)
{
    public async Task ExecutePlanAsync(ExecutePlanRequest request, IServerStreamWriter<ExecutePlanResponse> stream, ServerCallContext context)
    {
        var session = state.Sessions.GetOrCreate(request.UserContext?.UserId ?? "", request.SessionId, ObservedId(request.HasClientObservedServerSideSessionId, request.ClientObservedServerSideSessionId));
        var operationId = OperationId(request);
        var reattachable = request.RequestOptions.Any(o => o.ReattachOptions?.Reattachable == true);
        var record = new ExecutionRecord(operationId, request.SessionId, request.UserContext?.UserId, PlanKind(request.Plan), request.Tags.ToList(), reattachable,
            CallRecorder.Headers(context));
        var op = new Operation(session, operationId, reattachable, request.Tags.ToList(), state.Options.RetryBufferBytes);
        state.Operations.Add(op);
        state.Executions.Add(record);
        var hold = state.Faults.TakeHold();
        var fault = state.Faults.TakeStreamFault();
        state.Start(() => state.Runner.RunAsync(op, request, record, hold));
        try
        {
            await state.Sender.SendAsync(op, 1, stream, context, fault);
        }
        finally
        {
            if (!reattachable) state.Operations.Remove(op);
        }
    }

    private static string OperationId(ExecutePlanRequest request)
    {
        if (!request.HasOperationId) return Guid.NewGuid().ToString();
        return Guid.TryParseExact(request.OperationId, "D", out var id) ? id.ToString() : throw SparkError.Handle("FORMAT", request.OperationId);
    }

    private static string PlanKind(Plan? plan) => plan?.OpTypeCase switch
    {
        Plan.OpTypeOneofCase.Root => "root." + Snake(plan.Root.RelTypeCase.ToString()),
        Plan.OpTypeOneofCase.Command when plan.Command.CommandTypeCase == Command.CommandTypeOneofCase.SqlCommand => "command.sql_command",
        _ => throw SparkError.Internal($"The fixture does not support this plan: {plan}"),
    };

    private static string Snake(string pascal) => string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public async Task ReattachExecuteAsync(ReattachExecuteRequest request, IServerStreamWriter<ExecutePlanResponse> stream, ServerCallContext context)
    {
        var last = request.HasLastResponseId ? request.LastResponseId : null;
        Operation op;
        long start;
        try
        {
            var session = state.Sessions.GetExisting(request.UserContext?.UserId ?? "", request.SessionId,
                ObservedId(request.HasClientObservedServerSideSessionId, request.ClientObservedServerSideSessionId));
            op = state.Operations.Find(session.Key, request.OperationId)
                ?? throw SparkError.Handle(state.Operations.WasAbandoned(session.Key, request.OperationId) ? "OPERATION_ABANDONED" : "OPERATION_NOT_FOUND", request.OperationId);
            if (!op.Reattachable) throw SparkError.Cursor("NOT_REATTACHABLE");
            start = op.IndexAfter(last);
        }
        catch (SparkError e)
        {
            state.Reattaches.Add(new SparkConnectReattach(request.SessionId, request.OperationId, last, e.ErrorClass));
            throw;
        }
        state.Reattaches.Add(new SparkConnectReattach(request.SessionId, request.OperationId, last, null));
        await state.Sender.SendAsync(op, start, stream, context, null);
    }

    public ReleaseExecuteResponse ReleaseExecute(ReleaseExecuteRequest request)
    {
        var session = state.Sessions.GetExisting(request.UserContext?.UserId ?? "", request.SessionId, null);
        var response = new ReleaseExecuteResponse { SessionId = request.SessionId, ServerSideSessionId = session.ServerSideSessionId };
        var op = state.Operations.Find(session.Key, request.OperationId);
        var all = request.ReleaseCase == ReleaseExecuteRequest.ReleaseOneofCase.ReleaseAll;
        var until = request.ReleaseCase == ReleaseExecuteRequest.ReleaseOneofCase.ReleaseUntil ? request.ReleaseUntil.ResponseId : null;
        state.Releases.Add(new SparkConnectRelease(request.SessionId, request.OperationId, all, until, op is not null));
        if (op is null) return response;
        if (!op.Reattachable) throw SparkError.Cursor("NOT_REATTACHABLE");
        response.OperationId = op.Id;
        if (all) state.Operations.Remove(op);
        else if (until is not null) op.ReleaseUntil(until);
        else throw SparkError.Internal("Unknown ReleaseExecute type!");
        return response;
    }

    public static string? ObservedId(bool has, string value) => has ? value : null;
}
