using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Tests;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Metastore.Tests;

/// <summary>
/// complete_request and inspect_request inside <c>%%sql</c> cells, through the real kernel process, over the embedded
/// warehouse and a real PostgreSQL cluster. <c>‸</c> in a cell marks the cursor. Each test first runs the
/// <c>%metastore</c> cells that load what it completes, so the answers do not depend on the completion bound.
/// </summary>
public sealed class SqlCompletionTests(MetastoreKernelFixture fixture) : IClassFixture<MetastoreKernelFixture>
{
    private const char Cursor = '‸';

    private sealed record Completion(List<string> Matches, int Start, int End, Dictionary<string, (string Type, string Signature)> Types);

    private async Task Warm(params string[] cells)
    {
        foreach (var cell in cells)
        {
            var outcome = await fixture.Client.ExecuteAsync(cell, cancellationToken: Soon());
            Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        }
    }

    private static (string Code, int CursorPos) Split(string marked)
    {
        var at = marked.IndexOf(Cursor, StringComparison.Ordinal);
        var code = marked.Remove(at, 1);
        return (code, code[..at].EnumerateRunes().Count());
    }

    private async Task<Completion> Complete(string marked)
    {
        var (code, cursor) = Split(marked);
        var reply = await fixture.Client.RequestAsync(KernelChannel.Shell,
            fixture.Client.CreateRequest(MessageTypes.CompleteRequest, new CompleteRequest(code, cursor), ProtocolJsonContext.Default.CompleteRequest), Soon());
        var content = reply.Content;
        Assert.Equal("ok", content.GetProperty("status").GetString());
        Assert.DoesNotContain(fixture.Postgres.Password, content.GetRawText());
        Assert.DoesNotContain(MetastoreKernelFixture.DownPassword, content.GetRawText());
        var types = content.GetProperty("metadata").GetProperty("_jupyter_types_experimental").EnumerateArray()
            .ToDictionary(t => t.GetProperty("text").GetString()!, t => (t.GetProperty("type").GetString()!, t.GetProperty("signature").GetString()!));
        return new Completion(content.GetProperty("matches").EnumerateArray().Select(m => m.GetString()!).ToList(),
            content.GetProperty("cursor_start").GetInt32(), content.GetProperty("cursor_end").GetInt32(), types);
    }

    private async Task<JsonElement> Inspect(string marked)
    {
        var (code, cursor) = Split(marked);
        var reply = await fixture.Client.RequestAsync(KernelChannel.Shell,
            fixture.Client.CreateRequest(MessageTypes.InspectRequest, new InspectRequest(code, cursor, 0), ProtocolJsonContext.Default.InspectRequest), Soon());
        Assert.Equal("ok", reply.Content.GetProperty("status").GetString());
        return reply.Content;
    }

    /// <summary>The code point index of <paramref name="text"/> in the marked cell (cursor mark left out).</summary>
    private static int IndexOf(string marked, string text) => Split(marked).Code[..Split(marked).Code.IndexOf(text, StringComparison.Ordinal)].EnumerateRunes().Count();

    [Fact]
    public async Task After_FROM_the_default_schemas_tables_come_first_then_schemas_and_catalogs()
    {
        await Warm("%metastore tables warehouse.memory.main");
        var c = await Complete("%%sql\nSELECT * FROM ‸");
        Assert.Equal(["members", "sessions", "titles"], c.Matches.Take(3).Order().ToList());
        Assert.Equal("view", c.Types["sessions"].Type);
        Assert.Contains("main", c.Matches);
        Assert.Equal("schema", c.Types["main"].Type);
        Assert.Equal("catalog", c.Types["memory"].Type);
        var at = IndexOf("%%sql\nSELECT * FROM ‸", "SELECT") + "SELECT * FROM ".Length;
        Assert.Equal((at, at), (c.Start, c.End));
    }

    [Fact]
    public async Task A_prefix_matches_ignoring_case_and_a_name_with_capitals_comes_back_quoted_for_postgres()
    {
        await Warm("%metastore tables pg.postgres.public");
        const string Cell = "%%sql pg\nSELECT * FROM pl‸";
        var c = await Complete(Cell);
        Assert.Equal(["\"Play Log\"", "players", "plays"], c.Matches.Order(StringComparer.Ordinal).ToList());
        Assert.Equal(IndexOf(Cell, "pl"), c.Start);
        Assert.Equal(IndexOf(Cell, "pl") + 2, c.End);

        const string Quoted = "%%sql pg\nSELECT * FROM \"Pl‸";
        var q = await Complete(Quoted);
        Assert.Equal(["\"Play Log\""], q.Matches);
        Assert.Equal(IndexOf(Quoted, "\"Pl"), q.Start); // the opening quote is replaced too
    }

