using KernelGateway.Platform.Warehouse;
using KernelGateway.Tests.Fixtures;
using Npgsql;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// A real PostgreSQL cluster with a database <c>shop</c> holding <see cref="LogicalCatalog"/>, and a schema
/// <c>pgonly</c> with the kinds only PostgreSQL has: a materialized view, a partitioned table with two
/// partitions, and a foreign table (file_fdw, which Debian's postgresql package ships).
/// </summary>
public sealed class MetastorePostgres : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public WarehouseClient Client { get; private set; } = null!;

    public static readonly string[] PostgresOnly =
    [
        "CREATE SCHEMA pgonly",
        "COMMENT ON SCHEMA pgonly IS 'What only PostgreSQL has'",
        "CREATE MATERIALIZED VIEW pgonly.order_totals AS SELECT customer, sum(amount) AS total FROM sales.orders GROUP BY customer",
        "COMMENT ON MATERIALIZED VIEW pgonly.order_totals IS 'Totals per customer'",
        "CREATE TABLE pgonly.events (id bigint NOT NULL, day date NOT NULL, kind text) PARTITION BY RANGE (day)",
        "COMMENT ON TABLE pgonly.events IS 'One row per event, by month'",
        "COMMENT ON COLUMN pgonly.events.day IS 'The partition key'",
        "CREATE TABLE pgonly.events_2026_01 PARTITION OF pgonly.events FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')",
        "CREATE TABLE pgonly.events_2026_02 PARTITION OF pgonly.events FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')",
        "INSERT INTO pgonly.events SELECT g, DATE '2026-01-01' + (g % 59), 'view' FROM generate_series(1, 5000) g",
        "CREATE TABLE pgonly.tuned (id int) WITH (fillfactor = 70)",
        "CREATE EXTENSION file_fdw",
        "CREATE SERVER files FOREIGN DATA WRAPPER file_fdw",
        "CREATE FOREIGN TABLE pgonly.imported (a int, b text) SERVER files OPTIONS (filename '/nonexistent/imported.csv', format 'csv')",
        "COMMENT ON FOREIGN TABLE pgonly.imported IS 'Read from a CSV file'",
        "VACUUM ANALYZE", // not a bare "ANALYZE": Dapper sends a command text without whitespace as a stored procedure call
    ];

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.StartAsync();
        await using (var admin = new NpgsqlConnection(Server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE shop", admin);
            await create.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = "shop" }.ConnectionString;
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "pg", Kind = ConnectionKinds.Postgres, ConnectionString = ConnectionString });
        Client = new WarehouseClient(registry, new EmbeddedWarehouse(Path.Combine(Server.Directory, "kg"), sessionRows: 1000));
        foreach (var statement in LogicalCatalog.Statements.Concat(PostgresOnly))
        {
            try { await Client.ExecuteAsync(statement, connection: "pg"); }
            catch (Exception e) { throw new InvalidOperationException($"setting up with '{statement}' failed: {e.Message}", e); }
        }
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class MetastorePostgresCollection : ICollectionFixture<MetastorePostgres>
{
    public const string Name = "metastore postgres";
}
