using KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

namespace KernelGateway.Tests.Fixtures.Spark.Livy;

/// <summary>A session of the server as the test sees and steers it: its state, heartbeats, log and statements; end it as a cluster would.</summary>
public sealed class LivySessionHandle
{
    private readonly LivyStore _store;
    private readonly FakeSession _session;

    internal LivySessionHandle(LivyStore store, FakeSession session)
    {
        _store = store;
        _session = session;
    }

    /// <summary>The session id.</summary>
    public int Id => _session.Id;

    /// <summary>Its name, when it has one.</summary>
    public string? Name => _session.Name;

    /// <summary>Its kind (<c>shared</c> when created without one).</summary>
    public string Kind => _session.Kind;

    /// <summary>Its state now.</summary>
    public string State => _store.Read(() => _session.State);

    /// <summary>Whether the server still knows it (false once deleted or expired).</summary>
    public bool Exists => _store.FindSession(_session.Id) == _session;

    /// <summary>How many requests about it counted as heartbeats (its creation not included).</summary>
    public int Heartbeats => _store.Read(() => _session.Heartbeats);

    /// <summary>When its last heartbeat was, on <see cref="LivyServerOptions.HeartbeatClock"/>.</summary>
    public DateTimeOffset LastHeartbeat => _store.Read(() => _session.LastHeartbeat);

    /// <summary>A statement's state, or null when it has no such statement.</summary>
    public string? StatementState(int statementId) => _store.Read(() => _session.Statements.FirstOrDefault(s => s.Id == statementId)?.State);

    /// <summary>Whether a client asked to cancel the statement.</summary>
    public bool CancelReceived(int statementId) => _store.Read(() => _session.Statements.FirstOrDefault(s => s.Id == statementId)?.CancelReceived ?? false);

    /// <summary>Ends <c>starting</c>: the session is idle (with <see cref="LivyServerOptions.HoldSessionStart"/>).</summary>
    public void CompleteStart() => _session.StartGate.TrySetResult();

    /// <summary>Ends the session as a failing cluster does, in <paramref name="state"/> (dead, error, killed), after writing <paramref name="stderr"/> to its log. It stays listed.</summary>
    public void End(string state = "dead", params string[] stderr)
    {
        _session.Log.Stderr(stderr);
        _store.EndSession(_session, state);
    }

    /// <summary>Lines the driver printed to stdout.</summary>
    public void Stdout(params string[] lines) => _store.Update(() => _session.Log.Stdout(lines));

    /// <summary>Lines the driver printed to stderr.</summary>
    public void Stderr(params string[] lines) => _store.Update(() => _session.Log.Stderr(lines));

    /// <summary>Completes once the session has had <paramref name="count"/> heartbeats in all.</summary>
    public Task WaitForHeartbeatsAsync(int count, CancellationToken ct) => _store.Changed.WaitAsync(() => Heartbeats >= count, ct);

    /// <summary>Completes once the session is in <paramref name="state"/>.</summary>
    public Task WaitForStateAsync(string state, CancellationToken ct) => _store.Changed.WaitAsync(() => State == state, ct);
}
