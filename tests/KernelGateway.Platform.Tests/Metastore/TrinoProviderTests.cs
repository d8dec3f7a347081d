using KernelGateway.Platform.Metastore;

namespace KernelGateway.Platform.Tests.Metastore;

public sealed class TrinoProviderTests(TrinoCatalogFixture trino) : IClassFixture<TrinoCatalogFixture>
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task A_trino_catalog_gives_the_shape_every_provider_gives() =>
        await LogicalCatalog.AssertSameShapeAsync(trino.Provider("tr"), "tr", "memory");

    [Fact]
    public async Task Catalogs_come_from_show_catalogs_with_the_session_catalog_as_the_default()
    {
        var catalogs = await trino.Provider("tr").ListCatalogsAsync(None);
        Assert.Equal(["memory", "system", "tpch"], catalogs.Select(c => c.Name));
        Assert.Equal([true, false, false], catalogs.Select(c => c.IsDefault));
        Assert.Equal(["Odd.Schema", "default", "sales"], (await trino.Provider("tr").ListSchemasAsync("memory", None)).Select(s => s.Name));
        Assert.Equal(["tiny"], (await trino.Provider("tr").ListSchemasAsync("tpch", None)).Select(s => s.Name));
        Assert.Empty(await trino.Provider("tr").ListSchemasAsync("nosuch", None));
    }

    [Fact]
    public async Task Describe_gives_trino_types_nullability_comments_positions_and_the_ddl()
    {
        var orders = await trino.Provider("tr").DescribeAsync("memory", "sales", "orders", None);
        Assert.NotNull(orders);
        Assert.Equal(["bigint", "varchar", "decimal(10,2)", "date", "array(varchar)"], orders.Columns.Select(c => c.EngineType));
        Assert.Equal(["integer", "string", "number", "date", "array"], orders.Columns.Select(c => c.TableSchemaType));
        Assert.Equal("""
            CREATE TABLE memory.sales.orders (
               order_id bigint NOT NULL,
               customer varchar,
               amount decimal(10,2) COMMENT 'Order total in euros',
               ordered_on date,
               labels array(varchar)
            )
            COMMENT 'One row per order'
            """, orders.Definition);
        Assert.Null(orders.Format);
        Assert.Null(orders.PartitionSpec);

        var odd = await trino.Provider("tr").DescribeAsync("memory", "default", TrinoCatalogFixture.QuoteTable, None);
        Assert.NotNull(odd);
        Assert.Equal(["Ünï Côl", "note"], odd.Columns.Select(c => c.Name));
        Assert.Equal([false, true], odd.Columns.Select(c => c.Nullable));
        Assert.Equal(["integer", "varchar"], odd.Columns.Select(c => c.EngineType));
    }

    [Fact]
    public async Task A_presto_connection_gives_the_same_shape()
    {
        var presto = new PrestoCatalogFixture();
        await ((IAsyncLifetime)presto).InitializeAsync();
        try
        {
            await LogicalCatalog.AssertSameShapeAsync(presto.Provider("pr"), "pr", "memory");
        }
        finally
        {
            await ((IAsyncLifetime)presto).DisposeAsync();
        }
    }
}
