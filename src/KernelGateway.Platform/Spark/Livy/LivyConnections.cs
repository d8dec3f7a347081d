using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// The Livy connections of a registry (kind <c>livy</c>), one <see cref="LivyClient"/> and one
/// <see cref="LivySessionPool"/> per name, made on first use and shared by <c>%%spark</c>, <c>%spark</c> and the
/// <c>Livy</c> object cells see. The default is the connection named <c>livy</c>, else the only one. Disposing (kernel
/// shutdown) deletes every session the kernel created.
/// </summary>
public sealed class LivyConnections(ConnectionRegistry registry, LivySessionPoolOptions? poolOptions = null) : IAsyncDisposable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Entry> _replaced = [];
    private readonly Lock _lock = new();

    /// <summary>A connection's client and this kernel's sessions on it.</summary>
    public sealed record Entry(ConnectionSpec Spec, LivyClient Client, LivySessionPool Sessions);

    /// <summary>The entry of a named livy connection.</summary>
    /// <exception cref="KeyNotFoundException">No such connection.</exception>
    /// <exception cref="ConnectionUnusableException">The entry is bad.</exception>
    /// <exception cref="ArgumentException">The connection is of another kind.</exception>
    public Entry this[string name] => Get(registry.Get(name));

    /// <summary>The default connection's entry.</summary>
    /// <exception cref="InvalidOperationException">There is none, or several and none is named <c>livy</c>.</exception>
    public Entry Default => Get(DefaultSpec());

    /// <summary>Whether any livy connection is defined.</summary>
    public bool Any => registry.All.Any(c => c.Kind == ConnectionKinds.Livy);

    /// <summary>The default livy connection.</summary>
    /// <exception cref="InvalidOperationException">There is none, or several and none is named <c>livy</c>.</exception>
    public ConnectionSpec DefaultSpec()
    {
        var candidates = registry.All.Where(c => c.Kind == ConnectionKinds.Livy).ToList();
        if (candidates.FirstOrDefault(c => string.Equals(c.Name, ConnectionKinds.Livy, StringComparison.OrdinalIgnoreCase)) is { } named) return named;
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new InvalidOperationException(
                "no Livy connection: add one to connections.json or KG_CONNECTIONS, or run %connect livy kind=livy connection_string=\"https://user:password@livy-host:8998\""
                + (registry.Problems.Any(p => p.Message.Contains("livy", StringComparison.OrdinalIgnoreCase)) ? $" (entries that cannot be used: {string.Join("; ", registry.Problems)})" : "")),
            _ => throw new InvalidOperationException($"several Livy connections ({string.Join(", ", candidates.Select(c => c.Name))}): name one"),
        };
    }

    /// <summary>The entry of a connection (a changed entry gets a new client; the old one's sessions are deleted at disposal).</summary>
    /// <exception cref="ArgumentException">The entry is not a livy connection.</exception>
    public Entry Get(ConnectionSpec spec)
    {
        if (spec.Kind != ConnectionKinds.Livy) throw new ArgumentException($"connection '{spec.Name}' is {spec.Kind}, not livy");
        lock (_lock)
        {
            if (_entries.TryGetValue(spec.Name, out var known) && known.Spec == spec) return known;
            if (known is not null) _replaced.Add(known);
            var client = new LivyClient(LivyOptions.Parse(spec.ConnectionString));
            var entry = new Entry(spec, client, new LivySessionPool(client, poolOptions));
            _entries[spec.Name] = entry;
            return entry;
        }
    }

    /// <summary>The entries in use.</summary>
    public IReadOnlyList<Entry> InUse
    {
        get { lock (_lock) return _entries.Values.ToList(); }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var names = registry.All.Where(c => c.Kind == ConnectionKinds.Livy).Select(c => c.Name).ToList();
        return names.Count == 0 ? "Livy: no livy connection" : $"Livy: {string.Join(", ", names)}";
    }

    /// <summary>Deletes every session this kernel created, then closes the clients; failures are not thrown.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Entry> all;
        lock (_lock)
        {
            all = [.. _entries.Values, .. _replaced];
            _entries.Clear();
            _replaced.Clear();
        }
        foreach (var entry in all)
        {
            try { await entry.Sessions.DisposeAsync().ConfigureAwait(false); }
            catch (Exception) { /* the pool logs nothing secret; a server gone at shutdown is not the user's problem */ }
            entry.Client.Dispose();
        }
    }
}
