using KernelGateway.Platform.Iceberg;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Trino;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Metastore;

/// <summary>Which connection kinds have a metastore provider, and how one is made for a connection.</summary>
internal static class MetastoreProviders
{
    /// <summary>The kinds with a provider.</summary>
    public static IReadOnlySet<string> Supported { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ConnectionKinds.DuckDb, ConnectionKinds.Postgres, ConnectionKinds.Trino, ConnectionKinds.Presto, ConnectionKinds.Spark, ConnectionKinds.Iceberg };

    /// <summary>
    /// A provider for the connection, opening its database through the warehouse client (a Trino, Presto or Spark provider
    /// gets a client of its own, made from the entry on first use, so its lookups never share a user's session, and
    /// returned as <c>Owned</c> for the metastore to dispose); null when the kind has none yet.
    /// </summary>
    public static (IMetastoreProvider Provider, IAsyncDisposable? Owned)? For(ConnectionSpec spec, WarehouseClient warehouse)
    {
        switch (spec.Kind)
        {
            case ConnectionKinds.DuckDb:
                return (new DuckDbMetastoreProvider(spec.Name, ct => warehouse.OpenAsync(spec.Name, ct)), null);
            case ConnectionKinds.Postgres:
                return (new PostgresMetastoreProvider(spec.Name, ct => warehouse.OpenAsync(spec.Name, ct)), null);
            case ConnectionKinds.Trino or ConnectionKinds.Presto:
                var trino = new OwnedClient<TrinoClient>(() => new TrinoClient(TrinoConnectionOptions.Parse(spec.ConnectionString, spec.Kind == ConnectionKinds.Presto)));
                return (new TrinoMetastoreProvider(spec.Name, () => trino.Value), trino);
            case ConnectionKinds.Spark:
                var spark = new OwnedClient<SparkConnectClient>(() => new SparkConnectClient(SparkConnectOptions.Parse(spec.ConnectionString)));
                return (new SparkMetastoreProvider(spec.Name, () => spark.Value), spark);
            case ConnectionKinds.Iceberg:
                var iceberg = new OwnedClient<IcebergRestClient>(() => new IcebergRestClient(IcebergOptions.Parse(spec.ConnectionString)));
                return (new IcebergMetastoreProvider(spec.Name, () => iceberg.Value), iceberg);
            default:
                return null;
        }
    }

    /// <summary>The error entry of a connection whose kind has no provider.</summary>
    public static MetastoreError NotSupported(ConnectionSpec spec) =>
        new(spec.Name, MetastoreErrorKind.NotSupported, $"metastore lookup is not supported yet for {spec.Kind} connections (supported: {string.Join(", ", Supported.Order())})");
}
