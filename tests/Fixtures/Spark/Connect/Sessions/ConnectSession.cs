using System.Collections.Concurrent;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Sessions;

/// <summary>Spark keys a session by user id and session id (SessionKey).</summary>
internal sealed record SessionKey(string UserId, string SessionId);

/// <summary>
/// One Spark Connect session: its server-side session id (a new UUID per session, as SparkSession.sessionUUID), its
/// configuration, and the errors kept for FetchErrorDetails (each fetched at most once, as Spark's errorIdToError cache).
/// </summary>
internal sealed class ConnectSession(SessionKey key, SessionConfig config)
{
    private readonly ConcurrentDictionary<string, SparkError> _errors = new();

    public SessionKey Key { get; } = key;

    public string ServerSideSessionId { get; } = Guid.NewGuid().ToString();

    public SessionConfig Config { get; } = config;

    /// <summary>Keeps <paramref name="error"/> under a new id, which is returned.</summary>
    public string KeepError(SparkError error)
    {
        var id = Guid.NewGuid().ToString();
        _errors[id] = error;
        return id;
    }

    public SparkError? TakeError(string errorId) => _errors.TryRemove(errorId, out var e) ? e : null;
}
