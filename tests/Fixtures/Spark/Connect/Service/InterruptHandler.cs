using KernelGateway.Tests.Fixtures.Spark.Connect.Execution;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using InterruptType = KernelGateway.Tests.Fixtures.Spark.Connect.Proto.InterruptRequest.Types.InterruptType;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Service;

/// <summary>
/// Interrupt, as SparkConnectInterruptHandler and SessionHolder: ALL interrupts every execution of the session, TAG
/// those started with the tag, OPERATION_ID the one; the response lists the operations that were still producing
/// results (an interrupted execution's stream ends with OPERATION_CANCELED).
/// </summary>
internal sealed class InterruptHandler(ServerState state)
{
    public InterruptResponse Interrupt(InterruptRequest request)
    {
        var session = state.Sessions.GetOrCreate(request.UserContext?.UserId ?? "", request.SessionId,
            ExecuteHandler.ObservedId(request.HasClientObservedServerSideSessionId, request.ClientObservedServerSideSessionId));
        var targets = state.Operations.OfSession(session.Key).Where(op => request.InterruptType switch
        {
            InterruptType.All => true,
            InterruptType.Tag => request.HasOperationTag && op.Tags.Contains(request.OperationTag),
            InterruptType.OperationId => request.HasOperationId && op.Id == request.OperationId,
            _ => false,
        });
        var interrupted = targets.Where(op => op.Interrupt()).Select(op => op.Id).ToList();
        var type = request.InterruptType switch
        {
            InterruptType.All => "ALL",
            InterruptType.Tag => "TAG",
            InterruptType.OperationId => "OPERATION_ID",
            _ => "UNSPECIFIED",
        };
        state.Interrupts.Add(new SparkConnectInterrupt(request.SessionId, type, request.HasOperationTag ? request.OperationTag : null,
            request.HasOperationId ? request.OperationId : null, interrupted));
        return new InterruptResponse { SessionId = request.SessionId, ServerSideSessionId = session.ServerSideSessionId, InterruptedIds = { interrupted } };
    }
}
