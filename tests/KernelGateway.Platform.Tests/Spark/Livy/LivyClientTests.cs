using System.Net;
using DuckDB.NET.Data;
using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Tests.Fixtures.Spark.Livy;

namespace KernelGateway.Platform.Tests.Spark.Livy;

/// <summary>Our Livy client against the fixture (or a real Livy with KG_TEST_LIVY_URL).</summary>
public sealed class LivyClientTests(LivyTestServer server) : IClassFixture<LivyTestServer>
{
    private static CancellationToken Soon => LivyTestServer.Soon;

    [Fact]
    public async Task A_session_starts_runs_a_statement_and_is_gone_once_deleted()
    {
        using var client = server.NewClient();
        var name = "kg-test-" + Guid.NewGuid().ToString("N")[..8];
        var created = await client.CreateSessionAsync(new LivySessionRequest { Kind = "scala", Name = name, Conf = new Dictionary<string, string> { ["spark.kg.test"] = "yes" } }, Soon);
        Assert.Contains(created.State, new[] { LivySessionStates.NotStarted, LivySessionStates.Starting });

        var idle = await client.WaitForIdleAsync(created.Id, TimeSpan.FromMinutes(5), Soon);
        Assert.Equal((created.Id, LivySessionStates.Idle, LivyKinds.Spark, name), (idle.Id, idle.State, idle.Kind, idle.Name));
        Assert.Equal("yes", idle.Conf?["spark.kg.test"]);
        Assert.Equal(created.Id, (await client.FindSessionAsync(name, Soon))?.Id);
        Assert.Contains((await client.ListSessionsAsync(0, 1000, Soon)).Items, s => s.Id == created.Id);

        var shown = await client.RunStatementAsync(created.Id, LivyCode.ShowOne, cancellationToken: Soon);
        Assert.Contains("|one|", shown.Text);
        Assert.Contains("|  1|", shown.Text);
        Assert.Equal(LivyStatementStates.Available, shown.Statement?.State);

        Assert.True(await client.DeleteSessionAsync(created.Id, Soon));
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<LivyException>(() => client.GetSessionAsync(created.Id, Soon))).StatusCode);
        Assert.False(await client.DeleteSessionAsync(created.Id, Soon));
        Assert.Null(await client.FindSessionAsync(name, Soon));
    }

    [Fact]
    public async Task A_sql_statement_answers_a_typed_table_with_the_values_DuckDB_itself_returns()
    {
        const string sql = "SELECT CAST(42 AS INTEGER) AS i, CAST(9007199254740993 AS BIGINT) AS l, CAST(2.5 AS DOUBLE) AS d, "
            + "CAST(12.34 AS DECIMAL(10,2)) AS m, 'héllo' AS s, true AS b, DATE '2024-02-29' AS day, "
            + "TIMESTAMP '2024-02-29 13:14:15' AS at, CAST(NULL AS INTEGER) AS nothing";
        using var client = server.NewClient();
        await using var session = await server.IdleSessionAsync(client, LivyKinds.Sql, Soon);

        var table = (await client.RunStatementAsync(session.Id, sql, cancellationToken: Soon)).Table;

        Assert.NotNull(table);
        var (names, expected) = await DuckDbAsync(sql);
        Assert.Equal(names, table.Columns.Select(c => c.Name));
        Assert.Equal([typeof(int), typeof(long), typeof(double), typeof(decimal), typeof(string), typeof(bool), typeof(DateOnly), typeof(DateTime), typeof(int)],
            table.Columns.Select(c => c.ClrType));
        Assert.Equal(["integer", "long", "double", "decimal(10,2)", "string", "boolean", "date", "timestamp", "integer"], table.Columns.Select(c => c.EngineType));
        var row = Assert.Single(table.Rows);
        for (var i = 0; i < names.Count; i++) Assert.Equal(expected[i], row[i]);
    }

    [Fact]
    public async Task A_sql_result_stops_at_a_thousand_rows_as_livy_rsc_sql_num_rows_says()
    {
        using var client = server.NewClient();
        await using var session = await server.IdleSessionAsync(client, LivyKinds.Sql, Soon);

        var table = (await client.RunStatementAsync(session.Id, "SELECT * FROM range(1500)", cancellationToken: Soon)).Table!;

        Assert.Equal(typeof(long), Assert.Single(table.Columns).ClrType);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (object?)(long)i), table.Rows.Select(r => r[0]));
    }

    [Fact]
    public async Task A_failing_statement_throws_its_ename_evalue_and_traceback()
    {
        using var client = server.NewClient();
        await using var session = await server.IdleSessionAsync(client, LivyKinds.Sql, Soon);

        var e = await Assert.ThrowsAsync<LivyStatementException>(() => client.RunStatementAsync(session.Id, "SELECT * FROM kg_no_such_table", cancellationToken: Soon));

        Assert.Equal("Error", e.EName);
        Assert.Contains("kg_no_such_table", e.EValue);
        Assert.NotEmpty(e.Traceback);
        Assert.Equal(session.Id, e.SessionId);
        Assert.Contains("kg_no_such_table", e.Message);
        Assert.Equal(LivyStatementStates.Available, (await client.GetStatementAsync(session.Id, e.StatementId, Soon)).State);
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_the_statement_on_the_server_and_throws_that_it_was_cancelled()
    {
        using var client = server.NewClient();
        await using var session = await server.IdleSessionAsync(client, LivyKinds.Spark, Soon);
        var held = server.Fixture?.Scripts.Hold(LivyCode.LongRunningScala);
        var progress = new RecordedProgress();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Soon);

        var run = client.RunStatementAsync(session.Id, LivyCode.LongRunningScala, null, progress, cancel.Token);
        await progress.SeenAsync(p => p.State == LivyStatementStates.Running, Soon);
        await cancel.CancelAsync();
        var e = await Assert.ThrowsAsync<LivyStatementCancelledException>(() => run);

        Assert.True(e.ConfirmedByServer, e.Message);
        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.Contains("cancelled on the Livy server", e.Message);
        Assert.Equal(LivyStatementStates.Cancelled, (await client.GetStatementAsync(session.Id, e.StatementId, Soon)).State);
        if (server.Fixture is { } fixture)
        {
            Assert.Single(fixture.Requests, r => r.Method == "POST" && r.Path == $"/sessions/{session.Id}/statements/{e.StatementId}/cancel");
            await held!.Cancelled.WaitAsync(Soon);
        }
    }

    [SkippableFact]
    public async Task Progress_is_reported_as_Livy_reports_it_while_the_statement_runs()
    {
        var fixture = server.RequireFixture("a statement held at chosen progress");
        using var client = server.NewClient();
        await using var session = await server.IdleSessionAsync(client, LivyKinds.PySpark, Soon);
        var held = fixture.Scripts.Hold("slow()");
        var progress = new RecordedProgress();

        var run = client.RunStatementAsync(session.Id, "slow()", null, progress, Soon);
        await held.Started.WaitAsync(Soon);
        held.SetProgress(0.25);
        await progress.SeenAsync(p => p.Done == 250, Soon);
        held.SetProgress(0.75);
        await progress.SeenAsync(p => p.Done == 750, Soon);
        held.Complete(LivyReply.Text("done"));

        Assert.Equal("done", (await run).Text);
        var reports = progress.Reports;
        Assert.All(reports, p => Assert.Equal(("livy", 1000L, $"{session.Id}/{held.StatementId}"), (p.Engine, p.Total!.Value, p.QueryId!)));
        Assert.Contains(reports, p => p.State == LivyStatementStates.Running && p.Fraction == 0.25);
        Assert.Equal((LivyStatementStates.Available, 1.0), (reports[^1].State, reports[^1].Fraction!.Value));
    }

    [SkippableFact]
    public async Task Every_kind_of_output_reaches_the_display_as_what_it_is()
    {
        var fixture = server.RequireFixture("scripted outputs");
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };
        var at = new DateTime(2024, 2, 29, 13, 14, 15);
        fixture.Scripts.Reply("print('hi')", LivyReply.Text("hi"));
        fixture.Scripts.Reply("%json doc", LivyReply.Json(System.Text.Json.Nodes.JsonNode.Parse("""{"a": [1, 2], "b": null}""")));
        fixture.Scripts.Reply("%matplot plt", LivyReply.Png(png));
        fixture.Scripts.Reply("%table rows", LivyReply.PythonTable([
            new Dictionary<string, object?> { ["name"] = "ana", ["n"] = 1, ["price"] = 1.50m, ["day"] = new DateOnly(2024, 2, 29), ["at"] = at, ["ok"] = true, ["x"] = null },
            new Dictionary<string, object?> { ["name"] = "bo", ["n"] = 2, ["price"] = 10m, ["day"] = new DateOnly(2024, 3, 1), ["at"] = at.AddSeconds(1), ["ok"] = false, ["x"] = 2.5 },
        ]));
        using var client = server.NewClient();
        await using var session = await server.IdleSessionAsync(client, LivyKinds.PySpark, Soon);

        var text = await client.RunStatementAsync(session.Id, "print('hi')", cancellationToken: Soon);
        var json = await client.RunStatementAsync(session.Id, "%json doc", cancellationToken: Soon);
        var image = await client.RunStatementAsync(session.Id, "%matplot plt", cancellationToken: Soon);
        var table = (await client.RunStatementAsync(session.Id, "%table rows", cancellationToken: Soon)).Table!;

        Assert.Equal(("hi", null, null, null), (text.Text, text.Json, text.PngBase64, text.Table));
        Assert.Equal(2, json.Json!.Value.GetProperty("a")[1].GetInt32());
        Assert.Null(json.Table);
        Assert.Equal(png, Convert.FromBase64String(image.PngBase64!));
        Assert.Equal(["at", "day", "n", "name", "ok", "price", "x"], table.Columns.Select(c => c.Name));
        Assert.Equal([typeof(DateTime), typeof(DateOnly), typeof(int), typeof(string), typeof(bool), typeof(decimal), typeof(double)], table.Columns.Select(c => c.ClrType));
        Assert.Equal(new object?[] { at, new DateOnly(2024, 2, 29), 1, "ana", true, 1.50m, null }, table.Rows[0]);
        Assert.Equal(new object?[] { at.AddSeconds(1), new DateOnly(2024, 3, 1), 2, "bo", false, 10m, 2.5 }, table.Rows[1]);
    }

    [SkippableFact]
    public async Task A_GET_answered_503_is_retried_until_it_succeeds()
    {
        var fixture = server.RequireFixture("fault injection");
        using var client = server.NewClient();
        await using var session = await server.IdleSessionAsync(client, LivyKinds.Spark, Soon);
        var before = fixture.Requests.Count;

        fixture.Faults.FailNextGets(2, 503);
        var got = await client.GetSessionAsync(session.Id, Soon);

        Assert.Equal(session.Id, got.Id);
        Assert.Equal([503, 503, 200], fixture.Requests.Skip(before).Where(r => r.Path == $"/sessions/{session.Id}").Select(r => r.Status));
    }

    [SkippableFact]
    public async Task A_POST_that_creates_is_sent_once_even_when_it_fails()
    {
        var fixture = server.RequireFixture("fault injection");
        using var client = server.NewClient();
        var before = fixture.Requests.Count;
        var sessions = (await client.ListSessionsAsync(0, 1000, Soon)).Total;

        fixture.Faults.FailNextPosts(1, 503);
        var e = await Assert.ThrowsAsync<LivyException>(() => client.CreateSessionAsync(new LivySessionRequest { Kind = LivyKinds.Spark }, Soon));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Equal(("POST", "sessions"), (e.Method, e.Path));
        Assert.Contains("Service Unavailable", e.Message);
        Assert.Single(fixture.Requests.Skip(before), r => r.Method == "POST");
        Assert.Equal(sessions, (await client.ListSessionsAsync(0, 1000, Soon)).Total);
    }

    [Fact]
    public async Task A_second_session_of_the_same_name_is_refused_with_Livys_reason()
    {
        using var client = server.NewClient();
        var name = "kg-test-" + Guid.NewGuid().ToString("N")[..8];
        var named = await client.CreateSessionAsync(new LivySessionRequest { Kind = LivyKinds.Spark, Name = name }, Soon);
        try
        {
            var e = await Assert.ThrowsAsync<LivyException>(() => client.CreateSessionAsync(new LivySessionRequest { Kind = LivyKinds.Spark, Name = name }, Soon));
            Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
            Assert.Contains("Duplicate session name", e.ServerMessage);
        }
        finally
        {
            await client.DeleteSessionAsync(named.Id, Soon);
        }
    }

    [SkippableFact]
    public async Task Code_without_a_kind_in_a_shared_session_fails_with_Livys_own_text()
    {
        server.RequireFixture("Livy's exact failure text");
        using var client = server.NewClient();
        var session = await client.CreateSessionAsync(new LivySessionRequest(), Soon);
        await using var idle = new IdleSession(client, await client.WaitForIdleAsync(session.Id, null, Soon));
        Assert.Equal(LivyKinds.Shared, idle.Session.Kind);

        var e = await Assert.ThrowsAsync<LivyException>(() => client.SubmitStatementAsync(session.Id, "1 + 1", null, Soon));

        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Contains("Code type should be specified if session kind is shared", e.Message);
        Assert.Equal("1", (await client.RunStatementAsync(session.Id, "SELECT 1 AS x", LivyKinds.Sql, cancellationToken: Soon)).Table!.Rows[0][0]?.ToString());
    }

    [Fact]
    public async Task A_session_that_dies_while_starting_fails_with_its_log()
    {
        await using var fixture = await LivyServer.StartAsync(new LivyServerOptions { HoldSessionStart = true });
        using var client = new LivyClient(LivyOptions.Parse("livy+" + fixture.BaseUri));
        var session = await client.CreateSessionAsync(new LivySessionRequest { Kind = LivyKinds.PySpark }, Soon);

        var waiting = client.WaitForIdleAsync(session.Id, TimeSpan.FromMinutes(5), Soon);
        await fixture.WaitForRequestAsync(r => r.Path == $"/sessions/{session.Id}/state" && r.Status == 200, Soon);
        fixture.Session(session.Id).End("dead", "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space");
        var e = await Assert.ThrowsAsync<LivySessionException>(() => waiting);

        Assert.Equal((session.Id, LivySessionStates.Dead), (e.SessionId, e.State));
        Assert.Contains("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space", e.Log);
        Assert.Contains("java.lang.OutOfMemoryError: Java heap space", e.Message);
    }

    [Fact]
    public async Task A_session_that_does_not_start_in_time_fails_naming_its_state()
    {
        await using var fixture = await LivyServer.StartAsync(new LivyServerOptions { HoldSessionStart = true });
        using var client = new LivyClient(LivyOptions.Parse("livy+" + fixture.BaseUri + "?session_start_timeout=0.01"));
        var session = await client.CreateSessionAsync(new LivySessionRequest { Kind = LivyKinds.Spark }, Soon);

        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForIdleAsync(session.Id, null, Soon));

        Assert.Contains($"Livy session {session.Id} is still starting", e.Message);
        Assert.Equal(LivySessionStates.Starting, fixture.Session(session.Id).State);
    }

    [Fact]
    public async Task Every_endpoint_stays_under_a_gateways_path()
    {
        await using var fixture = await LivyServer.StartAsync(new LivyServerOptions { PathBase = "/gateway/default/livy/v1" });
        using var client = new LivyClient(LivyOptions.Parse("livy+" + fixture.BaseUri.ToString().TrimEnd('/')));

        var session = await client.CreateSessionAsync(new LivySessionRequest { Kind = LivyKinds.Sql }, Soon);
        await client.WaitForIdleAsync(session.Id, null, Soon);
        await client.RunStatementAsync(session.Id, "SELECT 1", cancellationToken: Soon);
        await client.DeleteSessionAsync(session.Id, Soon);

        Assert.Equal(new Uri(fixture.BaseUri, "/gateway/default/livy/v1/"), client.Options.Server);
        Assert.All(fixture.Requests, r => Assert.StartsWith("/gateway/default/livy/v1/sessions", r.Path));
        Assert.All(fixture.Requests, r => Assert.InRange(r.Status, 200, 201));
    }

    private static async Task<(List<string> Names, object?[] Row)> DuckDbAsync(string sql)
    {
        await using var duck = new DuckDBConnection("DataSource=:memory:");
        await duck.OpenAsync();
        await using var cmd = duck.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var row = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray();
        return (names, row);
    }
}
