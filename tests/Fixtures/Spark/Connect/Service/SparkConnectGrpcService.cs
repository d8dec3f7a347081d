using Grpc.Core;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Service;

/// <summary>
/// The gRPC service <c>spark.connect.SparkConnectService</c>. Each call is its own error boundary, as in Spark's
/// SparkConnectService: any failure becomes the call's status (<see cref="ErrorStatus"/>), the error kept for
/// FetchErrorDetails in the request's session if it exists.
/// </summary>
internal sealed class SparkConnectGrpcService(ServerState state) : SparkConnectService.SparkConnectServiceBase
{
    private readonly ExecuteHandler _execute = new(state);
    private readonly InterruptHandler _interrupt = new(state);
    private readonly AnalyzeHandler _analyze = new(state);
    private readonly ConfigHandler _config = new(state);
    private readonly SessionHandler _sessions = new(state);

    public override Task ExecutePlan(ExecutePlanRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context) =>
        GuardAsync(request, () => _execute.ExecutePlanAsync(request, responseStream, context));

    public override Task ReattachExecute(ReattachExecuteRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context) =>
        GuardAsync(request, () => _execute.ReattachExecuteAsync(request, responseStream, context));

    public override Task<ReleaseExecuteResponse> ReleaseExecute(ReleaseExecuteRequest request, ServerCallContext context) =>
        Guard(request, () => _execute.ReleaseExecute(request));

    public override Task<AnalyzePlanResponse> AnalyzePlan(AnalyzePlanRequest request, ServerCallContext context) =>
        Guard(request, () => _analyze.AnalyzePlan(request));

    public override Task<ConfigResponse> Config(ConfigRequest request, ServerCallContext context) => Guard(request, () => _config.Config(request));

    public override Task<InterruptResponse> Interrupt(InterruptRequest request, ServerCallContext context) => Guard(request, () => _interrupt.Interrupt(request));

    public override Task<ReleaseSessionResponse> ReleaseSession(ReleaseSessionRequest request, ServerCallContext context) =>
        Guard(request, () => _sessions.ReleaseSession(request));

    public override Task<FetchErrorDetailsResponse> FetchErrorDetails(FetchErrorDetailsRequest request, ServerCallContext context) =>
        Guard(request, () => _sessions.FetchErrorDetails(request));

    private Task<T> Guard<T>(ISparkRequest request, Func<T> handle)
    {
        try
        {
            return Task.FromResult(handle());
        }
        catch (Exception e)
        {
            throw Status(request, e);
        }
    }

    private async Task GuardAsync(ISparkRequest request, Func<Task> handle)
    {
        try
        {
            await handle();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Status(request, e);
        }
    }

    private RpcException Status(ISparkRequest request, Exception e) =>
        ErrorStatus.ToRpc(e, state.Sessions.Find(request.UserContext?.UserId ?? "", request.SessionId));
}
