using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using KernelGateway.Platform.Iceberg;
using KernelGateway.Platform.Metastore;
using KernelGateway.Tests.Fixtures.Iceberg;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>The Iceberg REST catalog provider against the catalog fixture.</summary>
public sealed class IcebergProviderTests(IcebergCatalogFixture iceberg) : IClassFixture<IcebergCatalogFixture>
{
    private static CancellationToken None => CancellationToken.None;

    private static IcebergMetastoreProvider ProviderOf(string connectionString, string connection = "ice")
    {
        var client = new IcebergRestClient(IcebergOptions.Parse(connectionString));
        return new IcebergMetastoreProvider(connection, () => client);
    }

    [Fact]
    public async Task An_iceberg_catalog_gives_the_shape_every_provider_gives() =>
        await LogicalCatalog.AssertSameShapeAsync(iceberg.Provider("ice"), "ice", "lake", searchesColumns: false);

    [Fact]
    public async Task Namespaces_at_every_level_are_schemas_with_their_comments_and_owners_under_the_prefix_of_the_config()
    {
        var before = iceberg.Server.Calls.Count;
        var provider = iceberg.Provider("ice");
        var catalog = Assert.Single(await provider.ListCatalogsAsync(None));
        Assert.Equal(("lake", true), (catalog.Name, catalog.IsDefault));
        var schemas = await provider.ListSchemasAsync("lake", None);
        Assert.Equal(["Odd.Schema", "lake", "lake.raw", "sales"], schemas.Select(s => s.Name));
        Assert.Equal(("Sales data", "ann"), (schemas[3].Comment, schemas[3].Owner));
        Assert.Equal(("landing zone", null), (schemas[2].Comment, schemas[2].Owner));
        Assert.Equal(["events"], (await provider.ListTablesAsync("lake", "lake.raw", None)).Select(t => t.Name));
        Assert.Empty(await provider.ListSchemasAsync("other", None));

        var calls = iceberg.Server.Calls.Skip(before).ToList();
        // /v1/config first, for the warehouse; then the prefix of its overrides (not the decoy of its defaults), %1F between levels
        Assert.Equal(("/catalog/v1/config", "?warehouse=lake"), (calls[0].Path, calls[0].Query));
        Assert.All(calls.Skip(1), c => Assert.StartsWith("/catalog/v1/wh-7/namespaces", c.Path));
        Assert.Contains(calls, c => c.Path == "/catalog/v1/wh-7/namespaces" && c.Query == "?parent=lake&pageToken=");
        Assert.Contains(calls, c => c.Path == "/catalog/v1/wh-7/namespaces/lake%1Fraw");
        Assert.Contains(calls, c => c.Path == "/catalog/v1/wh-7/namespaces/lake%1Fraw/tables");
        Assert.All(calls, c => Assert.Equal((IcebergAuth.StaticToken, 200), (c.Auth, c.Status)));
        Assert.All(calls, c => Assert.Null(c.Header("X-Iceberg-Access-Delegation")));
    }

    [Fact]
    public async Task A_table_describes_with_partition_spec_snapshots_counts_location_and_format_from_its_real_files()
    {
        var events = await iceberg.Provider("ice").DescribeAsync("lake", "lake.raw", "events", None);
        Assert.NotNull(events);
        Assert.Equal(["id", "ts", "kind", "tags", "device"], events.Columns.Select(c => c.Name));
        Assert.Equal(["long", "timestamptz", "string", "map<string, int>", "struct<os: string, version: decimal(4,1)>"], events.Columns.Select(c => c.EngineType));
        Assert.Equal(["integer", "datetime", "string", "object", "object"], events.Columns.Select(c => c.TableSchemaType));
        Assert.Equal([false, true, true, true, true], events.Columns.Select(c => c.Nullable));
        Assert.Equal([null, null, null, null, "where it happened"], events.Columns.Select(c => c.Comment));
        Assert.Equal([true, true, false, false, false], events.Columns.Select(c => c.IsPartitionKey));
        Assert.Equal("day(ts), bucket[16](id)", events.PartitionSpec);
        Assert.Equal(("etl", "parquet", MetastoreTableKind.Table), (events.Owner, events.Format, events.Kind));
        Assert.Equal(new Uri(Path.Combine(iceberg.Server.Root, "lake", "raw", "events")).AbsoluteUri, events.Location);

        // Row count and size are the current snapshot's; check them against the Parquet files themselves.
        var files = Directory.GetFiles(Path.Combine(iceberg.Server.Root, "lake", "raw", "events", "data"), "*.parquet");
        Assert.Equal(2, files.Length);
        Assert.Equal(files.Sum(f => new FileInfo(f).Length), events.SizeBytes);
        using (var db = new DuckDBConnection("DataSource=:memory:"))
        {
            db.Open();
            using var count = db.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM read_parquet('{Path.Combine(iceberg.Server.Root, "lake", "raw", "events", "data")}/*.parquet')";
            Assert.Equal(Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture), events.RowCount);
        }
        Assert.Equal(1500, events.RowCount);

