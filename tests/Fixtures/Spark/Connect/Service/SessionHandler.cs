using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Service;

/// <summary>
/// ReleaseSession (SparkConnectReleaseSessionHandler: ends the session and its executions, tombstoning it unless
/// <c>allow_reconnect</c>; releasing an unknown session does nothing) and FetchErrorDetails
/// (SparkConnectFetchErrorDetailsHandler: the error kept under <c>error_id</c>, once; an empty answer otherwise).
/// </summary>
internal sealed class SessionHandler(ServerState state)
{
    public ReleaseSessionResponse ReleaseSession(ReleaseSessionRequest request)
    {
        var response = new ReleaseSessionResponse { SessionId = request.SessionId };
        var session = state.Sessions.Close(request.UserContext?.UserId ?? "", request.SessionId, request.AllowReconnect);
        state.ReleasedSessions.Add(request.SessionId);
        if (session is null) return response;
        response.ServerSideSessionId = session.ServerSideSessionId;
        foreach (var op in state.Operations.OfSession(session.Key)) state.Operations.Remove(op, abandoned: true);
        return response;
    }

    public FetchErrorDetailsResponse FetchErrorDetails(FetchErrorDetailsRequest request)
    {
        var session = state.Sessions.GetOrCreate(request.UserContext?.UserId ?? "", request.SessionId,
            ExecuteHandler.ObservedId(request.HasClientObservedServerSideSessionId, request.ClientObservedServerSideSessionId));
        var response = session.TakeError(request.ErrorId) is { } error ? ErrorStatus.Details(error) : new FetchErrorDetailsResponse();
        response.SessionId = request.SessionId;
        response.ServerSideSessionId = session.ServerSideSessionId;
        return response;
    }
}
