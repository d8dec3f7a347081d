using KernelGateway.Platform.Warehouse;
using Microsoft.Data.Analysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// The Spark connections of a registry (kind <c>spark</c>, a Spark Connect connection string), one
/// <see cref="SparkConnectClient"/> — and so one Spark session — per name, made on first use and shared by every
/// way in (<c>%%spark</c>, the <c>Spark</c> object cells see). The query methods here run on the default
/// connection: the one named <c>spark</c>, else the only one there is; <c>Spark["name"]</c> reaches any other.
/// Disposing releases every session.
/// </summary>
public sealed class SparkConnections(ConnectionRegistry registry, ILogger? logger = null) : IAsyncDisposable
{
    private readonly Dictionary<string, (ConnectionSpec Spec, SparkConnectClient Client)> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SparkConnectClient> _replaced = [];
    private readonly Lock _lock = new();
    private readonly ILogger _log = logger ?? NullLogger.Instance;
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

    /// <summary>The client of a named spark connection (made on first use; a changed entry gets a new client and session).</summary>
    /// <exception cref="KeyNotFoundException">No such connection.</exception>
    /// <exception cref="ConnectionUnusableException">The entry is bad.</exception>
    /// <exception cref="ArgumentException">The connection is of another kind.</exception>
    public SparkConnectClient this[string name] => Get(registry.Get(name));

    /// <summary>The default connection's client (see the class remarks).</summary>
    /// <exception cref="InvalidOperationException">There is none, or several and none is named <c>spark</c>.</exception>
    public SparkConnectClient Default => Get(DefaultSpec());

    /// <summary>The default spark connection.</summary>
    /// <exception cref="InvalidOperationException">There is none, or several and none is named <c>spark</c>.</exception>
    public ConnectionSpec DefaultSpec() => DefaultSpecOf(registry);

    /// <summary>The default spark connection of <paramref name="registry"/>: the one named <c>spark</c>, else the only one.</summary>
    /// <exception cref="InvalidOperationException">There is none, or several and none is named <c>spark</c>.</exception>
    public static ConnectionSpec DefaultSpecOf(ConnectionRegistry registry)
    {
        var candidates = registry.All.Where(c => c.Kind == ConnectionKinds.Spark).ToList();
        if (candidates.FirstOrDefault(c => string.Equals(c.Name, ConnectionKinds.Spark, StringComparison.OrdinalIgnoreCase)) is { } named) return named;
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new InvalidOperationException(
                "no Spark connection: add one to connections.json or KG_CONNECTIONS, or run %connect spark kind=spark connection_string=\"sc://host:15002/;user_id=me\""
                + (registry.Problems.Any(p => p.Message.Contains("spark", StringComparison.OrdinalIgnoreCase)) ? $" (entries that cannot be used: {string.Join("; ", registry.Problems)})" : "")),
            _ => throw new InvalidOperationException($"several Spark connections ({string.Join(", ", candidates.Select(c => c.Name))}): name one, e.g. Spark[\"{candidates[0].Name}\"]"),
        };
    }

    /// <summary>The client of a connection entry.</summary>
    /// <exception cref="ArgumentException">The entry is not a spark connection.</exception>
    public SparkConnectClient Get(ConnectionSpec spec)
    {
        if (spec.Kind != ConnectionKinds.Spark) throw new ArgumentException($"connection '{spec.Name}' is {spec.Kind}, not spark");
        lock (_lock)
        {
            if (_clients.TryGetValue(spec.Name, out var known) && known.Spec == spec) return known.Client;
            if (known.Client is not null) _replaced.Add(known.Client); // its session is released at disposal: a cell may still use it
            var client = new SparkConnectClient(SparkConnectOptions.Parse(spec.ConnectionString), null, _log) { AmbientCancellation = _ambient };
            _clients[spec.Name] = (spec, client);
            return client;
        }
    }

    /// <summary>A lazy frame over a query on the default connection (see <see cref="SparkConnectClient.Sql"/>).</summary>
    public SparkFrame Sql(string sql, object? parameters = null) => Default.Sql(sql, parameters);

    /// <summary>A lazy frame over a table on the default connection.</summary>
    public SparkFrame Table(string name) => Default.Table(name);

    /// <summary>Starts a statement on the default connection (see <see cref="SparkConnectClient.Execute(string, object?, SparkExecuteOptions?, CancellationToken)"/>).</summary>
    public SparkExecution Execute(string sql, object? parameters = null, SparkExecuteOptions? options = null, CancellationToken cancellationToken = default) =>
        Default.Execute(sql, parameters, options, cancellationToken);

    /// <summary>Runs a query on the default connection into a DataFrame.</summary>
    public Task<DataFrame> QueryDataFrameAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Default.QueryDataFrameAsync(sql, parameters, cancellationToken);

    /// <summary>Runs a query on the default connection into typed rows.</summary>
    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Default.QueryAsync<T>(sql, parameters, cancellationToken);

    /// <summary>Runs a statement on the default connection to its end.</summary>
    public Task ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Default.ExecuteAsync(sql, parameters, cancellationToken);

    /// <inheritdoc />
    public override string ToString()
    {
        var names = registry.All.Where(c => c.Kind == ConnectionKinds.Spark).Select(c => c.ToString()).ToList();
        return names.Count == 0 ? "Spark: no connections" : "Spark: " + string.Join("; ", names);
    }

    /// <summary>Releases every session (failures are logged) and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        List<SparkConnectClient> clients;
        lock (_lock)
        {
            clients = [.. _clients.Values.Select(c => c.Client), .. _replaced];
            _clients.Clear();
            _replaced.Clear();
        }
        foreach (var client in clients) await client.DisposeAsync().ConfigureAwait(false);
    }
}
