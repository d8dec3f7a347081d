using System.Text.Json;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Platform.Warehouse;
using KernelGateway.Tests.Fixtures;

namespace KernelGateway.Platform.Tests;

/// <summary>A real PostgreSQL 15 cluster for the tests of a class.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;
    public WarehouseClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.StartAsync();
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "pg", Kind = ConnectionKinds.Postgres, ConnectionString = Server.ConnectionString });
        var data = Path.Combine(Server.Directory, "kg");
        Client = new WarehouseClient(registry, new EmbeddedWarehouse(data, 1000));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed record Member(int MemberId, string Country, decimal Spend);

public sealed class PostgresTests(PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Typed_rows_and_named_parameters_on_postgres()
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        await pg.Client.ExecuteAsync("CREATE TABLE IF NOT EXISTS members (member_id int PRIMARY KEY, country text, spend numeric(10,2))", connection: "pg");
        await pg.Client.ExecuteAsync("INSERT INTO members VALUES (1, 'GB', 12.50), (2, 'FR', 7.25), (3, 'GB', 1.00) ON CONFLICT DO NOTHING", connection: "pg");
        var rows = await pg.Client.QueryAsync<Member>("SELECT member_id, country, spend FROM members WHERE country = @country ORDER BY member_id", new { country = "GB" }, "pg");
        Assert.Equal([1, 3], rows.Select(r => r.MemberId));
        Assert.Equal(13.50m, rows.Sum(r => r.Spend));
        var evil = await pg.Client.QueryAsync<long>("SELECT count(*) FROM members WHERE country = @c", new { c = "'; DROP TABLE members; --" }, "pg");
        Assert.Equal(0, evil.Single());
        Assert.Equal(3, (await pg.Client.QueryAsync<long>("SELECT count(*) FROM members", connection: "pg")).Single());
    }

    [Fact]
    public async Task Cancelling_stops_the_query_on_the_server()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pg.Client.QueryAsync<int>("SELECT 1 FROM pg_sleep(30)", connection: "pg", cancellationToken: cts.Token));
        var active = await pg.Client.QueryAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND state = 'active' AND pid <> pg_backend_pid()", connection: "pg");
        Assert.Equal(0, active.Single());
    }

    [Fact]
    public async Task Bad_sql_carries_the_servers_message_and_position()
    {
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => pg.Client.QueryAsync<int>("SELECT nope FROM pg_class", connection: "pg"));
        Assert.Contains("nope", e.MessageText);
        Assert.True(e.Position > 0);
    }

    private static async Task<JsonElement> RoundTrip(WarehouseClient client, string connection, string sql)
    {
        await using var reader = await client.ReadAsync(sql, connection: connection);
        var table = await TabularResult.ReadAsync(reader);
        using var doc = JsonDocument.Parse(TabularRenderer.DataResource(table));
        var root = doc.RootElement.Clone();
        Assert.Contains("<table", TabularRenderer.Html(table));
        return root;
    }

    private static Dictionary<string, string> Types(JsonElement resource) =>
        resource.GetProperty("schema").GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("type").GetString()!);

    [Fact]
    public async Task Common_postgres_types_map_to_table_schema_types_and_values()
    {
        var r = await RoundTrip(pg.Client, "pg", """
            SELECT NULL::int AS nothing, 42::int AS i, 9000000000::bigint AS big, 12.345::numeric(10,3) AS dec,
                   'NaN'::float8 AS nan, 1.5::float8 AS dbl, '<b>"quoted" & ''single''</b>'::text AS html,
                   DATE '2024-02-29' AS d, TIMESTAMP '2024-01-02 03:04:05' AS ts, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tstz,
                   INTERVAL '1 day 02:03:04' AS iv, ARRAY[1,2,3] AS arr, '\xDEADBEEF'::bytea AS blob, true AS flag
            """);
        var types = Types(r);
        Assert.Equal("integer", types["i"]);
        Assert.Equal("integer", types["big"]);
        Assert.Equal("number", types["dec"]);
        Assert.Equal("number", types["nan"]);
        Assert.Equal("string", types["html"]);
        Assert.Equal("date", types["d"]);
        Assert.Equal("datetime", types["ts"]);
        Assert.Equal("datetime", types["tstz"]);
        Assert.Equal("duration", types["iv"]);
        Assert.Equal("array", types["arr"]);
        Assert.Equal("string", types["blob"]);
        Assert.Equal("boolean", types["flag"]);
        var row = r.GetProperty("data")[0];
        Assert.Equal(JsonValueKind.Null, row.GetProperty("nothing").ValueKind);
        Assert.Equal(9000000000L, row.GetProperty("big").GetInt64());
        Assert.Equal(12.345m, row.GetProperty("dec").GetDecimal());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("nan").ValueKind);
        Assert.Equal("<b>\"quoted\" & 'single'</b>", row.GetProperty("html").GetString());
        Assert.Equal("2024-02-29", row.GetProperty("d").GetString());
        Assert.Equal("2024-01-02T03:04:05", row.GetProperty("ts").GetString());
        Assert.StartsWith("2024-01-02T03:04:05", row.GetProperty("tstz").GetString());
        Assert.Equal("P1DT2H3M4S", row.GetProperty("iv").GetString());
        Assert.Equal("[1,2,3]", row.GetProperty("arr").GetRawText());
        Assert.Equal(Convert.ToBase64String([0xDE, 0xAD, 0xBE, 0xEF]), row.GetProperty("blob").GetString());
        Assert.True(row.GetProperty("flag").GetBoolean());
    }

    [Fact]
    public async Task Common_duckdb_types_map_to_table_schema_types_and_values()
    {
        var r = await RoundTrip(pg.Client, "warehouse", """
            SELECT NULL::INTEGER AS nothing, 42 AS i, 170141183460469231731687303715884105727::HUGEINT AS huge, 12.345::DECIMAL(10,3) AS dec,
                   'NaN'::DOUBLE AS nan, '<b>"quoted"</b>' AS html, DATE '2024-02-29' AS d, TIMESTAMP '2024-01-02 03:04:05' AS ts,
                   TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tstz, INTERVAL '90 minutes' AS iv, [1, 2, 3] AS list,
                   {'a': 1, 'b': 'x'} AS struct, '\xAA\xBB'::BLOB AS blob, true AS flag
            """);
        var types = Types(r);
        Assert.Equal("integer", types["huge"]);
        Assert.Equal("number", types["dec"]);
        Assert.Equal("date", types["d"]);
        Assert.Equal("datetime", types["ts"]);
        Assert.Equal("datetime", types["tstz"]);
        Assert.Equal("duration", types["iv"]);
        Assert.Equal("array", types["list"]);
        Assert.Equal("object", types["struct"]);
        Assert.Equal("string", types["blob"]);
        var row = r.GetProperty("data")[0];
        Assert.Equal("170141183460469231731687303715884105727", row.GetProperty("huge").GetRawText());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("nan").ValueKind);
        Assert.Equal("PT1H30M0S", row.GetProperty("iv").GetString());
        Assert.Equal("[1,2,3]", row.GetProperty("list").GetRawText());
        Assert.Equal("x", row.GetProperty("struct").GetProperty("b").GetString());
        Assert.Equal("2024-02-29", row.GetProperty("d").GetString());
    }
}
