using System.Globalization;
using System.Net;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// The Livy sessions of one kernel, by name: the first use of a name creates the session and waits until it is
/// idle, later uses get the same session (idle or busy: Livy queues statements). Livy wants session names unique
/// on the whole server, so a name <c>main</c> is <c>kg-{KernelId}-main</c> there: two kernels never collide, and the
/// same kernel id finds its sessions again (a session of that name left ended on the server is deleted first, to
/// free the name). Sessions are created with <c>heartbeatTimeoutInSecond</c>, and every
/// <see cref="LivySessionPoolOptions.HeartbeatInterval"/> the pool sends each one <c>GET /sessions/{id}/state</c>:
/// Livy (<c>SessionHeartbeatNotifier</c>) counts any request about a session as its heartbeat (not
/// <c>GET /sessions</c>) and deletes sessions whose heartbeat expired, so a kernel that dies without cleaning up
/// leaves nothing running. <see cref="DisposeAsync"/> (kernel shutdown) deletes every session of the pool.
/// </summary>
public sealed class LivySessionPool : IAsyncDisposable
{
    private readonly LivyClient _client;
    private readonly LivySessionPoolOptions _options;
    private readonly Dictionary<string, LivySession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly ITimer? _heartbeat;
    private readonly TimeSpan _heartbeatInterval;
    private Task _beating = Task.CompletedTask;
    private int _beatRunning;
    private bool _disposed;

    /// <summary>A pool over a client (the pool does not dispose it).</summary>
    /// <param name="client">The server's client.</param>
    /// <param name="options">Naming, heartbeat and defaults; see <see cref="LivySessionPoolOptions"/>.</param>
    /// <param name="timeProvider">The clock of the heartbeat timer; the system clock by default.</param>
    /// <exception cref="ArgumentException">The options cannot work.</exception>
    public LivySessionPool(LivyClient client, LivySessionPoolOptions? options = null, TimeProvider? timeProvider = null)
    {
        _client = client;
        _options = (options ?? new LivySessionPoolOptions()).Validated();
        KernelId = _options.KernelId ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        _heartbeatInterval = _options.HeartbeatInterval ?? _options.HeartbeatTimeout / 3;
        if (_options.HeartbeatTimeout > TimeSpan.Zero)
            _heartbeat = (timeProvider ?? TimeProvider.System).CreateTimer(_ => Beat(), null, _heartbeatInterval, _heartbeatInterval);
    }

    /// <summary>The kernel's part of every session name.</summary>
    public string KernelId { get; }

    /// <summary>The sessions by the names the kernel gave them, as last seen (state updated by every heartbeat).</summary>
    public IReadOnlyDictionary<string, LivySession> Sessions
    {
        get { lock (_lock) return new Dictionary<string, LivySession>(_sessions, StringComparer.Ordinal); }
    }

    /// <summary>The last heartbeat round (complete when it has had every answer): what a test waits for after moving its clock.</summary>
    internal Task HeartbeatRound => Volatile.Read(ref _beating);

    /// <summary>The name a session has on the server: <c>kg-{KernelId}-{name}</c>.</summary>
    public string LivyName(string name) => $"kg-{KernelId}-{name}";

