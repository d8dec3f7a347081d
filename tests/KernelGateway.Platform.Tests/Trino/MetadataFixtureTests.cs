using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Platform.Trino;
using KernelGateway.Tests.Fixtures.Trino;

namespace KernelGateway.Platform.Tests.Trino;

/// <summary>
/// The fixture's metadata answers, as Trino documents them, read by the npm trino-client and by ours: COMMENT ON,
/// SHOW CREATE TABLE (refused for a view), <c>system.metadata.table_comments</c>, and <c>information_schema.columns</c>
/// with Trino's type spellings and its <c>comment</c> column.
/// </summary>
public sealed class MetadataFixtureTests
{
    private static readonly string[] Setup =
    [
        "CREATE SCHEMA shop",
        "CREATE TABLE shop.items (id bigint NOT NULL, price decimal(12,2), tags array(varchar), attrs map(varchar, bigint), seen timestamp(3) with time zone)",
        "COMMENT ON TABLE shop.items IS 'what we sell'",
        "COMMENT ON COLUMN shop.items.price IS 'in euros, it''s net'",
        "CREATE VIEW shop.cheap AS SELECT id FROM shop.items WHERE price < 5",
    ];

    [Fact]
    public async Task Metadata_statements_answer_as_trino_documents_them_to_the_npm_client_and_ours()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        await using var server = await TrinoProtocolServer.StartAsync();
        using var client = new TrinoClient(TrinoConnectionOptions.Parse($"trino://ann@127.0.0.1:{server.BaseUri.Port}/memory/default"));
        foreach (var statement in Setup) await client.ExecuteAsync(statement, cancellationToken: ct);

        const string Ddl = """
            CREATE TABLE memory.shop.items (
               id bigint NOT NULL,
               price decimal(12,2) COMMENT 'in euros, it''s net',
               tags array(varchar),
               attrs map(varchar, bigint),
               seen timestamp(6) with time zone
            )
            COMMENT 'what we sell'
            """;
        string[][] expected =
        [
            ["SHOW CREATE TABLE memory.shop.items", "[[" + JsonSerializer.Serialize(Ddl) + "]]"],
            ["SELECT table_name, comment FROM system.metadata.table_comments WHERE catalog_name = 'memory' AND schema_name = 'shop' ORDER BY 1",
                """[["cheap",null],["items","what we sell"]]"""],
            ["SELECT column_name, data_type, is_nullable, comment FROM memory.information_schema.columns WHERE table_schema = 'shop' AND table_name = 'items' ORDER BY ordinal_position",
                """[["id","bigint","NO",null],["price","decimal(12,2)","YES","in euros, it's net"],["tags","array(varchar)","YES",null],["attrs","map(varchar, bigint)","YES",null],["seen","timestamp(6) with time zone","YES",null]]"""],
            ["SELECT schema_name FROM memory.information_schema.schemata ORDER BY 1", """[["default"],["information_schema"],["shop"]]"""],
            ["SELECT table_name, table_type FROM memory.information_schema.tables WHERE table_schema = 'shop' ORDER BY 1", """[["cheap","VIEW"],["items","BASE TABLE"]]"""],
            ["SELECT count(*) FROM system.metadata.materialized_views", "[[0]]"],
        ];
        foreach (var (sql, rows) in expected.Select(e => (e[0], e[1])))
        {
            var theirs = await NodeTrinoClients.ReadRowsAsync("trino", server.BaseUri, "ann", sql, "memory", "default", ct: ct);
            Assert.False(theirs.TryGetProperty("error", out var error), $"{sql}: {error}");
            AssertSameJson(rows, theirs.GetProperty("rows").GetRawText(), sql);
            var ours = await client.QueryAsync(sql, cancellationToken: ct);
            AssertSameJson(rows, JsonSerializer.Serialize(ours.Rows), sql);
        }

        var view = await NodeTrinoClients.ReadRowsAsync("trino", server.BaseUri, "ann", "SHOW CREATE TABLE memory.shop.cheap", ct: ct);
        Assert.Equal(("NOT_SUPPORTED", "Relation 'memory.shop.cheap' is a view, not a table"),
            (view.GetProperty("error").GetProperty("errorName").GetString(), view.GetProperty("error").GetProperty("message").GetString()));
        var missing = await Assert.ThrowsAsync<TrinoQueryException>(() => client.QueryAsync("SHOW CREATE TABLE shop.nope", cancellationToken: ct));
        Assert.Equal("TABLE_NOT_FOUND", missing.ErrorName);
    }

    private static void AssertSameJson(string expected, string actual, string sql) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"{sql}\nexpected {expected}\nactual   {actual}");
}
