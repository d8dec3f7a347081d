using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Trino;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Metastore;

/// <summary>Which connection kinds have a metastore provider, and how one is made for a connection.</summary>
internal static class MetastoreProviders
{
    /// <summary>The kinds with a provider.</summary>
    public static IReadOnlySet<string> Supported { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ConnectionKinds.DuckDb, ConnectionKinds.Postgres, ConnectionKinds.Trino, ConnectionKinds.Presto, ConnectionKinds.Spark };

    /// <summary>
    /// A provider for the connection, opening its database through the warehouse client (a Trino, Presto or Spark provider
    /// gets a client of its own, made from the entry on first use, so its lookups never share a user's session); null
    /// when the kind has none yet.
    /// </summary>
    public static IMetastoreProvider? For(ConnectionSpec spec, WarehouseClient warehouse) => spec.Kind switch
    {
        ConnectionKinds.DuckDb when IsEmbedded(spec) => new DuckDbMetastoreProvider(spec.Name, new SharedDuckDb(warehouse.Embedded.OpenAsync).OpenAsync),
        ConnectionKinds.DuckDb => new DuckDbMetastoreProvider(spec.Name, ct => warehouse.OpenAsync(spec.Name, ct)),
        ConnectionKinds.Postgres => new PostgresMetastoreProvider(spec.Name, ct => warehouse.OpenAsync(spec.Name, ct)),
        ConnectionKinds.Trino or ConnectionKinds.Presto => new TrinoMetastoreProvider(spec.Name, TrinoClientFor(spec)),
        ConnectionKinds.Spark => new SparkMetastoreProvider(spec.Name, SparkClientFor(spec)),
        _ => null,
    };

    /// <summary>Whether the entry is the embedded warehouse (an in-memory database the metastore may keep open), not a DuckDB file.</summary>
    private static bool IsEmbedded(ConnectionSpec spec) =>
        spec.Name.Equals(ConnectionRegistry.EmbeddedName, StringComparison.OrdinalIgnoreCase) && spec.ConnectionString.Length == 0;

    /// <summary>Makes the connection's client once, on first use (a bad entry then fails that lookup, scrubbed, instead of the listing).</summary>
    private static Func<TrinoClient> TrinoClientFor(ConnectionSpec spec)
    {
        var client = new Lazy<TrinoClient>(() => new TrinoClient(TrinoConnectionOptions.Parse(spec.ConnectionString, spec.Kind == ConnectionKinds.Presto)));
        return () => client.Value;
    }

    /// <summary>Makes the connection's Spark Connect client (a session of its own) once, on first use.</summary>
    private static Func<SparkConnectClient> SparkClientFor(ConnectionSpec spec)
    {
        var client = new Lazy<SparkConnectClient>(() => new SparkConnectClient(SparkConnectOptions.Parse(spec.ConnectionString)));
        return () => client.Value;
    }

    /// <summary>The error entry of a connection whose kind has no provider.</summary>
    public static MetastoreError NotSupported(ConnectionSpec spec) =>
        new(spec.Name, MetastoreErrorKind.NotSupported, $"metastore lookup is not supported yet for {spec.Kind} connections (supported: {string.Join(", ", Supported.Order())})");
}
