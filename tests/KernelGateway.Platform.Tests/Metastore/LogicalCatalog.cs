using KernelGateway.Platform.Metastore;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// The same logical tables created in every engine, and the shape every provider must give them: a schema with a
/// commented table and a commented view, and a schema and table whose names need quoting.
/// </summary>
internal static class LogicalCatalog
{
    public const string OddSchema = "Odd.Schema";
    public const string OddTable = "My \"Quoted\" Table";

    public static readonly string[] Statements =
    [
        "CREATE SCHEMA sales",
        "CREATE TABLE sales.orders (order_id BIGINT NOT NULL, customer VARCHAR(40), amount DECIMAL(10,2), ordered_on DATE, labels VARCHAR[])",
        "COMMENT ON TABLE sales.orders IS 'One row per order'",
        "COMMENT ON COLUMN sales.orders.amount IS 'Order total in euros'",
        "INSERT INTO sales.orders (order_id, customer, amount, ordered_on) VALUES (1, 'ann', 10.50, DATE '2026-01-02'), (2, 'bob', 3.25, DATE '2026-01-03'), (3, 'cy', 7.00, DATE '2026-02-01')",
        "CREATE VIEW sales.big_orders AS SELECT order_id, amount FROM sales.orders WHERE amount > 5",
        "COMMENT ON VIEW sales.big_orders IS 'Orders over 5 euros'",
        "CREATE SCHEMA \"Odd.Schema\"",
        "CREATE TABLE \"Odd.Schema\".\"My \"\"Quoted\"\" Table\" (\"Mixed Case\" INTEGER, \"ünïcode\" VARCHAR)",
        "COMMENT ON TABLE \"Odd.Schema\".\"My \"\"Quoted\"\" Table\" IS 'needs quoting'",
    ];

    /// <summary>
    /// Checks what every provider must answer for these tables. <paramref name="searchesColumns"/> is false for a
    /// provider whose engine lists columns only table by table (Spark), whose search then leaves columns out.
    /// </summary>
    public static async Task AssertSameShapeAsync(IMetastoreProvider provider, string connection, string catalog, bool searchesColumns = true)
    {
        var ct = CancellationToken.None;
        var catalogs = await provider.ListCatalogsAsync(ct);
        var home = Assert.Single(catalogs, c => c.Name == catalog);
        Assert.True(home.IsDefault);
        Assert.Equal(new MetastoreAddress(connection, catalog), home.Address);

        var schemas = (await provider.ListSchemasAsync(catalog, ct)).Select(s => s.Name).ToList();
        Assert.Contains("sales", schemas);
        Assert.Contains(OddSchema, schemas);

        var tables = await provider.ListTablesAsync(catalog, "sales", ct);
        Assert.Equal(["big_orders", "orders"], tables.Select(t => t.Name));
        Assert.Equal([MetastoreTableKind.View, MetastoreTableKind.Table], tables.Select(t => t.Kind));
        Assert.Equal(["Orders over 5 euros", "One row per order"], tables.Select(t => t.Comment));
        Assert.Equal(new MetastoreAddress(connection, catalog, "sales", "orders"), tables[1].Address);

        var orders = await provider.DescribeAsync(catalog, "sales", "orders", ct);
        Assert.NotNull(orders);
        Assert.Equal(MetastoreTableKind.Table, orders.Kind);
        Assert.Equal("One row per order", orders.Comment);
        Assert.Equal(["order_id", "customer", "amount", "ordered_on", "labels"], orders.Columns.Select(c => c.Name));
        Assert.Equal([1, 2, 3, 4, 5], orders.Columns.Select(c => c.Position));
        Assert.Equal(["integer", "string", "number", "date", "array"], orders.Columns.Select(c => c.TableSchemaType));
        Assert.Equal([false, true, true, true, true], orders.Columns.Select(c => c.Nullable));
        Assert.Equal([null, null, "Order total in euros", null, null], orders.Columns.Select(c => c.Comment));
        Assert.All(orders.Columns, c => Assert.False(c.IsPartitionKey));
        Assert.Equal(new MetastoreAddress(connection, catalog, "sales", "orders", "amount"), orders.Columns[2].Address);
        Assert.Contains("10,2", orders.Columns[2].EngineType);
        Assert.Empty(orders.Snapshots);

        var view = await provider.DescribeAsync(catalog, "sales", "big_orders", ct);
        Assert.NotNull(view);
        Assert.Equal(MetastoreTableKind.View, view.Kind);
        Assert.Equal("Orders over 5 euros", view.Comment);
        Assert.Contains("amount >", view.Definition); // PostgreSQL writes it back as (orders.amount > (5)::numeric)
        Assert.Equal(["order_id", "amount"], view.Columns.Select(c => c.Name));

        var oddTables = await provider.ListTablesAsync(catalog, OddSchema, ct);
        var odd = Assert.Single(oddTables);
        Assert.Equal(OddTable, odd.Name);
        Assert.Equal(odd.Address, MetastoreAddress.Parse(odd.Address.ToString()));
        var oddTable = await provider.DescribeAsync(catalog, OddSchema, OddTable, ct);
        Assert.NotNull(oddTable);
        Assert.Equal("needs quoting", oddTable.Comment);
        Assert.Equal(["Mixed Case", "ünïcode"], oddTable.Columns.Select(c => c.Name));
        Assert.All(oddTable.Columns, c => Assert.Equal(c.Address, MetastoreAddress.Parse(c.Address.ToString())));

        Assert.Null(await provider.DescribeAsync(catalog, "sales", "no_such_table", ct));
        Assert.Null(await provider.DescribeAsync(catalog, "sales", "ORDERS", ct));
        Assert.Empty(await provider.ListTablesAsync(catalog, "no_such_schema", ct));

        var names = await provider.ListNamesAsync(1000, ct);
        Assert.False(names.Truncated);
        Assert.Contains(names.Entries, n => n.Address == new MetastoreAddress(connection, catalog, "sales") && n.Address.Level == MetastoreLevel.Schema);
        Assert.Contains(names.Entries, n => n.Address == orders.Address && n.TableKind == MetastoreTableKind.Table && n.Comment == "One row per order");
        if (searchesColumns) Assert.Contains(names.Entries, n => n.Address == orders.Columns[2].Address && n.Comment == "Order total in euros");
        else Assert.DoesNotContain(names.Entries, n => n.Address.Level == MetastoreLevel.Column);
        var cut = await provider.ListNamesAsync(2, ct);
        Assert.True(cut.Truncated);
        Assert.Equal(2, cut.Entries.Count);
    }
}