    [Fact]
    public async Task After_a_schema_or_catalog_and_a_dot_come_its_tables_or_schemas()
    {
        await Warm("%metastore schemas pg.postgres", "%metastore tables pg.postgres.public");
        var tables = await Complete("%%sql pg\nSELECT * FROM public.‸");
        Assert.Contains("plays", tables.Matches);
        Assert.Contains("events", tables.Matches);
        Assert.DoesNotContain("public", tables.Matches);
        var schemas = await Complete("%%sql pg\nSELECT * FROM postgres.‸");
        Assert.Equal(["public"], schemas.Matches);
        var full = await Complete("%%sql pg\nSELECT * FROM postgres.public.pla‸");
        Assert.Equal(["\"Play Log\"", "players", "plays"], full.Matches.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Columns_complete_after_an_alias_dot_in_the_select_list_and_in_where_and_on_clauses()
    {
        await Warm("%metastore describe pg.postgres.public.plays", "%metastore describe pg.postgres.public.players");
        var alias = await Complete("%%sql pg\nSELECT p.‸ FROM plays p");
        Assert.Equal(["device", "id"], alias.Matches.Order().ToList());
        Assert.Equal(("column", "integer"), alias.Types["id"]);

        var select = await Complete("%%sql pg\nSELECT dev‸ FROM plays");
        Assert.Equal(["device"], select.Matches);

        var where = await Complete("%%sql pg\nSELECT * FROM plays WHERE ‸");
        Assert.Equal(["device", "id"], where.Matches.Order().ToList());

        var on = await Complete("%%sql pg\nSELECT * FROM plays AS p JOIN players q ON q.‸");
        Assert.Equal(["name", "player_id"], on.Matches.Order().ToList());

        var both = await Complete("%%sql pg\nSELECT ‸ FROM plays, players");
        Assert.Equal(["device", "id", "name", "player_id"], both.Matches.Order().ToList());
    }

    [Fact]
    public async Task Keywords_follow_the_case_typed_and_nothing_is_offered_inside_a_string_or_comment()
    {
        Assert.Contains("SELECT", (await Complete("%%sql\nSEL‸")).Matches);
        Assert.Contains("select", (await Complete("%%sql\nsel‸")).Matches);
        Assert.Empty((await Complete("%%sql pg\nSELECT 'FROM pl‸")).Matches);
        Assert.Empty((await Complete("%%sql pg\nSELECT 1 -- FROM pl‸")).Matches);
    }

    [Fact]
    public async Task A_connection_that_is_down_gives_keywords_only_and_the_reply_still_comes()
    {
        var c = await Complete("%%sql down\nSELECT * FROM pl‸");
        Assert.Empty(c.Matches);
        Assert.Contains("SELECT", (await Complete("%%sql down\nSEL‸")).Matches);
    }

    [Fact]
    public async Task Names_with_quotes_dots_spaces_capitals_and_non_ascii_survive_completion_into_a_query_that_runs()
    {
        await Warm("""
            %%sql pg
            CREATE TABLE "Ströme ""Q"".v1" ("Größe.Wert" int, plain int);
            INSERT INTO "Ströme ""Q"".v1" VALUES (42, 1);
            """, "%metastore refresh pg", "%metastore tables pg.postgres.public", "%metastore describe pg.postgres.public.\"Ströme \"\"Q\"\".v1\"");
        const string TableCell = "%%sql pg\nSELECT * FROM \"Strö‸";
        var table = Assert.Single((await Complete(TableCell)).Matches);
        Assert.Equal("\"Ströme \"\"Q\"\".v1\"", table);

        var columnCell = $"%%sql pg\nSELECT \"Grö‸ FROM {table}";
        var column = Assert.Single((await Complete(columnCell)).Matches);
        Assert.Equal("\"Größe.Wert\"", column);

        var outcome = await fixture.Client.ExecuteAsync($"%%sql pg --out strome\nSELECT {column} FROM {table}", cancellationToken: Soon());
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var check = await fixture.Client.ExecuteAsync("strome.Rows[0][0]", cancellationToken: Soon());
        Assert.Equal("42", check.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Shift_tab_on_a_table_shows_its_columns_and_comments_and_on_a_column_its_type()
    {
        await Warm("%metastore describe pg.postgres.public.plays");
        var table = await Inspect("%%sql pg\nSELECT device FROM pla‸ys");
        Assert.True(table.GetProperty("found").GetBoolean());
        var plain = table.GetProperty("data").GetProperty("text/plain").GetString()!;
        Assert.Contains("pg.postgres.public.plays (table)", plain);
        Assert.Contains("Streaming plays by device", plain);
        Assert.Contains("Kind of device used", plain);
        Assert.Contains("| device | text | yes | Kind of device used |", table.GetProperty("data").GetProperty("text/markdown").GetString()!);

        var column = await Inspect("%%sql pg\nSELECT p.dev‸ice FROM plays p");
        var text = column.GetProperty("data").GetProperty("text/plain").GetString()!;
        Assert.StartsWith("pg.postgres.public.plays.device: text, nullable", text);
        Assert.Contains("Kind of device used", text);

        var nothing = await Inspect("%%sql pg\nSELECT nosuch‸ FROM plays");
        Assert.False(nothing.GetProperty("found").GetBoolean());
    }

    [Fact]
    public async Task Debians_jupyter_client_gets_the_same_completion_and_inspection()
    {
        await Warm("%metastore describe pg.postgres.public.plays");
        var (code, cursor) = Split("%%sql pg\nSELECT p.‸ FROM plays p");
        var script = Path.Combine(AppContext.BaseDirectory, "python", "complete_inspect.py");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python, [script, fixture.Kernel.ConnectionFile, code, cursor.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, stdout + stderr);
        using var doc = JsonDocument.Parse(stdout);
        var complete = doc.RootElement.GetProperty("complete");
        Assert.Equal(["device", "id"], complete.GetProperty("matches").EnumerateArray().Select(m => m.GetString()).Order().ToList());
        Assert.Equal(cursor, complete.GetProperty("cursor_start").GetInt32());
        var (inspectCode, inspectCursor) = Split("%%sql pg\nSELECT * FROM pla‸ys");
        (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python, [script, fixture.Kernel.ConnectionFile, inspectCode, inspectCursor.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, stdout + stderr);
        using var inspected = JsonDocument.Parse(stdout);
        Assert.Contains("Streaming plays by device", inspected.RootElement.GetProperty("inspect").GetProperty("data").GetProperty("text/plain").GetString());
    }
}