    /// <summary>
    /// The session of a name: the pool's own if it is still usable, else one of that name on the server (left by an
    /// earlier life of the same kernel id), else a new one, created and waited for until idle. A session that ended
    /// is replaced. An existing session is reused whatever its kind: statements name their kind.
    /// </summary>
    /// <param name="name">Letters, digits, <c>-</c> or <c>_</c>.</param>
    /// <param name="kind">The kind of a new session (<see cref="LivyKinds"/>); none (shared) by default.</param>
    /// <param name="conf">Spark configuration of a new session, over <see cref="LivySessionPoolOptions.Defaults"/>'s.</param>
    /// <param name="cancellationToken">Stops waiting; a session being created stays in the pool (the next call waits for it again).</param>
    /// <exception cref="LivySessionException">The new session ended while starting; the message holds its log.</exception>
    /// <exception cref="TimeoutException">It did not start in time (it stays in the pool).</exception>
    /// <exception cref="LivyException">The server refused or could not be reached.</exception>
    public async Task<LivySession> GetOrCreateAsync(string name, string? kind = null, IReadOnlyDictionary<string, string>? conf = null, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        var gate = Gate(name);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (await ReuseAsync(name, cancellationToken).ConfigureAwait(false) is { } reused) return reused;
            return await CreateAsync(name, kind, conf, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Deletes the session of a name; false when the pool had none.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var gate = Gate(name);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            LivySession? session;
            lock (_lock) _sessions.Remove(name, out session);
            if (session is null) return false;
            await _client.DeleteSessionAsync(session.Id, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops the heartbeat and deletes every session of the pool (best effort, each within the client's cancel timeout).</summary>
    public async ValueTask DisposeAsync()
    {
        List<LivySession> sessions;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            sessions = [.. _sessions.Values];
            _sessions.Clear();
        }
        if (_heartbeat is not null) await _heartbeat.DisposeAsync().ConfigureAwait(false);
        await HeartbeatRound.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(sessions.Select(s => DeleteQuietlyAsync(s.Id))).ConfigureAwait(false);
    }

    private async Task<LivySession?> ReuseAsync(string name, CancellationToken ct)
    {
        LivySession? known;
        lock (_lock) _sessions.TryGetValue(name, out known);
        var session = known is null ? await _client.FindSessionAsync(LivyName(name), ct).ConfigureAwait(false) : await CurrentAsync(known.Id, ct).ConfigureAwait(false);
        if (session is null)
        {
            Forget(name);
            return null;
        }
        if (!LivySessionStates.IsUsable(session.State))
        {
            Forget(name);
            await DeleteQuietlyAsync(session.Id).ConfigureAwait(false);  // frees the name for the new session
            return null;
        }
        Remember(name, session);
        if (session.State is LivySessionStates.Idle or LivySessionStates.Busy) return session;
        return Remember(name, await _client.WaitForIdleAsync(session.Id, _options.StartTimeout, ct).ConfigureAwait(false));
    }

    private async Task<LivySession> CreateAsync(string name, string? kind, IReadOnlyDictionary<string, string>? conf, CancellationToken ct)
    {
        var defaults = _options.Defaults;
        Dictionary<string, string>? merged = null;
        if (defaults.Conf is not null || conf is not null)
        {
            merged = new Dictionary<string, string>(defaults.Conf ?? new Dictionary<string, string>());
            foreach (var (key, value) in conf ?? new Dictionary<string, string>()) merged[key] = value;
        }
        var request = defaults with
        {
            Name = LivyName(name),
            Kind = kind ?? defaults.Kind,
            Conf = merged,
            HeartbeatTimeoutInSecond = _options.HeartbeatTimeout > TimeSpan.Zero ? (int)Math.Ceiling(_options.HeartbeatTimeout.TotalSeconds) : defaults.HeartbeatTimeoutInSecond,
        };
        var session = Remember(name, await _client.CreateSessionAsync(request, ct).ConfigureAwait(false));
        try
        {
            return Remember(name, await _client.WaitForIdleAsync(session.Id, _options.StartTimeout, ct).ConfigureAwait(false));
        }
        catch (LivySessionException)
        {
            Forget(name);
            await DeleteQuietlyAsync(session.Id).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The session as the server has it now, or null when it no longer knows it.</summary>
    private async Task<LivySession?> CurrentAsync(int id, CancellationToken ct)
    {
        try
        {
            return await _client.GetSessionAsync(id, ct).ConfigureAwait(false);
        }
        catch (LivyException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private void Beat()
    {
        if (Interlocked.Exchange(ref _beatRunning, 1) == 1) return;  // the last round is still going: skip this one
        Volatile.Write(ref _beating, BeatAsync());
    }

    private async Task BeatAsync()
    {
        try
        {
            List<KeyValuePair<string, LivySession>> sessions;
            lock (_lock) sessions = [.. _sessions];
            await Task.WhenAll(sessions.Select(s => BeatAsync(s.Key, s.Value))).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _beatRunning, 0);
        }
    }

    /// <summary>One heartbeat; never throws (a lost heartbeat is made up by the next one, well before the timeout).</summary>
    private async Task BeatAsync(string name, LivySession session)
    {
        using var bound = new CancellationTokenSource(_heartbeatInterval);
        try
        {
            var state = await _client.GetSessionStateAsync(session.Id, bound.Token).ConfigureAwait(false);
            lock (_lock)
                if (_sessions.TryGetValue(name, out var current) && current.Id == session.Id) _sessions[name] = current with { State = state };
        }
        catch (LivyException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            lock (_lock)
                if (_sessions.TryGetValue(name, out var current) && current.Id == session.Id) _sessions[name] = current with { State = LivySessionStates.Dead };
        }
        catch (Exception e) when (e is LivyException or OperationCanceledException)
        {
            // the server is unreachable or slow just now: the next heartbeat tries again
        }
    }

    private async Task DeleteQuietlyAsync(int id)
    {
        using var bound = new CancellationTokenSource(_client.Options.CancelTimeout, _client.Time);
        try
        {
            await _client.DeleteSessionAsync(id, bound.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LivyException or OperationCanceledException)
        {
            // gone already, or the server is unreachable: its heartbeat timeout will end it
        }
    }

    private LivySession Remember(string name, LivySession session)
    {
        lock (_lock) _sessions[name] = session;
        return session;
    }

    private void Forget(string name)
    {
        lock (_lock) _sessions.Remove(name);
    }

    private SemaphoreSlim Gate(string name)
    {
        lock (_lock)
        {
            if (!_gates.TryGetValue(name, out var gate)) _gates[name] = gate = new SemaphoreSlim(1, 1);
            return gate;
        }
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"a session name is letters, digits, '-' or '_': '{name}'"), nameof(name));
    }
}
