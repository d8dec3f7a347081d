using System.Text.Json;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Warehouse;
using KernelGateway.Tests.Fixtures.Spark.Connect;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// The Spark provider over Spark Connect's Catalog relations, against the protocol fixture (behind a bearer token),
/// and federated through <see cref="MetastoreClient"/> beside the embedded warehouse.
/// </summary>
public sealed class SparkProviderTests(SparkCatalogFixture spark, DuckDbCatalogFixture duck) : IClassFixture<SparkCatalogFixture>, IClassFixture<DuckDbCatalogFixture>
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task A_spark_catalog_gives_the_shape_every_provider_gives() =>
        await LogicalCatalog.AssertSameShapeAsync(spark.Provider("sp"), "sp", "spark_catalog", searchesColumns: false);

    [Fact]
    public async Task Catalogs_come_from_list_catalogs_with_the_current_one_as_the_default_and_other_catalogs_list_their_namespaces()
    {
        var provider = spark.Provider("sp");
        var catalogs = await provider.ListCatalogsAsync(None);
        Assert.Equal(["lake", "spark_catalog"], catalogs.Select(c => c.Name));
        Assert.Equal([false, true], catalogs.Select(c => c.IsDefault));
        Assert.Equal(["Odd.Schema", "default", "sales"], (await provider.ListSchemasAsync("spark_catalog", None)).Select(s => s.Name));
        Assert.Equal(["raw"], (await provider.ListSchemasAsync("lake", None)).Select(s => s.Name));
        Assert.Empty(await provider.ListSchemasAsync("nosuch", None));

        var events = Assert.Single(await provider.ListTablesAsync("lake", "raw", None));
        Assert.Equal((new MetastoreAddress("sp", "lake", "raw", "events"), MetastoreTableKind.Table, "raw events"), (events.Address, events.Kind, events.Comment));
        var described = await provider.DescribeAsync("lake", "raw", "events", None);
        Assert.NotNull(described);
        Assert.Equal(["bigint", "string"], described.Columns.Select(c => c.EngineType));
    }

    [Fact]
    public async Task Describe_gives_spark_types_nullability_comments_and_what_describe_extended_says()
    {
        var orders = await spark.Provider("sp").DescribeAsync("spark_catalog", "sales", "orders", None);
        Assert.NotNull(orders);
        Assert.Equal(["bigint", "string", "decimal(10,2)", "date", "array<string>"], orders.Columns.Select(c => c.EngineType));
        Assert.Equal(["integer", "string", "number", "date", "array"], orders.Columns.Select(c => c.TableSchemaType));
        Assert.Null(orders.PartitionSpec);

        var view = await spark.Provider("sp").DescribeAsync("spark_catalog", "sales", "big_orders", None);
        Assert.NotNull(view);
        Assert.StartsWith("SELECT order_id, amount FROM", view.Definition);

        var odd = await spark.Provider("sp").DescribeAsync("spark_catalog", "default", SparkCatalogFixture.BacktickTable, None);
        Assert.NotNull(odd);
        Assert.Equal(["a`b"], odd.Columns.Select(c => c.Name));
        Assert.Equal(["int"], odd.Columns.Select(c => c.EngineType));
    }

    [Fact]
    public async Task A_spark_connection_federates_beside_the_embedded_warehouse_and_never_shows_its_token()
    {
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "sp", Kind = ConnectionKinds.Spark, ConnectionString = spark.ConnectionString });
        var metastore = new MetastoreClient(new WarehouseClient(registry, duck.Client.Embedded));
        var connections = await metastore.ListConnectionsAsync();
        Assert.True(connections.Items.Single(c => c.Name == "sp").Supported);

        var tables = await metastore.ListTablesAsync("sp.sales"); // the default catalog
        Assert.Equal(["sp.spark_catalog.sales.big_orders", "sp.spark_catalog.sales.orders"], tables.Select(t => t.Address.ToString()));
        var orders = await metastore.DescribeAsync("sp.sales.orders");
        Assert.Equal("Order total in euros", orders.Columns.Single(c => c.Name == "amount").Comment);

        var hits = await metastore.SearchAsync("orders");
        Assert.Empty(hits.Errors);
        Assert.Contains(hits.Items, h => h.Address.ToString() == "sp.spark_catalog.sales.orders" && h.Match == MetastoreMatch.ExactName);

        var odd = MetastoreAddress.Parse(new MetastoreAddress("sp", "spark_catalog", LogicalCatalog.OddSchema, LogicalCatalog.OddTable).ToString());
        var oddTable = await metastore.DescribeAsync(odd);
        Assert.Equal(["Mixed Case", "ünïcode"], oddTable.Columns.Select(c => c.Name));
        // the address's names, back-quoted, read the table through Spark SQL
        await using var client = new SparkConnectClient(spark.ConnectionString);
        var count = await client.QueryAsync<long>($"SELECT count(*) FROM {SparkNames.Quote("spark_catalog", LogicalCatalog.OddSchema, LogicalCatalog.OddTable)}");
        Assert.Equal([0L], count);

        foreach (var json in new[]
        {
            JsonSerializer.Serialize(await metastore.ListCatalogsAsync(), PlatformJsonContext.Default.MetastoreAnswerMetastoreCatalog),
            JsonSerializer.Serialize(hits, PlatformJsonContext.Default.MetastoreAnswerMetastoreSearchHit),
            JsonSerializer.Serialize(connections, PlatformJsonContext.Default.MetastoreAnswerMetastoreConnection),
            JsonSerializer.Serialize(orders, PlatformJsonContext.Default.MetastoreTable),
        })
        {
            Assert.DoesNotContain(spark.Token, json);
        }
    }

    [Fact]
    public async Task A_wrong_token_gives_an_error_entry_without_the_token_while_the_warehouse_answers()
    {
        var registry = new ConnectionRegistry();
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        registry.Add(new ConnectionSpec { Name = "sp", Kind = ConnectionKinds.Spark, ConnectionString = spark.ConnectionString.Replace(spark.Token, wrong) });
        var metastore = new MetastoreClient(new WarehouseClient(registry, duck.Client.Embedded));
        var catalogs = await metastore.ListCatalogsAsync();
        Assert.Contains(catalogs.Items, c => c.Address.ToString() == "warehouse.memory");
        var error = Assert.Single(catalogs.Errors);
        Assert.Equal("sp", error.Connection);
        Assert.DoesNotContain(wrong, error.Message);
    }

    [Fact]
    public async Task Disposing_the_metastore_releases_the_spark_session_its_lookups_used()
    {
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "sp", Kind = ConnectionKinds.Spark, ConnectionString = spark.ConnectionString });
        var metastore = new MetastoreClient(new WarehouseClient(registry, duck.Client.Embedded));
        Assert.NotEmpty(await metastore.ListTablesAsync("sp.sales"));
        var session = spark.Server.Executions.Last(e => e.PlanKind == "root.catalog").SessionId;
        Assert.DoesNotContain(session, spark.Server.ReleasedSessions);
        await metastore.DisposeAsync();
        await spark.Server.WaitForSessionReleaseAsync(session, new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
    }

    [Fact]
    public async Task The_lookups_are_catalog_relations_the_fixture_runs()
    {
        var before = spark.Server.Executions.Count;
        await spark.Provider("sp").ListTablesAsync("spark_catalog", "sales", None);
        Assert.Equal(["root.catalog"], spark.Server.Executions.Skip(before).Select(e => e.PlanKind).Distinct());
    }

    [Fact]
    public async Task The_npm_grpc_client_reads_the_same_catalog_relations_as_the_provider()
    {
        var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token;
        async Task<List<JsonElement>> Rows(string lookup)
        {
            var run = await NodeSparkClients.ExecuteAsync(spark.Server.Uri, new NodeSparkRequest("") { CatalogLookup = lookup, Token = spark.Token }, timeout);
            Assert.Null(run.Error);
            return run.Of("batch").SelectMany(b => b.GetProperty("rows").EnumerateArray()).ToList();
        }

        var orders = await spark.Provider("sp").DescribeAsync("spark_catalog", "sales", "orders", None);
        Assert.NotNull(orders);
        var columns = await Rows("""{"list_columns": {"table_name": "`spark_catalog`.`sales`.`orders`"}}""");
        Assert.Equal(orders.Columns.Select(c => (c.Name, c.EngineType, c.Nullable, c.Comment)),
            columns.Select(r => (r[0].GetString()!, r[2].GetString()!, r[3].GetBoolean(), r[1].GetString())));

        var tables = await Rows("""{"list_tables": {"db_name": "sales"}}""");
        Assert.Equal((await spark.Provider("sp").ListTablesAsync("spark_catalog", "sales", None)).Select(t => (t.Name, t.Comment)),
            tables.Select(r => (r[0].GetString()!, r[3].GetString())));
        Assert.Equal(["VIEW", "MANAGED"], tables.Select(r => r[4].GetString()));
        Assert.Equal([["sales"], ["sales"]], tables.Select(r => r[2].EnumerateArray().Select(n => n.GetString()).ToArray()));

        Assert.Equal(["spark_catalog"], (await Rows("""{"current_catalog": {}}""")).Select(r => r[0].GetString()));
        Assert.Equal(["lake", "spark_catalog"], (await Rows("""{"list_catalogs": {}}""")).Select(r => r[0].GetString()));

        var missing = await NodeSparkClients.ExecuteAsync(spark.Server.Uri,
            new NodeSparkRequest("") { CatalogLookup = """{"get_table": {"table_name": "sales.nosuch"}}""", Token = spark.Token }, timeout);
        Assert.Equal("TABLE_OR_VIEW_NOT_FOUND", missing.Error!.Value.GetProperty("metadata").GetProperty("errorClass").GetString());
    }
}
