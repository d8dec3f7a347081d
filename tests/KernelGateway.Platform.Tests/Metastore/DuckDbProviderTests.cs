using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>A DuckDB database file holding <see cref="LogicalCatalog"/>, and a small embedded warehouse.</summary>
public sealed class DuckDbCatalogFixture : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "kg-meta-duck-" + Guid.NewGuid().ToString("N")[..12]);
    public string DatabasePath => Path.Combine(Directory, "shop.duckdb");
    public WarehouseClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "duck", Kind = ConnectionKinds.DuckDb, ConnectionString = $"DataSource={DatabasePath}" });
        Client = new WarehouseClient(registry, new EmbeddedWarehouse(Path.Combine(Directory, "kg"), sessionRows: 1000));
        foreach (var statement in LogicalCatalog.Statements) await Client.ExecuteAsync(statement, connection: "duck");
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class DuckDbProviderTests(DuckDbCatalogFixture duck) : IClassFixture<DuckDbCatalogFixture>
{
    private DuckDbMetastoreProvider Provider(string connection) => new(connection, ct => duck.Client.OpenAsync(connection, ct));

    [Fact]
    public async Task A_duckdb_file_gives_the_shape_every_provider_gives() =>
        await LogicalCatalog.AssertSameShapeAsync(Provider("duck"), "duck", "shop");

    [Fact]
    public async Task A_duckdb_table_carries_its_estimated_row_count_its_ddl_and_the_engine_spelling_of_types()
    {
        var orders = await Provider("duck").DescribeAsync("shop", "sales", "orders", CancellationToken.None);
        Assert.NotNull(orders);
        Assert.Equal(3, orders.RowCount);
        Assert.Null(orders.SizeBytes);
        Assert.StartsWith("CREATE TABLE", orders.Definition);
        Assert.Equal(["BIGINT", "VARCHAR", "DECIMAL(10,2)", "DATE", "VARCHAR[]"], orders.Columns.Select(c => c.EngineType));
        Assert.Equal("false", orders.Properties["temporary"]);
        var catalog = Assert.Single(await Provider("duck").ListCatalogsAsync(CancellationToken.None));
        Assert.Equal(duck.DatabasePath, catalog.Properties["path"]);
    }

    [Fact]
    public async Task The_embedded_warehouse_lists_its_parquet_views_in_the_main_schema()
    {
        var provider = Provider(ConnectionRegistry.EmbeddedName);
        var catalog = Assert.Single(await provider.ListCatalogsAsync(CancellationToken.None));
        Assert.Equal("memory", catalog.Name);
        Assert.Equal(["main"], (await provider.ListSchemasAsync("memory", CancellationToken.None)).Select(s => s.Name));
        var tables = await provider.ListTablesAsync("memory", "main", CancellationToken.None);
        Assert.Equal(EmbeddedWarehouse.Tables.Order(), tables.Select(t => t.Name));
        Assert.All(tables, t => Assert.Equal(MetastoreTableKind.View, t.Kind));
        var sessions = await provider.DescribeAsync("memory", "main", "sessions", CancellationToken.None);
        Assert.NotNull(sessions);
        Assert.Equal("session_id", sessions.Columns[0].Name);
        Assert.Contains(sessions.Columns, c => c is { Name: "day", TableSchemaType: "date" });
        Assert.Contains("read_parquet", sessions.Definition);
    }

    [Fact]
    public async Task Names_are_bound_as_parameters_not_spliced_into_sql()
    {
        var evil = "x' OR '1'='1";
        var provider = Provider("duck");
        Assert.Empty(await provider.ListSchemasAsync(evil, CancellationToken.None));
        Assert.Empty(await provider.ListTablesAsync("shop", evil, CancellationToken.None));
        Assert.Null(await provider.DescribeAsync("shop", "sales", evil, CancellationToken.None));
    }
}