        Assert.Equal([IcebergCatalogFixture.FirstAppend, IcebergCatalogFixture.SecondAppend], events.Snapshots.Select(s => s.Timestamp));
        Assert.All(events.Snapshots, s => Assert.Equal("append", s.Operation));
        Assert.All(events.Snapshots, s => Assert.False(s.Summary.ContainsKey("operation")));
        Assert.Equal(["1000", "500"], events.Snapshots.Select(s => s.Summary["added-records"]));
        Assert.Equal(["1000", "1500"], events.Snapshots.Select(s => s.Summary["total-records"]));
        Assert.Equal("duckdb", events.Snapshots[0].Summary["engine-name"]);
        Assert.Equal(events.Snapshots[1].Id.ToString(CultureInfo.InvariantCulture), events.Properties["current-snapshot-id"]);
        Assert.Equal(("2", "etl"), (events.Properties["format-version"], events.Properties["owner"]));

        // metadata-location names the metadata file the catalog wrote, with the same snapshots
        var written = JsonDocument.Parse(File.ReadAllText(new Uri(events.Properties["metadata-location"]).LocalPath)).RootElement;
        Assert.Equal(written.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("snapshot-id").GetInt64()), events.Snapshots.Select(s => s.Id));
    }

    [Fact]
    public async Task A_view_describes_with_the_sql_of_its_current_version_its_schema_and_comment()
    {
        var view = await iceberg.Provider("ice").DescribeAsync("lake", "sales", "big_orders", None);
        Assert.NotNull(view);
        Assert.Equal((MetastoreTableKind.View, "Orders over 5 euros"), (view.Kind, view.Comment));
        Assert.Equal("SELECT order_id, amount FROM sales.orders WHERE amount > 5", view.Definition);
        Assert.Equal(["long", "decimal(10,2)"], view.Columns.Select(c => c.EngineType));
        Assert.Equal("spark", view.Properties["dialect"]);
        Assert.True(File.Exists(new Uri(view.Properties["metadata-location"]).LocalPath));
        Assert.Empty(view.Snapshots);
        Assert.Null(view.RowCount);
    }

    [Fact]
    public async Task Snapshots_of_every_operation_count_the_files_each_one_left()
    {
        await using var server = await IcebergRestServer.StartAsync();
        server.CreateNamespace(["ops"]);
        server.CreateTable(["ops"], "t", [new("v", "long")]);
        var provider = ProviderOf(IcebergCatalogFixture.ConnectionStringOf(server));
        async Task<MetastoreTable> Describe() => (await provider.DescribeAsync("lake", "ops", "t", None))!;

        Assert.Equal((null, null), ((await Describe()).RowCount, (await Describe()).SizeBytes));
        server.AppendSnapshot(["ops"], "t", "append", "SELECT range AS v FROM range(100)");
        server.AppendSnapshot(["ops"], "t", "append", "SELECT range AS v FROM range(50)");
        Assert.Equal(150, (await Describe()).RowCount);
        server.AppendSnapshot(["ops"], "t", "overwrite", "SELECT range AS v FROM range(10)");
        var overwritten = await Describe();
        Assert.Equal(10, overwritten.RowCount);
        Assert.Equal(("150", "2", "10"), (overwritten.Snapshots[^1].Summary["deleted-records"], overwritten.Snapshots[^1].Summary["deleted-data-files"], overwritten.Snapshots[^1].Summary["added-records"]));
        server.AppendSnapshot(["ops"], "t", "replace");
        var replaced = await Describe();
        Assert.Equal(10, replaced.RowCount);
        var newest = new DirectoryInfo(Path.Combine(server.Root, "ops", "t", "data")).GetFiles().MaxBy(f => f.LastWriteTimeUtc)!;
        Assert.Equal(newest.Length, replaced.SizeBytes);
        server.AppendSnapshot(["ops"], "t", "delete");
        var emptied = await Describe();
        Assert.Equal((0L, 0L), (emptied.RowCount, emptied.SizeBytes));
        Assert.Equal(["append", "append", "overwrite", "replace", "delete"], emptied.Snapshots.Select(s => s.Operation));
        Assert.Throws<ArgumentException>(() => server.AppendSnapshot(["ops"], "t", "append", "SELECT 1 AS v", new Dictionary<string, string> { ["total-records"] = "99" }));
    }

    [Fact]
    public async Task Paging_is_asked_for_and_followed_page_size_2_over_5_namespaces_and_their_tables()
    {
        await using var server = await IcebergRestServer.StartAsync(new IcebergServerOptions { PageSize = 2, Prefix = "p/q", Warehouse = "wh", PrefixInDefaults = true });
        foreach (var n in new[] { "a", "b", "c", "d", "e" }) server.CreateNamespace([n]);
        server.CreateNamespace(["c", "x"]);
        server.CreateNamespace(["c", "x", "deep"]);
        foreach (var t in new[] { "t1", "t2", "t3", "t4", "t5" }) server.CreateTable(["c", "x", "deep"], t, [new("v", "int")]);
        var provider = ProviderOf($"{server.BaseUri};Warehouse=wh");

        Assert.Equal(["a", "b", "c", "c.x", "c.x.deep", "d", "e"], (await provider.ListSchemasAsync("wh", None)).Select(s => s.Name));
        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], (await provider.ListTablesAsync("wh", "c.x.deep", None)).Select(t => t.Name));
        var top = server.Calls.Where(c => c.Path == "/catalog/v1/p/q/namespaces" && !c.Query.Contains("parent", StringComparison.Ordinal)).Select(c => c.Query).ToList();
        Assert.Equal(["?pageToken=", "?pageToken=2", "?pageToken=4"], top);
        Assert.Contains(server.Calls, c => c.Query == "?parent=c%1Fx&pageToken=");
        Assert.Equal(["?pageToken=", "?pageToken=2", "?pageToken=4"], server.Calls.Where(c => c.Path == "/catalog/v1/p/q/namespaces/c%1Fx%1Fdeep/tables").Select(c => c.Query));

        // The client's own pageSize, against a server that would give 100 a page
        await using var roomy = await IcebergRestServer.StartAsync();
        foreach (var n in new[] { "a", "b", "c", "d", "e" }) roomy.CreateNamespace([n]);
        var small = ProviderOf($"{roomy.BaseUri};Warehouse=lake;PageSize=2");
        Assert.Equal(["a", "b", "c", "d", "e"], (await small.ListSchemasAsync("lake", None)).Select(s => s.Name));
        Assert.Equal(["?pageToken=&pageSize=2", "?pageToken=2&pageSize=2", "?pageToken=4&pageSize=2"],
            roomy.Calls.Where(c => c.Path == "/catalog/v1/wh-7/namespaces" && !c.Query.Contains("parent", StringComparison.Ordinal)).Select(c => c.Query));
    }

    [Fact]
    public async Task A_catalog_that_announces_no_views_is_not_asked_for_them()
    {
        await using var server = await IcebergRestServer.StartAsync(new IcebergServerOptions { ServeViews = false });
        server.CreateNamespace(["sales"]);
        server.CreateTable(["sales"], "orders", [new("id", "long")], properties: new Dictionary<string, string> { ["comment"] = "c" });
        var provider = ProviderOf(IcebergCatalogFixture.ConnectionStringOf(server));
        Assert.Equal([("orders", MetastoreTableKind.Table, "c")], (await provider.ListTablesAsync("lake", "sales", None)).Select(t => (t.Name, t.Kind, t.Comment)));
        Assert.Null(await provider.DescribeAsync("lake", "sales", "no_such_view", None));
        Assert.DoesNotContain(server.Calls, c => c.Path.Contains("/views", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_lists_namespaces_then_tables_loading_comments_only_for_the_names_within_the_limit()
    {
        await using var server = await IcebergRestServer.StartAsync();
        server.CreateNamespace(["big"], new Dictionary<string, string> { ["comment"] = "many tables" });
        for (var i = 0; i < 30; i++) server.CreateTable(["big"], $"t{i:D2}", [new("v", "int")], properties: new Dictionary<string, string> { ["comment"] = $"table {i}" });
        var provider = ProviderOf(IcebergCatalogFixture.ConnectionStringOf(server));

        var names = await provider.ListNamesAsync(5, None);
        Assert.True(names.Truncated);
        Assert.Equal(["ice.lake.big", "ice.lake.big.t00", "ice.lake.big.t01", "ice.lake.big.t02", "ice.lake.big.t03"], names.Entries.Select(n => n.Address.ToString()));
        Assert.Equal(["many tables", "table 0", "table 1", "table 2", "table 3"], names.Entries.Select(n => n.Comment));
        Assert.Equal(5, server.Calls.Count(c => c.Path.Contains("/tables/", StringComparison.Ordinal))); // the four shown and the one that says there are more
        Assert.DoesNotContain(names.Entries, n => n.Address.Level == MetastoreLevel.Column);
    }

    [Fact]
    public async Task Dropped_namespaces_and_tables_describe_as_null_and_list_empty()
    {
        var provider = iceberg.Provider("ice");
        Assert.Null(await provider.DescribeAsync("lake", "no_such_namespace", "orders", None));
        Assert.Null(await provider.DescribeAsync("lake", "sales", "orders ", None));
        Assert.Null(await provider.DescribeAsync("elsewhere", "sales", "orders", None));
        Assert.Empty(await provider.ListTablesAsync("lake", "lake.raw.nothing", None));
    }
}
