using System.Text.Json;
using KernelGateway.Extensions.Sql;
using KernelGateway.Platform.Sql;
using KernelGateway.Protocol;
using KernelGateway.Tests;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary>A real kernel process with the SQL extension over a small seeded warehouse (100k sessions).</summary>
public sealed class SqlKernelFixture : KernelFixture
{
    protected override Task<Dictionary<string, string>> PrepareAsync() =>
        Task.FromResult(new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "100000" });
}

public sealed class SqlMagicTests(SqlKernelFixture fixture) : IClassFixture<SqlKernelFixture>
{
    private Task<RequestOutcome> Run(string code) => fixture.Client.ExecuteAsync(code, cancellationToken: Soon());

    private static JsonElement Table(RequestOutcome outcome) =>
        Assert.Single(outcome.OfType(MessageTypes.DisplayData)).Content.GetProperty("data");

    [Fact]
    public async Task Sql_cell_displays_a_table_as_data_resource_html_and_text()
    {
        var outcome = await Run("%%sql\nSELECT device, count(*) AS sessions FROM sessions GROUP BY device ORDER BY device");
        Assert.Equal("ok", outcome.Status);
        var data = Table(outcome);
        var resource = data.GetProperty("application/vnd.dataresource+json");
        Assert.Equal(["device", "sessions"], resource.GetProperty("schema").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal("integer", resource.GetProperty("schema").GetProperty("fields")[1].GetProperty("type").GetString());
        var rows = resource.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(5, rows.Count);
        Assert.Equal(100_000, rows.Sum(r => r.GetProperty("sessions").GetInt64()));
        Assert.Contains("<table", data.GetProperty("text/html").GetString());
        Assert.Contains("5 rows", data.GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Out_assigns_a_DataFrame_for_the_next_cell_and_csharp_values_bind_as_parameters()
    {
        Assert.Equal("ok", (await Run("var wanted = \"mobile\"; var minSeconds = 3600;")).Status);
        var sql = await Run("%%sql --out mobile\nSELECT session_id, day, seconds_watched FROM sessions WHERE device = @wanted AND seconds_watched >= $minSeconds ORDER BY session_id LIMIT 25");
        Assert.True(sql.Status == "ok", sql.Reply.Content.ToString());
        var count = await Run("mobile.Rows.Count");
        Assert.Equal("25", count.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
        var min = await Run("mobile.Columns[\"seconds_watched\"].Cast<int?>().Min()");
        Assert.True(int.Parse(min.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString()!) >= 3600);
    }

    [Fact]
    public async Task A_DataFrame_returned_from_a_cell_renders_as_a_table()
    {
        Assert.Equal("ok", (await Run("%%sql --out small\nSELECT title_id, title FROM titles ORDER BY title_id LIMIT 4")).Status);
        var outcome = await Run("small");
        var data = outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data");
        var rows = data.GetProperty("application/vnd.dataresource+json").GetProperty("data");
        Assert.Equal(4, rows.GetArrayLength());
        Assert.Equal("Title 1", rows[0].GetProperty("title").GetString());
        Assert.Contains("4 rows", data.GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task A_value_full_of_sql_is_bound_harmlessly()
    {
        await Run("var evil = \"'; drop view sessions; --\";");
        var bound = await Run("%%sql\nSELECT count(*) AS n FROM sessions WHERE device = $evil");
        Assert.Equal(0, Table(bound).GetProperty("application/vnd.dataresource+json").GetProperty("data")[0].GetProperty("n").GetInt64());
        var still = await Run("%sql SELECT count(*) AS n FROM sessions");
        Assert.Equal(100_000, Table(still).GetProperty("application/vnd.dataresource+json").GetProperty("data")[0].GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task Bad_sql_is_an_error_with_the_engines_message_and_the_kernel_stays_usable()
    {
        var bad = await Run("%%sql\nSELEC nothing");
        Assert.Equal("error", bad.Status);
        Assert.Equal("SqlError", bad.Reply.Content.GetProperty("ename").GetString());
        Assert.Contains("syntax error", bad.Reply.Content.GetProperty("evalue").GetString());
        Assert.Single(bad.OfType(MessageTypes.Error));
        var located = await Run("%%sql\nSELECT 1 AS a;\nSELECT 2 AS b,\n       3 FRM sessions");
        var traceback = located.Reply.Content.GetProperty("traceback").EnumerateArray().Select(l => l.GetString()!).ToList();
        var line = traceback.FindIndex(l => l.StartsWith("cell line 4: ", StringComparison.Ordinal));
        Assert.True(line > 0, string.Join("\n", traceback));
        Assert.Equal("cell line 4:        3 FRM sessions", traceback[line]);
        Assert.Equal(traceback[line].IndexOf("sessions", StringComparison.Ordinal), traceback[line + 1].IndexOf('^'));
        var unknown = await Run("%%sql\nSELECT $nosuchvariable");
        Assert.Equal("UsageError", unknown.Reply.Content.GetProperty("ename").GetString());
        Assert.Equal("ok", (await Run("%sql SELECT 1")).Status);
    }

    [Fact]
    public async Task Statements_run_in_order_on_one_connection_and_the_last_result_is_shown()
    {
        var outcome = await Run("%%sql\nCREATE TEMP TABLE top_titles AS SELECT title_id, count(*) AS n FROM sessions GROUP BY 1 ORDER BY 2 DESC LIMIT 3;\nSELECT count(*) AS c FROM top_titles;");
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        Assert.Equal(3, Table(outcome).GetProperty("application/vnd.dataresource+json").GetProperty("data")[0].GetProperty("c").GetInt64());
        var later = await Run("#!sql\nSELECT count(*) AS c FROM top_titles");
        Assert.Equal(3, Table(later).GetProperty("application/vnd.dataresource+json").GetProperty("data")[0].GetProperty("c").GetInt64());
    }

    [Fact]
    public async Task Interrupt_cancels_a_long_query()
    {
        var running = await fixture.Client.StartExecuteAsync("%%sql\nSELECT count(*) FROM range(10000000000) a, range(10) b", Soon());
        await fixture.Client.InterruptAsync(Soon());
        var outcome = await running;
        Assert.Equal("error", outcome.Status);
        Assert.Equal("OperationCanceledException", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.Equal("ok", (await Run("%sql SELECT 1")).Status);
    }

    [Fact]
    public async Task Connect_adds_a_named_connection_for_sql_cells()
    {
        var connect = await Run("%connect scratch kind=duckdb connection_string=\"DataSource=:memory:\"");
        Assert.Contains("scratch (duckdb)", connect.StreamText());
        var outcome = await Run("%%sql scratch\nSELECT 6 * 7 AS answer");
        Assert.Equal(42, Table(outcome).GetProperty("application/vnd.dataresource+json").GetProperty("data")[0].GetProperty("answer").GetInt32());
    }

    [Fact]
    public async Task Hash_connect_is_ours_too_and_the_rest_of_its_cell_runs_after_it()
    {
        var outcome = await Run("#!connect other kind=duckdb connection_string=\"DataSource=:memory:\"\nConsole.WriteLine(\"after\");");
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        Assert.Contains("other (duckdb)", outcome.StreamText());
        Assert.Contains("after", outcome.StreamText());
        var sql = await Run("#!sql other\nSELECT 40 + 2 AS answer");
        Assert.Equal(42, Table(sql).GetProperty("application/vnd.dataresource+json").GetProperty("data")[0].GetProperty("answer").GetInt32());
    }

    [Fact]
    public async Task Csharp_cells_reach_the_same_connections_through_Warehouse()
    {
        var outcome = await Run("(await Warehouse.QueryAsync<long>(\"SELECT count(*) FROM titles\")).Single()");
        Assert.Equal("20000", outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task A_table_a_sql_cell_creates_in_the_warehouse_is_there_for_csharp_cells_and_back()
    {
        Assert.Equal("ok", (await Run("%%sql\nCREATE TABLE shared_answer AS SELECT 42 AS v")).Status);
        var read = await Run("(await Warehouse.QueryAsync<int>(\"SELECT v FROM shared_answer\")).Single()");
        Assert.True(read.Status == "ok", read.Reply.Content.ToString());
        Assert.Equal("42", read.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
        Assert.Equal("ok", (await Run("await Warehouse.ExecuteAsync(\"INSERT INTO shared_answer VALUES (43)\");")).Status);
        var sum = await Run("%%sql\nSELECT sum(v) AS s FROM shared_answer");
        Assert.Equal(85, Table(sum).GetProperty("application/vnd.dataresource+json").GetProperty("data")[0].GetProperty("s").GetInt64());
    }

    [Theory]
    [InlineData("select 1; select 2", 2)]
    [InlineData("select ';' as a; select 2", 2)]
    [InlineData("select 1 -- ; comment\n; select 2", 2)]
    [InlineData("select /* ; */ 1", 1)]
    public void Statements_split_outside_quotes_and_comments(string sql, int count) => Assert.Equal(count, SqlText.SplitStatements(sql).Count);

    [Fact]
    public void Parameter_references_are_rewritten_outside_literals_only()
    {
        var (sql, names) = SqlText.RewriteParameters("select @a, '@b', $c, x::int, $1, \"@d\" from t where e = @a", '$');
        Assert.Equal("select $a, '@b', $c, x::int, $1, \"@d\" from t where e = $a", sql);
        Assert.Equal(["a", "c"], names);
    }
}
