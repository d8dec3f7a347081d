using KernelGateway.Platform.Metastore;

namespace KernelGateway.Platform.Tests.Metastore;

[Collection(MetastorePostgresCollection.Name)]
public sealed class PostgresProviderTests(MetastorePostgres pg)
{
    private PostgresMetastoreProvider Provider => new("pg", ct => pg.Client.OpenAsync("pg", ct));
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task A_postgres_database_gives_the_shape_every_provider_gives() =>
        await LogicalCatalog.AssertSameShapeAsync(Provider, "pg", "shop");

    [Fact]
    public async Task The_catalog_is_the_connections_database_and_system_schemas_are_left_out()
    {
        var catalog = Assert.Single(await Provider.ListCatalogsAsync(None));
        Assert.Equal("shop", catalog.Name);
        Assert.Equal("kgtest", catalog.Properties["owner"]);
        Assert.Equal("UTF8", catalog.Properties["encoding"]);
        var schemas = await Provider.ListSchemasAsync("shop", None);
        Assert.Equal(["Odd.Schema", "pgonly", "public", "sales"], schemas.Select(s => s.Name));
        Assert.Equal("What only PostgreSQL has", schemas.Single(s => s.Name == "pgonly").Comment);
        Assert.All(schemas, s => Assert.NotNull(s.Owner));
        Assert.Empty(await Provider.ListSchemasAsync("postgres", None));
    }

    [Fact]
    public async Task Tables_list_every_relation_kind_and_partitions_name_their_parent()
    {
        var tables = await Provider.ListTablesAsync("shop", "pgonly", None);
        Assert.Equal(
            [("events", MetastoreTableKind.PartitionedTable), ("events_2026_01", MetastoreTableKind.Table), ("events_2026_02", MetastoreTableKind.Table),
             ("imported", MetastoreTableKind.ForeignTable), ("order_totals", MetastoreTableKind.MaterializedView), ("tuned", MetastoreTableKind.Table)],
            tables.Select(t => (t.Name, t.Kind)));
        var events = MetastoreAddressOf("events");
        Assert.Equal([null, events, events, null, null, null], tables.Select(t => t.PartitionOf));
        Assert.Equal("Read from a CSV file", tables.Single(t => t.Name == "imported").Comment);
    }

    [Fact]
    public async Task A_partitioned_table_shows_its_key_its_partitions_and_the_totals_of_their_sizes_and_rows()
    {
        var events = await Provider.DescribeAsync("shop", "pgonly", "events", None);
        Assert.NotNull(events);
        Assert.Equal(MetastoreTableKind.PartitionedTable, events.Kind);
        Assert.Equal("RANGE (day)", events.PartitionSpec);
        Assert.Equal([false, true, false], events.Columns.Select(c => c.IsPartitionKey));
        Assert.Equal("The partition key", events.Columns[1].Comment);
        Assert.Equal([MetastoreAddressOf("events_2026_01"), MetastoreAddressOf("events_2026_02")], events.Partitions.Select(p => p.Address));
        Assert.Equal("FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')", events.Partitions[0].Bound);
        Assert.Equal(5000, events.RowCount);
        var january = await Provider.DescribeAsync("shop", "pgonly", "events_2026_01", None);
        var february = await Provider.DescribeAsync("shop", "pgonly", "events_2026_02", None);
        Assert.NotNull(january);
        Assert.NotNull(february);
        Assert.Equal(MetastoreAddressOf("events"), january.PartitionOf);
        Assert.True(january.SizeBytes > 0);
        Assert.Equal(january.SizeBytes + february.SizeBytes, events.SizeBytes);
        Assert.Equal(5000, january.RowCount + february.RowCount);
    }

    [Fact]
    public async Task A_table_carries_its_owner_access_method_storage_options_size_and_analyzed_row_count()
    {
        var orders = await Provider.DescribeAsync("shop", "sales", "orders", None);
        Assert.NotNull(orders);
        Assert.Equal("kgtest", orders.Owner);
        Assert.Equal("heap", orders.Format);
        Assert.Equal(3, orders.RowCount);
        Assert.True(orders.SizeBytes > 0);
        Assert.Equal(["bigint", "character varying(40)", "numeric(10,2)", "date", "character varying[]"], orders.Columns.Select(c => c.EngineType));
        var tuned = await Provider.DescribeAsync("shop", "pgonly", "tuned", None);
        Assert.Equal("70", tuned!.Properties["fillfactor"]);
    }

    [Fact]
    public async Task A_materialized_view_has_a_definition_a_size_and_rows()
    {
        var totals = await Provider.DescribeAsync("shop", "pgonly", "order_totals", None);
        Assert.NotNull(totals);
        Assert.Equal(MetastoreTableKind.MaterializedView, totals.Kind);
        Assert.Equal("Totals per customer", totals.Comment);
        Assert.Contains("sum(orders.amount)", totals.Definition);
        Assert.Equal(3, totals.RowCount);
        Assert.True(totals.SizeBytes > 0);
        Assert.Equal(["string", "number"], totals.Columns.Select(c => c.TableSchemaType));
    }

    [Fact]
    public async Task A_foreign_table_names_its_wrapper_server_and_options()
    {
        var imported = await Provider.DescribeAsync("shop", "pgonly", "imported", None);
        Assert.NotNull(imported);
        Assert.Equal(MetastoreTableKind.ForeignTable, imported.Kind);
        Assert.Equal("file_fdw", imported.Format);
        Assert.Equal("files", imported.Properties["server"]);
        Assert.Equal("/nonexistent/imported.csv", imported.Properties["filename"]);
        Assert.Equal("csv", imported.Properties["format"]);
        Assert.Null(imported.SizeBytes);
    }

    [Fact]
    public async Task Names_are_bound_as_parameters_not_spliced_into_sql()
    {
        var evil = "x' OR '1'='1";
        Assert.Empty(await Provider.ListSchemasAsync(evil, None));
        Assert.Empty(await Provider.ListTablesAsync("shop", evil, None));
        Assert.Null(await Provider.DescribeAsync("shop", "sales", evil, None));
    }

    private static MetastoreAddress MetastoreAddressOf(string table) => new("pg", "shop", "pgonly", table);
}
