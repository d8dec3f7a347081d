using System.Text.Json.Nodes;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>
/// The server's sessions and batches (Livy's <c>SessionManager</c>): ids from 0, names unique, a deleted session
/// gone at once (404 afterwards), an ended one kept (Livy keeps it for <c>livy.server.session.state-retain.sec</c>).
/// Every change happens under <see cref="Lock"/> and fires <see cref="Changed"/>.
/// </summary>
internal sealed class LivyStore(LivyServerOptions options)
{
    private readonly SortedDictionary<int, FakeSession> _sessions = [];
    private readonly Dictionary<string, FakeSession> _byName = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, FakeBatch> _batches = [];
    private int _nextSession;
    private int _nextBatch;

    public Lock Lock { get; } = new();

    public Pulse Changed { get; } = new();

    public LivyServerOptions Options { get; } = options;

    /// <summary>Registers a session, or null when its name is taken (Livy: 400 "Duplicate session name").</summary>
    public FakeSession? AddSession(JsonObject request, string kind, string? owner, out int id)
    {
        FakeSession session;
        lock (Lock)
        {
            id = _nextSession++;  // taken even when the name is refused, as Livy's nextId() is
            session = new FakeSession(id, request, kind, owner, Options.LogCacheSize);
            if (session.Name is { } name && !_byName.TryAdd(name, session)) return null;
            _sessions[id] = session;
            session.LastHeartbeat = Options.HeartbeatClock.GetUtcNow();  // InteractiveSession heartbeats once when it is made
        }
        Changed.Fire();
        return session;
    }

    /// <summary>A session by id (all digits) or name, as Livy's <c>doWithSession</c> finds it.</summary>
    public FakeSession? FindSession(string idOrName)
    {
        lock (Lock)
            return idOrName.All(char.IsAsciiDigit) ? (int.TryParse(idOrName, out var id) && _sessions.TryGetValue(id, out var s) ? s : null) : _byName.GetValueOrDefault(idOrName);
    }

    public FakeSession? FindSession(int id)
    {
        lock (Lock) return _sessions.GetValueOrDefault(id);
    }

    public List<FakeSession> Sessions()
    {
        lock (Lock) return [.. _sessions.Values];
    }

    /// <summary>What any request about one session does first in Livy (<c>SessionHeartbeatNotifier</c>).</summary>
    public void Heartbeat(FakeSession session)
    {
        lock (Lock)
        {
            session.LastHeartbeat = Options.HeartbeatClock.GetUtcNow();
            session.Heartbeats++;
        }
        Changed.Fire();
    }

    /// <summary>Stops a session and forgets it (DELETE, or an expired heartbeat): its statements are interrupted.</summary>
    public void DeleteSession(FakeSession session)
    {
        lock (Lock)
        {
            session.State = "dead";
            _sessions.Remove(session.Id);
            if (session.Name is { } name) _byName.Remove(name);
        }
        Stop(session);
    }

    /// <summary>Ends a session in a final state it keeps (dead, error, killed): it stays listed, its statements are interrupted.</summary>
    public void EndSession(FakeSession session, string state)
    {
        lock (Lock) session.State = state;
        Stop(session);
    }

    /// <summary>Deletes every session whose heartbeat expired (Livy's <c>SessionHeartbeatWatchdog</c>).</summary>
    public void DeleteExpiredSessions()
    {
        var now = Options.HeartbeatClock.GetUtcNow();
        List<FakeSession> expired;
        lock (Lock) expired = [.. _sessions.Values.Where(s => s.HeartbeatTimeoutSeconds > 0 && now > s.LastHeartbeat.AddSeconds(s.HeartbeatTimeoutSeconds))];
        foreach (var s in expired) DeleteSession(s);
    }

    public FakeBatch AddBatch(JsonObject request, string? owner)
    {
        FakeBatch batch;
        lock (Lock)
        {
            batch = new FakeBatch(_nextBatch++, request, owner, Options.LogCacheSize);
            _batches[batch.Id] = batch;
        }
        Changed.Fire();
        return batch;
    }

    public FakeBatch? FindBatch(int id)
    {
        lock (Lock) return _batches.GetValueOrDefault(id);
    }

    public List<FakeBatch> Batches()
    {
        lock (Lock) return [.. _batches.Values];
    }

    /// <summary>Kills a batch and forgets it (DELETE).</summary>
    public void DeleteBatch(FakeBatch batch)
    {
        lock (Lock)
        {
            batch.DeleteReceived = true;
            if (batch.State is "starting" or "running") batch.State = "killed";
            _batches.Remove(batch.Id);
        }
        Changed.Fire();
    }

    /// <summary>Changes something under the lock, then wakes the waiters.</summary>
    public void Update(Action change)
    {
        lock (Lock) change();
        Changed.Fire();
    }

    /// <summary>Reads something under the lock.</summary>
    public T Read<T>(Func<T> read)
    {
        lock (Lock) return read();
    }

    private void Stop(FakeSession session)
    {
        List<FakeStatement> statements;
        lock (Lock) statements = [.. session.Statements];
        session.Queue.Writer.TryComplete();
        session.StartGate.TrySetResult();
        session.Stopped.Cancel();
        foreach (var st in statements) st.Interrupt.Cancel();
        Changed.Fire();
    }
}
