namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// A session ended (<c>dead</c>, <c>error</c>, <c>killed</c>, ...) while it was waited for. Carries the state and the
/// session's last log lines, which say why (a driver that could not start, a YARN diagnostic).
/// </summary>
public sealed class LivySessionException : LivyException
{
    /// <summary>A session that ended.</summary>
    public LivySessionException(int sessionId, string state, IReadOnlyList<string> log)
        : base(Describe(sessionId, state, log))
    {
        SessionId = sessionId;
        State = state;
        Log = log;
    }

    /// <summary>The session.</summary>
    public int SessionId { get; }

    /// <summary>The state it ended in.</summary>
    public string State { get; }

    /// <summary>Its last log lines, as Livy sent them (empty when the server had none or no longer knew the session).</summary>
    public IReadOnlyList<string> Log { get; }

    private static string Describe(int id, string state, IReadOnlyList<string> log)
    {
        var lines = log.Select(l => l.Trim('\n')).Where(l => l.Length > 0).ToList();
        return $"Livy session {id} is {state}" + (lines.Count == 0 ? " (the server has no log for it)" : ". Its log:\n" + string.Join('\n', lines));
    }
}
