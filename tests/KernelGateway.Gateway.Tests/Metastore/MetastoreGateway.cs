using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using KernelGateway.Tests;
using KernelGateway.Tests.Fixtures;
using Npgsql;

namespace KernelGateway.Gateway.Tests.Metastore;

/// <summary>
/// A gateway (token, base URL <c>/kg</c>) over a data directory whose <c>connections.json</c> names a real PostgreSQL
/// database <c>shop</c> (<c>pg</c>), a postgres connection whose server is down (<c>down</c>) and a Livy connection
/// (<c>lake</c>, a kind without a metastore provider) and an unusable one (<c>insecure</c>); the embedded warehouse
/// holds 1,000 sessions.
/// </summary>
public sealed class MetastoreGateway : IAsyncLifetime
{
    public const string Token = "metastore-test-token";

    /// <summary>The secrets in the connection entries other than the cluster's password.</summary>
    public const string DownPassword = "down-secret-5f1e", LakePassword = "lake-secret-9c2d", InsecurePassword = "insecure-secret-47ab";

    private static readonly string[] Shop =
    [
        "CREATE SCHEMA sales",
        "COMMENT ON SCHEMA sales IS 'Sales data'",
        "CREATE TABLE sales.orders (order_id bigint NOT NULL, amount numeric(10,2), ordered_on date)",
        "COMMENT ON TABLE sales.orders IS 'One row per order'",
        "COMMENT ON COLUMN sales.orders.amount IS 'Order total in euros'",
        "CREATE TABLE sales.orders_archive (order_id bigint)",
        "CREATE TABLE sales.old_orders (order_id bigint)",
        "CREATE TABLE sales.customers (customer_id bigint)",
        "COMMENT ON TABLE sales.customers IS 'Who places orders'",
        "CREATE TABLE sales.\"My Table\" (\"Total Amount\" numeric(8,2))",
        "COMMENT ON TABLE sales.\"My Table\" IS 'needs quoting'",
        "COMMENT ON COLUMN sales.\"My Table\".\"Total Amount\" IS 'with a space'",
        "CREATE SCHEMA \"odd.schema\"",
        "CREATE TABLE \"odd.schema\".\"a.b\" (x int)",
    ];

    public PostgresServer Postgres { get; private set; } = null!;
    public GatewayServer Server { get; private set; } = null!;
    public string DataDirectory { get; } = TestEnvironment.TempDirectory("metastore-data");

    /// <summary>Every secret of every connection entry.</summary>
    public IReadOnlyList<string> Secrets => [Postgres.Password, DownPassword, LakePassword, InsecurePassword];

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        await using (var admin = new NpgsqlConnection(Postgres.ConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand("CREATE DATABASE shop", admin).ExecuteNonQueryAsync();
        }
        var shop = new NpgsqlConnectionStringBuilder(Postgres.ConnectionString) { Database = "shop" }.ConnectionString;
        await using (var db = new NpgsqlConnection(shop))
        {
            await db.OpenAsync();
            foreach (var statement in Shop) await new NpgsqlCommand(statement, db).ExecuteNonQueryAsync();
        }
        var down = $"Host=127.0.0.1;Port={ClosedPort()};Username=kgtest;Password={DownPassword};Database=shop;Timeout=5";
        var entries = new JsonArray(
            new JsonObject { ["name"] = "pg", ["kind"] = "postgres", ["connection_string"] = shop, ["description"] = "the shop" },
            new JsonObject { ["name"] = "down", ["kind"] = "postgres", ["connection_string"] = down },
            new JsonObject { ["name"] = "lake", ["kind"] = "livy", ["connection_string"] = $"livy+https://kg:{LakePassword}@127.0.0.1:1/" },
            // Unusable: a password over plain HTTP is refused by the Trino client's options.
            new JsonObject { ["name"] = "insecure", ["kind"] = "trino", ["connection_string"] = $"trino://ann:{InsecurePassword}@127.0.0.1:1/hive" });
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "connections.json"), entries.ToJsonString());
        Server = await GatewayServer.StartAsync(o =>
        {
            o.AuthToken = Token;
            o.BaseUrl = "/kg";
            o.DataDirectory = DataDirectory;
            o.WarehouseRows = 1000;
        });
    }

    /// <summary>GET with the token.</summary>
    public Task<HttpResponseMessage> GetAsync(string path) => Server.SendAsync(HttpMethod.Get, path, token: Token);

    /// <summary>A loopback port nothing listens on (it was free a moment ago; nothing of ours takes it).</summary>
    private static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class MetastoreGatewayCollection : ICollectionFixture<MetastoreGateway>
{
    public const string Name = "metastore gateway";
}
