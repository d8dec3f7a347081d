using KernelGateway.Platform.Iceberg;
using KernelGateway.Platform.Metastore;
using KernelGateway.Tests.Fixtures.Iceberg;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// An Iceberg REST catalog (the fixture, behind a bearer token, warehouse <c>lake</c>) holding
/// <see cref="LogicalCatalog"/> as Iceberg tables and a view (the orders table without snapshots), and a partitioned
/// table <c>lake.raw.events</c> in a nested namespace with two appends of real Parquet data.
/// </summary>
public sealed class IcebergCatalogFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset FirstAppend = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset SecondAppend = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    public IcebergRestServer Server { get; private set; } = null!;

    /// <summary>The bearer token the catalog requires; no answer may ever show it.</summary>
    public string Token { get; } = "ict-" + Guid.NewGuid().ToString("N");

    /// <summary>The connection string of the catalog with <see cref="Token"/>.</summary>
    public string ConnectionString => ConnectionStringOf(Server, $"Token={Token}");

    /// <summary><c>http://127.0.0.1:port/catalog/;Warehouse=lake;{auth};AllowInsecure=true</c> (plain HTTP on the loopback).</summary>
    public static string ConnectionStringOf(IcebergRestServer server, string? auth = null, string warehouse = "lake") =>
        $"{server.BaseUri};Warehouse={warehouse}" + (auth is null ? "" : $";{auth};AllowInsecure=true");

    internal IcebergMetastoreProvider Provider(string connection)
    {
        var client = new IcebergRestClient(IcebergOptions.Parse(ConnectionString));
        return new IcebergMetastoreProvider(connection, () => client);
    }

    public async Task InitializeAsync()
    {
        Server = await IcebergRestServer.StartAsync(new IcebergServerOptions { RequiredToken = Token });
        Seed(Server);
    }

    /// <summary>Seeds a catalog with the logical tables and the events table.</summary>
    public static void Seed(IcebergRestServer server)
    {
        server.CreateNamespace(["sales"], new Dictionary<string, string> { ["comment"] = "Sales data", ["owner"] = "ann" });
        server.CreateTable(["sales"], "orders",
            [new("order_id", "long", Required: true), new("customer", "string"), new("amount", "decimal(10,2)", Doc: "Order total in euros"),
             new("ordered_on", "date"), new("labels", "list<string>")],
            properties: new Dictionary<string, string> { ["comment"] = "One row per order" });
        server.CreateView(["sales"], "big_orders", [new("order_id", "long"), new("amount", "decimal(10,2)")],
            "SELECT order_id, amount FROM sales.orders WHERE amount > 5", new Dictionary<string, string> { ["comment"] = "Orders over 5 euros" });
        server.CreateNamespace([LogicalCatalog.OddSchema]);
        server.CreateTable([LogicalCatalog.OddSchema], LogicalCatalog.OddTable, [new("Mixed Case", "int"), new("ünïcode", "string")],
            properties: new Dictionary<string, string> { ["comment"] = "needs quoting" });
        server.CreateNamespace(["lake"]);
        server.CreateNamespace(["lake", "raw"], new Dictionary<string, string> { ["comment"] = "landing zone" });
        server.CreateTable(["lake", "raw"], "events",
            [new("id", "long", Required: true), new("ts", "timestamptz"), new("kind", "string"), new("tags", "map<string, int>"),
             new("device", "struct<os: string, version: decimal(4,1)>", Doc: "where it happened")],
            [new("ts", "day"), new("id", "bucket[16]")], new Dictionary<string, string> { ["owner"] = "etl", ["write.format.default"] = "parquet" });
        server.AppendSnapshot(["lake", "raw"], "events", "append",
            "SELECT range AS id, TIMESTAMPTZ '2026-11-30 00:00:00+00' AS ts, 'click' AS kind FROM range(1000)",
            new Dictionary<string, string> { ["engine-name"] = "duckdb" }, FirstAppend);
        server.AppendSnapshot(["lake", "raw"], "events", "append",
            "SELECT range AS id, TIMESTAMPTZ '2026-12-01 00:00:00+00' AS ts, 'view' AS kind FROM range(500)", at: SecondAppend);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
