using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// What <c>system.metadata</c> says, for servers the fixture is not: one with a materialized view (its row is a real
/// result from the fixture, shaped as Trino's <c>materialized_views</c>) and without <c>table_comments</c> (refused).
/// </summary>
public sealed class TrinoTableFactsTests(TrinoCatalogFixture trino) : IClassFixture<TrinoCatalogFixture>
{
    [Fact]
    public async Task A_materialized_view_is_known_by_its_row_and_a_refused_comments_table_leaves_comments_out()
    {
        using var client = trino.NewClient();
        var views = await client.QueryAsync("""
            SELECT 'memory' AS catalog_name, 'sales' AS schema_name, 'order_totals' AS name, 'iceberg' AS storage_catalog,
                   'sales' AS storage_schema, 'st_0a1b' AS storage_table, 'FRESH' AS freshness, 'ann' AS owner,
                   'Totals per customer' AS comment, 'SELECT customer, sum(amount) FROM orders GROUP BY 1' AS definition
            """);
        var asked = new List<string>();
        OptionalTrinoQuery server = (sql, _) =>
        {
            asked.Add(sql);
            return Task.FromResult(sql.Contains("materialized_views", StringComparison.Ordinal) ? views : null);
        };

        var facts = await TrinoTableFacts.LoadAsync(server, "memory", "sales", CancellationToken.None);
        Assert.Equal(MetastoreTableKind.MaterializedView, facts.Kind("sales", "order_totals", "BASE TABLE"));
        Assert.Equal("Totals per customer", facts.Comment("sales", "order_totals"));
        Assert.Equal("SELECT customer, sum(amount) FROM orders GROUP BY 1", facts.Definition("sales", "order_totals"));
        Assert.Equal(new Dictionary<string, string> { ["storage_catalog"] = "iceberg", ["storage_schema"] = "sales", ["storage_table"] = "st_0a1b", ["freshness"] = "FRESH", ["owner"] = "ann" },
            facts.Properties("sales", "order_totals"));
        Assert.Equal((MetastoreTableKind.Table, MetastoreTableKind.View, MetastoreTableKind.Other), (facts.Kind("sales", "orders", "BASE TABLE"), facts.Kind("sales", "v", "VIEW"), facts.Kind("sales", "x", "SYSTEM TABLE")));
        Assert.Null(facts.Comment("sales", "orders"));
        Assert.Empty(facts.Properties("sales", "orders"));
        Assert.All(asked, sql => Assert.Contains("catalog_name = 'memory' AND schema_name = 'sales'", sql));
    }
}
