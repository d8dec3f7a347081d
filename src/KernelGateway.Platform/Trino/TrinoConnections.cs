using KernelGateway.Platform.Sql;
using KernelGateway.Platform.Warehouse;
using Microsoft.Data.Analysis;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// The Trino and Presto connections of a registry, one <see cref="TrinoClient"/> (and so one session) per name,
/// shared by every way in: <c>%%trino</c>, <c>%%sql name</c>, <c>Warehouse</c> and the <c>Trino</c> object cells
/// see. The query methods here run on the default connection: the one named <c>trino</c> (or <c>presto</c>), else
/// the only one there is; <c>Trino["name"]</c> reaches any other.
/// </summary>
public sealed class TrinoConnections(ConnectionRegistry registry) : IDisposable
{
    private readonly Dictionary<string, (ConnectionSpec Spec, TrinoClient Client)> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();
    private Func<CancellationToken>? _ambient;

    /// <summary>Where calls without a token get one (in a kernel, the running cell's); applied to every client.</summary>
    public Func<CancellationToken>? AmbientCancellation
    {
        get => _ambient;
        set
        {
            lock (_lock)
            {
                _ambient = value;
                foreach (var (_, client) in _clients.Values) client.AmbientCancellation = value;
            }
        }
    }

    /// <summary>The client of a named trino or presto connection (made on first use; a changed entry gets a new client).</summary>
    /// <exception cref="KeyNotFoundException">No such connection.</exception>
    /// <exception cref="ConnectionUnusableException">The entry is bad.</exception>
    /// <exception cref="ArgumentException">The connection is of another kind.</exception>
    public TrinoClient this[string name] => Get(registry.Get(name));

    /// <summary>The default connection's client (see the class remarks).</summary>
    /// <exception cref="InvalidOperationException">There is none, or several and none is named <c>trino</c>.</exception>
    public TrinoClient Default => Get(DefaultSpec(null));

    /// <summary>The default connection of a kind (<c>trino</c> or <c>presto</c>; null: either).</summary>
    /// <exception cref="InvalidOperationException">There is none, or several and none is named after the kind.</exception>
    public ConnectionSpec DefaultSpec(string? kind)
    {
        var candidates = registry.All.Where(c => kind is null ? ConnectionKinds.IsTrinoProtocol(c.Kind) : c.Kind == kind).ToList();
        var what = kind ?? "Trino or Presto";
        // A connection named after the kind wins (for either kind: trino first, then presto).
        foreach (var name in kind is null ? [ConnectionKinds.Trino, ConnectionKinds.Presto] : new[] { kind })
            if (candidates.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) is { } named) return named;
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new InvalidOperationException(
                $"no {what} connection: add one to connections.json or KG_CONNECTIONS, or run %connect name kind={kind ?? "trino"} connection_string=\"{kind ?? "trino"}://user@host:8080/catalog/schema\""
                + (registry.Problems.Any(p => p.Message.Contains("trino", StringComparison.OrdinalIgnoreCase) || p.Message.Contains("presto", StringComparison.OrdinalIgnoreCase))
                    ? $" (entries that cannot be used: {string.Join("; ", registry.Problems)})" : "")),
            _ => throw new InvalidOperationException($"several {what} connections ({string.Join(", ", candidates.Select(c => c.Name))}): name one, e.g. Trino[\"{candidates[0].Name}\"] or %%{kind ?? "trino"} {candidates[0].Name}"),
        };
    }

    /// <summary>The client of a connection entry.</summary>
    /// <exception cref="ArgumentException">The entry is not a trino or presto connection.</exception>
    public TrinoClient Get(ConnectionSpec spec)
    {
        if (!ConnectionKinds.IsTrinoProtocol(spec.Kind)) throw new ArgumentException($"connection '{spec.Name}' is {spec.Kind}, not trino or presto");
        lock (_lock)
        {
            if (_clients.TryGetValue(spec.Name, out var known) && known.Spec == spec) return known.Client;
            known.Client?.Dispose();
            var client = new TrinoClient(TrinoConnectionOptions.Parse(spec.ConnectionString, spec.Kind == ConnectionKinds.Presto)) { AmbientCancellation = _ambient };
            _clients[spec.Name] = (spec, client);
            return client;
        }
    }

    /// <summary>Starts a statement on the default connection (see <see cref="TrinoClient.Submit"/>).</summary>
    public TrinoQuery Submit(string sql, object? parameters = null, IProgress<QueryProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Default.Submit(sql, parameters, progress, cancellationToken);

    /// <summary>Runs a query on the default connection and keeps its result (see <see cref="TrinoClient.QueryAsync(string, object?, CancellationToken)"/>).</summary>
    public Task<TrinoResult> QueryAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Default.QueryAsync(sql, parameters, cancellationToken);

    /// <summary>Runs a query on the default connection into typed rows.</summary>
    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Default.QueryAsync<T>(sql, parameters, cancellationToken);

    /// <summary>Runs a query on the default connection into a DataFrame.</summary>
    public Task<DataFrame> QueryDataFrameAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Default.QueryDataFrameAsync(sql, parameters, cancellationToken);

    /// <summary>Runs a statement on the default connection; returns the rows it changed, when the server says.</summary>
    public Task<long?> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Default.ExecuteAsync(sql, parameters, cancellationToken);

    /// <inheritdoc />
    public override string ToString()
    {
        var names = registry.All.Where(c => ConnectionKinds.IsTrinoProtocol(c.Kind)).Select(c => c.ToString()).ToList();
        return names.Count == 0 ? "Trino: no connections" : "Trino: " + string.Join("; ", names);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (_, client) in _clients.Values) client.Dispose();
            _clients.Clear();
        }
    }
}
