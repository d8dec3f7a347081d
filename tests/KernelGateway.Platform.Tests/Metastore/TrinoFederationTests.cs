using System.Text.Json;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// A trino connection (the protocol fixture, behind a password) federated with a DuckDB file and the embedded
/// warehouse through <see cref="MetastoreClient"/>. The clock is fake: the per-engine timeout passes only when a test
/// moves it.
/// </summary>
public sealed class TrinoFederationTests(TrinoCatalogFixture trino, DuckDbCatalogFixture duck) : IClassFixture<TrinoCatalogFixture>, IClassFixture<DuckDbCatalogFixture>
{
    private readonly FakeTimeProvider _clock = new();

    private MetastoreClient Build()
    {
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "duck", Kind = ConnectionKinds.DuckDb, ConnectionString = $"DataSource={duck.DatabasePath}" });
        registry.Add(new ConnectionSpec { Name = "tr", Kind = ConnectionKinds.Trino, ConnectionString = trino.ConnectionString });
        return new MetastoreClient(new WarehouseClient(registry, duck.Client.Embedded), new MetastoreOptions { TimeProvider = _clock });
    }

    [Fact]
    public async Task Trino_catalogs_schemas_tables_and_columns_answer_beside_duckdb_without_the_password()
    {
        var metastore = Build();
        var catalogs = await metastore.ListCatalogsAsync();
        Assert.Empty(catalogs.Errors);
        Assert.Equal(["duck.shop", "tr.memory", "tr.system", "tr.tpch", "warehouse.memory"], catalogs.Items.Select(c => c.Address.ToString()).Order(StringComparer.Ordinal));
        Assert.True(catalogs.Items.Single(c => c.Address.ToString() == "tr.memory").IsDefault);

        var tables = await metastore.ListTablesAsync("tr.sales"); // the default catalog
        Assert.Equal(["tr.memory.sales.big_orders", "tr.memory.sales.orders"], tables.Select(t => t.Address.ToString()));
        Assert.Equal([(MetastoreTableKind.View, "Orders over 5 euros"), (MetastoreTableKind.Table, "One row per order")], tables.Select(t => (t.Kind, t.Comment)));
        Assert.Equal(["nation", "region"], (await metastore.ListTablesAsync("tr.tpch.tiny")).Select(t => t.Name));

        var nation = await metastore.DescribeAsync("tr.tpch.tiny.nation");
        Assert.Equal(["nationkey", "name", "regionkey", "comment"], nation.Columns.Select(c => c.Name));
        Assert.Equal([1, 2, 3, 4], nation.Columns.Select(c => c.Position));
        var amount = (await metastore.DescribeAsync("tr.sales.orders")).Columns.Single(c => c.Name == "amount");
        Assert.Equal(("decimal(10,2)", "number", true, "Order total in euros", 3), (amount.EngineType, amount.TableSchemaType, amount.Nullable, amount.Comment, amount.Position));

        var search = await metastore.SearchAsync("orders");
        Assert.Empty(search.Errors);
        Assert.Equal(["duck.shop.sales.orders", "tr.memory.sales.orders"], search.Items.Where(h => h.Match == MetastoreMatch.ExactName).Select(h => h.Address.ToString()));
        Assert.Equal(search.Items.OrderBy(h => h.Match).ThenBy(h => h.Level).Select(h => h.Address), search.Items.Select(h => h.Address));
        Assert.Contains(search.Items, h => h.Address.ToString() == "tr.memory.sales.big_orders" && h is { Match: MetastoreMatch.NameSubstring, TableKind: MetastoreTableKind.View });
        var euros = await metastore.SearchAsync("in euros");
        Assert.Equal(["duck.shop.sales.orders.amount", "tr.memory.sales.orders.amount"], euros.Items.Select(h => h.Address.ToString()));

        foreach (var json in new[]
        {
            JsonSerializer.Serialize(catalogs, PlatformJsonContext.Default.MetastoreAnswerMetastoreCatalog),
            JsonSerializer.Serialize(search, PlatformJsonContext.Default.MetastoreAnswerMetastoreSearchHit),
            JsonSerializer.Serialize(await metastore.ListConnectionsAsync(), PlatformJsonContext.Default.MetastoreAnswerMetastoreConnection),
            JsonSerializer.Serialize(await metastore.DescribeAsync("tr.sales.orders"), PlatformJsonContext.Default.MetastoreTable),
        })
        {
            Assert.DoesNotContain(trino.Secret, json);
        }
    }

    [Fact]
    public async Task Odd_names_go_from_a_search_hit_to_a_description_to_a_select_through_the_trino_client()
    {
        var metastore = Build();
        var hit = Assert.Single((await metastore.SearchAsync("'s ñ")).Items);
        var address = MetastoreAddress.Parse(hit.Address.ToString());
        Assert.Equal(new MetastoreAddress("tr", "memory", "default", TrinoCatalogFixture.QuoteTable), address);
        var table = await metastore.DescribeAsync(address);
        Assert.Equal(["Ünï Côl", "note"], table.Columns.Select(c => c.Name));

        var odd = await metastore.DescribeAsync(MetastoreAddress.Parse(new MetastoreAddress("tr", "memory", LogicalCatalog.OddSchema, LogicalCatalog.OddTable).ToString()));
        Assert.Equal(["Mixed Case", "ünïcode"], odd.Columns.Select(c => c.Name));
        Assert.Equal("needs quoting", odd.Comment);

        static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
        using var client = trino.NewClient();
        var rows = await client.QueryAsync($"SELECT {Quoted(table.Columns[0].Name)}, {Quoted(table.Columns[1].Name)} FROM {Quoted(address.Catalog!)}.{Quoted(address.Schema!)}.{Quoted(address.Table!)}");
        Assert.Equal([7, "seven"], Assert.Single(rows.Rows));
    }

    [Fact]
    public async Task A_trino_503_storm_times_out_into_an_error_entry_while_duckdb_answers()
    {
        var metastore = Build();
        trino.Server.Faults.FailNextGets(1_000_000, 503);
        try
        {
            var pending = metastore.ListCatalogsAsync();
            // The same lookups, shared while they run: DuckDB's answer comes while the clock stands still, Trino's does not.
            Assert.NotEmpty((await metastore.ListCatalogsAsync("duck")).Items);
            Assert.NotEmpty((await metastore.ListCatalogsAsync("warehouse")).Items);
            while (trino.Server.Faults.ConsumedGetFailures == 0) await Task.Delay(10).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.False(pending.IsCompleted);
            _clock.Advance(metastore.Options.ProviderTimeout);
            var answer = await pending.WaitAsync(TimeSpan.FromMinutes(2)); // a guard against a hang, not a timing check

            Assert.Equal(["duck.shop", "warehouse.memory"], answer.Items.Select(c => c.Address.ToString()).Order(StringComparer.Ordinal));
            var error = Assert.Single(answer.Errors);
            Assert.Equal(("tr", MetastoreErrorKind.TimedOut), (error.Connection, error.Kind));
            Assert.DoesNotContain(trino.Secret, JsonSerializer.Serialize(answer, PlatformJsonContext.Default.MetastoreAnswerMetastoreCatalog));
        }
        finally
        {
            trino.Server.Faults.FailNextGets(0);
        }
        Assert.Contains("tr.memory", (await Build().ListCatalogsAsync()).Items.Select(c => c.Address.ToString()));
    }
}
