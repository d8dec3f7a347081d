using System.Collections.Concurrent;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Sessions;

/// <summary>
/// The live sessions and the tombstones of closed ones, as SparkConnectSessionManager keeps them. ExecutePlan,
/// AnalyzePlan, Config, Interrupt and FetchErrorDetails get or create a session: the session id must be a UUID
/// (INVALID_HANDLE.FORMAT) and must not have been released (INVALID_HANDLE.SESSION_CLOSED). ReattachExecute and
/// ReleaseExecute need an existing one (SESSION_CLOSED or SESSION_NOT_FOUND). A client's
/// <c>client_observed_server_side_session_id</c> must match (INVALID_HANDLE.SESSION_CHANGED).
/// </summary>
internal sealed class SessionStore(Func<SessionKey, SessionConfig> newConfig)
{
    private readonly ConcurrentDictionary<SessionKey, ConnectSession> _live = new();
    private readonly ConcurrentDictionary<SessionKey, bool> _closed = new();
    private readonly Lock _gate = new();

    public ConnectSession GetOrCreate(string userId, string sessionId, string? observedServerSideId)
    {
        var key = new SessionKey(userId, sessionId);
        ConnectSession session;
        lock (_gate)
        {
            if (!_live.TryGetValue(key, out session!))
            {
                if (!Guid.TryParseExact(sessionId, "D", out _)) throw SparkError.Handle("FORMAT", sessionId);
                if (_closed.ContainsKey(key)) throw SparkError.Handle("SESSION_CLOSED", sessionId);
                session = _live[key] = new ConnectSession(key, newConfig(key));
            }
        }
        return Checked(session, observedServerSideId);
    }

    public ConnectSession GetExisting(string userId, string sessionId, string? observedServerSideId)
    {
        var key = new SessionKey(userId, sessionId);
        if (_live.TryGetValue(key, out var session)) return Checked(session, observedServerSideId);
        throw SparkError.Handle(_closed.ContainsKey(key) ? "SESSION_CLOSED" : "SESSION_NOT_FOUND", sessionId);
    }

    public ConnectSession? Find(string userId, string sessionId) => _live.GetValueOrDefault(new SessionKey(userId, sessionId));

    /// <summary>Ends a live session (releasing one that does not exist does nothing); unless <paramref name="allowReconnect"/>, its key is
    /// tombstoned. Returns the session if it was live.</summary>
    public ConnectSession? Close(string userId, string sessionId, bool allowReconnect)
    {
        var key = new SessionKey(userId, sessionId);
        lock (_gate)
        {
            if (!_live.TryRemove(key, out var session)) return null;
            if (!allowReconnect) _closed[key] = true;
            return session;
        }
    }

    private static ConnectSession Checked(ConnectSession session, string? observedServerSideId) =>
        observedServerSideId is null || observedServerSideId == session.ServerSideSessionId ? session
            : throw SparkError.Handle("SESSION_CHANGED", session.Key.SessionId);
}
