using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;
using KernelGateway.Tests.Fixtures.Iceberg;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>Names with dots, quotes, spaces, URL characters and non-ASCII letters, from the catalog through metastore addresses and back.</summary>
public sealed class IcebergNameTests
{
    private static readonly string[] DottedLevel = ["Odd.Schema"];
    private static readonly string[] NestedUnderDot = ["Odd.Schema", "sub level"];
    private static readonly string[] Quoted = ["ünï \"q\""];

    private static readonly (string[] Namespace, string Schema, string Table)[] Tables =
    [
        (DottedLevel, "Odd.Schema", "My \"Quoted\" Table"),
        (DottedLevel, "Odd.Schema", "naïve.dots.v2"),
        (NestedUnderDot, "Odd.Schema.sub level", "50% off/#1?"),
        (Quoted, "ünï \"q\"", "Ω table"),
    ];

    private static readonly IcebergColumn[] Columns = [new("Mixed Case", "int"), new("ünïcode", "string"), new("a.b", "long"), new("quote\"d", "date")];

    [Fact]
    public async Task Odd_names_round_trip_from_listing_to_address_text_to_description_and_search()
    {
        await using var server = await IcebergRestServer.StartAsync();
        foreach (var ns in new[] { DottedLevel, NestedUnderDot, Quoted }) server.CreateNamespace(ns);
        foreach (var (ns, _, table) in Tables) server.CreateTable(ns, table, Columns, properties: new Dictionary<string, string> { ["comment"] = "odd " + table });
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "ice", Kind = ConnectionKinds.Iceberg, ConnectionString = IcebergCatalogFixture.ConnectionStringOf(server) });
        var home = Path.Combine(server.Root, "kg"); // deleted with the server
        await using var metastore = new MetastoreClient(new WarehouseClient(registry, new EmbeddedWarehouse(home, sessionRows: 1000)));

        var schemas = await metastore.ListSchemasAsync("ice.lake");
        Assert.Equal(["Odd.Schema", "Odd.Schema.sub level", "ünï \"q\""], schemas.Select(s => s.Name));
        foreach (var (_, schema, table) in Tables)
        {
            var listed = Assert.Single(await metastore.ListTablesAsync(new MetastoreAddress("ice", "lake", schema)), t => t.Name == table);
            var text = listed.Address.ToString();
            Assert.Equal(listed.Address, MetastoreAddress.Parse(text));
            var described = await metastore.DescribeAsync(text);
            Assert.Equal(("odd " + table, listed.Address), (described.Comment, described.Address));
            Assert.Equal(Columns.Select(c => c.Name), described.Columns.Select(c => c.Name));
            Assert.All(described.Columns, c => Assert.Equal(c.Address, MetastoreAddress.Parse(c.Address.ToString())));
        }
        Assert.Equal("ice.lake.\"Odd.Schema.sub level\".\"50% off/#1?\"", new MetastoreAddress("ice", "lake", "Odd.Schema.sub level", "50% off/#1?").ToString());

        var hit = Assert.Single((await metastore.SearchAsync("Ω")).Items);
        Assert.Equal((await metastore.DescribeAsync(MetastoreAddress.Parse(hit.Address.ToString()))).Address, hit.Address);

        // Each level escaped on its own, levels joined by %1F, the table name escaped whole
        Assert.Contains(server.Calls, c => c.Path == "/catalog/v1/wh-7/namespaces/Odd.Schema%1Fsub%20level/tables/50%25%20off%2F%231%3F" && c.Status == 200);
        Assert.Contains(server.Calls, c => c.Path == "/catalog/v1/wh-7/namespaces/%C3%BCn%C3%AF%20%22q%22/tables/%CE%A9%20table" && c.Status == 200);
    }
}
