using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using KernelGateway.Tests.Fixtures.Trino;

namespace KernelGateway.Platform.Tests.Trino;

/// <summary>
/// The Trino protocol fixture against the published client protocol, driven by plain HTTP requests, and
/// cross-checked by the independent npm clients (trino-client, presto-client).
/// </summary>
public sealed class FixtureTests
{
    private const string MillionRows = "SELECT a * 1000 + b AS n FROM UNNEST(sequence(0, 999)) AS x(a) CROSS JOIN UNNEST(sequence(0, 999)) AS y(b)";
    private const string EndlessSum = "SELECT sum(a + b + c) FROM UNNEST(sequence(1, 10000)) AS x(a) CROSS JOIN UNNEST(sequence(1, 10000)) AS y(b) CROSS JOIN UNNEST(sequence(1, 10000)) AS z(c)";
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_query_goes_from_queued_to_running_to_finished_through_absolute_next_uris()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { QueuedResponses = 2, MaxRowsPerPage = 10 });
        var c = new ProtocolClient(server);
        var pages = await c.RunAsync("SELECT n, 'row ' || CAST(n AS varchar) AS label FROM UNNEST(sequence(1, 35)) AS t(n) ORDER BY n");

        Assert.Equal(["QUEUED", "QUEUED"], pages.Take(2).Select(p => p.State));
        Assert.Contains("/v1/statement/queued/", pages[0].NextUri);
        Assert.Contains("/v1/statement/executing/", pages[1].NextUri);
        Assert.All(pages.SkipLast(1), p => Assert.StartsWith(server.BaseUri.ToString(), p.NextUri));
        Assert.Null(pages[^1].NextUri);
        Assert.Equal("FINISHED", pages[^1].State);
        Assert.All(pages.Where(p => p.Json.TryGetProperty("data", out _)), p => Assert.True(p.Json.TryGetProperty("columns", out _)));
        Assert.Equal(Enumerable.Range(1, 35), pages.SelectMany(p => p.Rows).Select(r => r[0].GetInt32()));
        Assert.Equal(4, pages.Count(p => p.Rows.Count > 0));
        var processed = pages.Select(p => p.Json.GetProperty("stats").GetProperty("processedRows").GetInt64()).ToList();
        Assert.Equal(processed.Order(), processed);
        Assert.Equal(35, processed[^1]);
        Assert.Equal(100.0, pages[^1].Json.GetProperty("stats").GetProperty("progressPercentage").GetDouble());
        var id = pages[0].Json.GetProperty("id").GetString()!;
        Assert.Matches(@"^\d{8}_\d{6}_\d{5}_[a-z0-9]{5}$", id);
        Assert.Equal($"{server.BaseUri}ui/query.html?{id}", pages[0].Json.GetProperty("infoUri").GetString());
        var end = await server.WaitForQueryEndAsync(id, Timeout);
        Assert.Equal(("FINISHED", 35L), (end.State, end.RowsProduced));
    }

    [Fact]
    public async Task The_current_token_repeats_its_response_an_older_one_is_gone_and_one_past_the_end_is_not_found()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { MaxRowsPerPage = 5 });
        var c = new ProtocolClient(server);
        var first = await c.PostAsync("SELECT n FROM UNNEST(sequence(1, 20)) AS t(n) ORDER BY n");
        var page1 = await c.GetUntilDataAsync(first.NextUri!);
        var again = await c.GetRawAsync(page1.Uri);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(page1.Body, again.Body);

        var page2 = await c.GetAsync(page1.NextUri!);
        Assert.Equal(HttpStatusCode.Gone, (await c.GetRawAsync(page1.Uri)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetRawAsync(WithToken(page2.NextUri!, +3))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetRawAsync(page2.NextUri!.Replace(page2.Id, "20200101_000000_00099_zzzzz"))).Status);
        var rest = await c.FollowAsync(page2.NextUri!);
        Assert.Equal(Enumerable.Range(1, 20), new[] { page1, page2 }.Concat(rest).SelectMany(p => p.Rows).Select(r => r[0].GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetRawAsync(WithToken(rest[^1].Uri, +1))).Status);
    }

    [Fact]
    public async Task Deleting_the_next_uri_cancels_the_query_and_is_recorded()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { TargetPageBytes = 4096 });
        var c = new ProtocolClient(server);
        var first = await c.PostAsync(MillionRows);
        var page = await c.GetUntilDataAsync(first.NextUri!);

        Assert.Equal(HttpStatusCode.NoContent, await c.DeleteAsync(page.NextUri!));
        await server.WaitForCancelAsync(first.Id, Timeout);
        var end = await server.WaitForQueryEndAsync(first.Id, Timeout);
        Assert.Equal(("FAILED", "USER_CANCELED", true), (end.State, end.ErrorName, end.Cancelled));
        Assert.Contains(first.Id, server.CancelledQueryIds);
        Assert.True(end.RowsProduced < 1_000_000);
        var after = await c.GetAsync(page.NextUri!);
        Assert.Equal("USER_CANCELED", after.Json.GetProperty("error").GetProperty("errorName").GetString());
        Assert.Null(after.NextUri);
    }

    [Fact]
    public async Task Deleting_the_query_interrupts_duckdb_work_in_progress()
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        var c = new ProtocolClient(server);
        var first = await c.PostAsync(EndlessSum);
        var running = await c.GetAsync(first.NextUri!);
        Assert.NotNull(running.NextUri);

        Assert.Equal(HttpStatusCode.NoContent, await c.DeleteAsync($"{server.BaseUri}v1/query/{first.Id}"));
        var end = await server.WaitForQueryEndAsync(first.Id, Timeout);
        Assert.Equal("USER_CANCELED", end.ErrorName);
        var pages = await c.FollowAsync(running.NextUri!);
        Assert.Equal("FAILED", pages[^1].State);

        var done = await c.RunAsync("SELECT 1");
        Assert.Equal(HttpStatusCode.NoContent, await c.DeleteAsync($"{server.BaseUri}v1/query/{done[0].Id}"));
        Assert.Contains(done[0].Id, server.CancelledQueryIds);
        Assert.Equal(("FINISHED", false), (server.Queries.Single(q => q.Id == done[0].Id) is var q ? (q.State, q.Cancelled) : default));
    }

    [Fact]
    public async Task Deleting_the_partial_cancel_uri_stops_production_and_the_query_finishes_with_what_it_produced()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { TargetPageBytes = 4096 });
        var c = new ProtocolClient(server);
        var first = await c.PostAsync(MillionRows);
        var page = await c.GetUntilDataAsync(first.NextUri!);
        var partial = page.Json.GetProperty("partialCancelUri").GetString()!;

        Assert.Equal(HttpStatusCode.NoContent, await c.DeleteAsync(partial));
        var rest = await c.FollowAsync(page.NextUri!);
        Assert.Equal("FINISHED", rest[^1].State);
        Assert.Contains(first.Id, server.CancelledQueryIds);
        var rows = page.Rows.Count + rest.Sum(p => p.Rows.Count);
        Assert.InRange(rows, 1, 999_999);
        Assert.Equal(rows, (await server.WaitForQueryEndAsync(first.Id, Timeout)).RowsProduced);
    }

    [Fact]
    public async Task Pages_are_rendered_ahead_of_the_client_but_never_more_than_a_few()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { TargetPageBytes = 4096 });
        var c = new ProtocolClient(server);
        var first = await c.PostAsync(MillionRows);
        var page = await c.GetUntilDataAsync(first.NextUri!);
        var produced = server.Queries.Single().PagesProduced;
        Assert.InRange(produced, 1, 1 + 4);
        Assert.NotNull(server.FirstDataPageSentTicks(first.Id));
        await c.DeleteAsync(page.NextUri!);
    }

    [Fact]
    public async Task Session_statements_answer_with_the_headers_that_change_the_session()
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        var c = new ProtocolClient(server);

        var use = (await c.RunAsync("USE tpch.tiny"))[^1];
        Assert.Equal(("tpch", "tiny"), (use.Header("X-Trino-Set-Catalog"), use.Header("X-Trino-Set-Schema")));
        Assert.Equal("USE", use.Json.GetProperty("updateType").GetString());
        Assert.Equal("query_max_run_time=1%20h", (await c.RunAsync("SET SESSION query_max_run_time = '1 h'"))[^1].Header("X-Trino-Set-Session"));
        Assert.Equal("query_max_run_time", (await c.RunAsync("RESET SESSION query_max_run_time"))[^1].Header("X-Trino-Clear-Session"));
        var added = (await c.RunAsync("PREPARE q1 FROM SELECT name FROM tpch.tiny.nation WHERE nationkey = ? OR name = ?"))[^1].Header("X-Trino-Added-Prepare");
        Assert.Equal("q1=" + Uri.EscapeDataString("SELECT name FROM tpch.tiny.nation WHERE nationkey = ? OR name = ?"), added);
        Assert.Null(use.Header("X-Trino-Set-Path"));

        var executed = await c.RunAsync("EXECUTE q1 USING 7, 'PERU'", ("X-Trino-Prepared-Statement", "other=SELECT%201," + added));
        Assert.Equal(["GERMANY", "PERU"], executed.SelectMany(p => p.Rows).Select(r => r[0].GetString()).Order());
        Assert.Equal("q1", (await c.RunAsync("DEALLOCATE PREPARE q1"))[^1].Header("X-Trino-Deallocated-Prepare"));
        Assert.Equal(42, await c.ScalarAsync("EXECUTE IMMEDIATE 'SELECT ? * 2' USING 21"));
        Assert.Equal("NOT_FOUND", (await c.RunAsync("EXECUTE q1 USING 1, 'x'"))[^1].Json.GetProperty("error").GetProperty("errorName").GetString());

        var zoned = await c.RunAsync("SELECT TIMESTAMP '2024-01-02 03:04:05 UTC' AS t", ("X-Trino-Time-Zone", "Asia/Kolkata"),
            ("X-Trino-Session", "a=1,b=x%2Cy"), ("X-Trino-Session", "c=2"), ("X-Trino-Catalog", "tpch"), ("X-Trino-Schema", "tiny"));
        Assert.Equal("2024-01-02 08:34:05.000 Asia/Kolkata", zoned.SelectMany(p => p.Rows).Single()[0].GetString());
        Assert.Contains("c=2", string.Join(",", server.Requests.First(r => r.Method == "POST" && r.Header("X-Trino-Time-Zone").Count > 0).Header("X-Trino-Session")));
    }

    [Fact]
    public async Task Bad_requests_get_a_400_with_a_plain_text_reason_and_the_server_goes_on()
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        var c = new ProtocolClient(server);
        var noUser = await c.PostRawAsync("SELECT 1", user: null);
        Assert.Equal(HttpStatusCode.BadRequest, noUser.Status);
        Assert.StartsWith("text/plain", noUser.ContentType);
        Assert.Contains("User", noUser.Text);
        var mixed = await c.PostRawAsync("SELECT 1", extra: [("X-Presto-Source", "x")]);
        Assert.Equal(HttpStatusCode.BadRequest, mixed.Status);
        var badSession = await c.PostRawAsync("SELECT 1", extra: [("X-Trino-Session", "novalue")]);
        Assert.Equal(HttpStatusCode.BadRequest, badSession.Status);
        Assert.Equal(1, (await c.RunAsync("SELECT 1"))[^2].Rows.Single()[0].GetInt32());
    }

    [Fact]
    public async Task A_transaction_keeps_its_writes_apart_until_commit_and_rollback_discards_them()
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        var c = new ProtocolClient(server);
        await c.RunAsync("CREATE TABLE memory.default.tx (id bigint)");

        var rolledBack = (await c.RunAsync("START TRANSACTION"))[^1].Header("X-Trino-Started-Transaction-Id")!;
        var insert = await c.RunAsync("INSERT INTO memory.default.tx VALUES (1), (2)", ("X-Trino-Transaction-Id", rolledBack));
        Assert.Equal(2, insert[^1].Json.GetProperty("updateCount").GetInt64());
        Assert.Equal(2, await c.ScalarAsync("SELECT count(*) FROM memory.default.tx", ("X-Trino-Transaction-Id", rolledBack)));
        Assert.Equal(0, await c.ScalarAsync("SELECT count(*) FROM memory.default.tx"));
        Assert.Equal("true", (await c.RunAsync("ROLLBACK", ("X-Trino-Transaction-Id", rolledBack)))[^1].Header("X-Trino-Clear-Transaction-Id"));
        Assert.Equal(0, await c.ScalarAsync("SELECT count(*) FROM memory.default.tx"));

        var committed = (await c.RunAsync("START TRANSACTION"))[^1].Header("X-Trino-Started-Transaction-Id")!;
        await c.RunAsync("INSERT INTO memory.default.tx VALUES (3)", ("X-Trino-Transaction-Id", committed));
        await c.RunAsync("COMMIT", ("X-Trino-Transaction-Id", committed));
        Assert.Equal(1, await c.ScalarAsync("SELECT count(*) FROM memory.default.tx"));
        var unknown = await c.RunAsync("COMMIT", ("X-Trino-Transaction-Id", committed));
        Assert.Equal("UNKNOWN_TRANSACTION", unknown[^1].Json.GetProperty("error").GetProperty("errorName").GetString());
    }

    [Theory]
    [InlineData("SELECT 1,\n  2 FRM x", "SYNTAX_ERROR", 1, 2, 9, "syntax error")]
    [InlineData("SELECT * FROM memory.default.nosuch", "TABLE_NOT_FOUND", 46, 1, 15, "Table 'nosuch' does not exist")]
    [InlineData("SELECT nosuch FROM tpch.tiny.nation", "COLUMN_NOT_FOUND", 47, 1, 8, "Column 'nosuch' cannot be resolved")]
    [InlineData("SELECT no_such_function(1)", "FUNCTION_NOT_FOUND", 6, 1, 8, "Function 'no_such_function' not registered")]
    [InlineData("SELECT\n  CAST('abc' AS integer)", "INVALID_CAST_ARGUMENT", 9, null, null, "abc")]
    public async Task A_failed_query_is_a_200_with_trinos_error_shape_and_the_location_of_the_offending_token(string sql, string name, int code, int? line, int? column, string says)
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        var pages = await new ProtocolClient(server).RunAsync(sql);
        var error = pages[^1].Json.GetProperty("error");
        Assert.Equal("FAILED", pages[^1].State);
        Assert.Equal((name, code, "USER_ERROR"), (error.GetProperty("errorName").GetString(), error.GetProperty("errorCode").GetInt32(), error.GetProperty("errorType").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("failureInfo").GetProperty("type").GetString()));
        Assert.Contains(says, error.GetProperty("message").GetString());
        if (line is null) return;
        var location = error.GetProperty("errorLocation");
        Assert.Equal((line, column), (location.GetProperty("lineNumber").GetInt32(), location.GetProperty("columnNumber").GetInt32()));
        Assert.StartsWith($"line {line}:{column}: ", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Every_type_is_encoded_as_trino_encodes_it()
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        var c = new ProtocolClient(server);
        var pages = await c.RunAsync(TypesQuery, ("X-Trino-Client-Capabilities", "PATH,PARAMETRIC_DATETIME"));
        var columns = pages[^1].Json.GetProperty("columns").EnumerateArray().ToList();
        var row = pages.SelectMany(p => p.Rows).Single();
        for (var i = 0; i < ExpectedTypes.Length; i++)
        {
            Assert.Equal(ExpectedTypes[i].Type, columns[i].GetProperty("type").GetString());
            Assert.Equal(ExpectedTypes[i].Json, row[i].GetRawText());
        }
        Assert.Equal("""{"rawType":"varchar","arguments":[{"kind":"LONG","value":2147483647}]}""", Column(columns, "v").GetProperty("typeSignature").GetRawText());
        Assert.Equal("""{"rawType":"row","arguments":[{"kind":"NAMED_TYPE","value":{"fieldName":{"name":"a"},"typeSignature":{"rawType":"integer","arguments":[]}}},{"kind":"NAMED_TYPE","value":{"fieldName":{"name":"b"},"typeSignature":{"rawType":"varchar","arguments":[{"kind":"LONG","value":2147483647}]}}}]}""",
            Column(columns, "r").GetProperty("typeSignature").GetRawText());
        Assert.Equal("""{"rawType":"timestamp","arguments":[{"kind":"LONG","value":12}]}""", Column(columns, "ts12").GetProperty("typeSignature").GetRawText());

        var legacy = await c.RunAsync("SELECT TIMESTAMP '2024-01-02 03:04:05.123456' AS t, TIME '01:02:03.123456' AS tm");
        Assert.Equal(["timestamp(3)", "time(3)"], legacy[^1].Json.GetProperty("columns").EnumerateArray().Select(x => x.GetProperty("type").GetString()));
        Assert.Equal("""["2024-01-02 03:04:05.123","01:02:03.123"]""", "[" + string.Join(",", legacy.SelectMany(p => p.Rows).Single().Select(v => v.GetRawText())) + "]");
    }

    private const string TypesQuery = """
        SELECT true AS b, TINYINT '1' AS ti, CAST(2 AS smallint) AS si, 3 AS i, BIGINT '9007199254740993' AS bi, REAL '1.5' AS re,
               DOUBLE '2.25' AS d, nan() AS n, infinity() AS inf, -infinity() AS ninf, DECIMAL '12.340' AS dc,
               CAST(123456789012345678901234567890.5 AS decimal(38,1)) AS big, 'héllo' AS v, CAST('ab' AS char(4)) AS c,
               CAST('ab' AS varchar(10)) AS v10, X'01ff' AS vb, DATE '2024-01-02' AS dt, TIME '03:04:05.123' AS tm,
               TIME '03:04:05.123456789' AS tm9, TIME '03:04:05.123 +05:30' AS tmz, TIMESTAMP '2024-01-02 03:04:05' AS ts0,
               TIMESTAMP '2024-01-02 03:04:05.123456789012' AS ts12, TIMESTAMP '2024-01-02 03:04:05.123 UTC' AS tsz,
               INTERVAL '3 04:05:06.789' DAY TO SECOND AS ids, INTERVAL '1-2' YEAR TO MONTH AS iym, JSON '{"a":[1,2]}' AS j,
               UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59' AS u, IPADDRESS '10.0.0.1' AS ip, ARRAY[1, NULL, 3] AS arr,
               MAP(ARRAY[1, 2], ARRAY['x', 'y']) AS m, CAST(ROW(1, 'x') AS ROW(a integer, b varchar)) AS r,
               ARRAY[ARRAY[DOUBLE '1.5'], ARRAY[nan()]] AS nested, CAST(NULL AS integer) AS nul
        """;

    private static readonly (string Type, string Json)[] ExpectedTypes =
    [
        ("boolean", "true"), ("tinyint", "1"), ("smallint", "2"), ("integer", "3"), ("bigint", "9007199254740993"), ("real", "1.5"),
        ("double", "2.25"), ("double", "\"NaN\""), ("double", "\"Infinity\""), ("double", "\"-Infinity\""), ("decimal(5,3)", "\"12.340\""),
        ("decimal(38,1)", "\"123456789012345678901234567890.5\""), ("varchar", "\"héllo\""), ("char(4)", "\"ab  \""),
        ("varchar(10)", "\"ab\""), ("varbinary", "\"Af8=\""), ("date", "\"2024-01-02\""), ("time(3)", "\"03:04:05.123\""),
        ("time(9)", "\"03:04:05.123456789\""), ("time(3) with time zone", "\"03:04:05.123+05:30\""), ("timestamp(0)", "\"2024-01-02 03:04:05\""),
        ("timestamp(12)", "\"2024-01-02 03:04:05.123456789000\""), ("timestamp(3) with time zone", "\"2024-01-02 03:04:05.123 UTC\""),
        ("interval day to second", "\"3 04:05:06.789\""), ("interval year to month", "\"1-2\""), ("json", "\"{\\\"a\\\":[1,2]}\""),
        ("uuid", "\"12151fd2-7586-11e9-8f9e-2a86e4085a59\""), ("ipaddress", "\"10.0.0.1\""), ("array(integer)", "[1,null,3]"),
        ("map(integer, varchar)", "{\"1\":\"x\",\"2\":\"y\"}"), ("row(a integer, b varchar)", "[1,\"x\"]"),
        ("array(array(double))", "[[1.5],[\"NaN\"]]"), ("integer", "null"),
    ];

    private static JsonElement Column(List<JsonElement> columns, string name) => columns.Single(x => x.GetProperty("name").GetString() == name);

    [Fact]
    public async Task The_presto_dialect_speaks_x_presto_headers_and_the_old_type_signature_spelling()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Presto = true });
        var c = new ProtocolClient(server, "X-Presto-");
        var pages = await c.RunAsync("SELECT CAST(ROW(1, 'x') AS ROW(a integer, b varchar)) AS r, 'v' AS v", ("X-Presto-Catalog", "tpch"));
        var columns = pages[^1].Json.GetProperty("columns").EnumerateArray().ToList();
        var row = Column(columns, "r").GetProperty("typeSignature");
        Assert.Equal("NAMED_TYPE_SIGNATURE", row.GetProperty("arguments")[0].GetProperty("kind").GetString());
        Assert.Equal(["a", "b"], row.GetProperty("literalArguments").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(2, row.GetProperty("typeArguments").GetArrayLength());
        Assert.Equal("LONG_LITERAL", Column(columns, "v").GetProperty("typeSignature").GetProperty("arguments")[0].GetProperty("kind").GetString());
        Assert.Equal("tiny", (await c.RunAsync("USE tpch.tiny"))[^1].Header("X-Presto-Set-Schema"));

        var trinoUser = await c.PostRawAsync("SELECT 1", user: null, extra: [("X-Trino-User", "u")]);
        Assert.Equal(HttpStatusCode.BadRequest, trinoUser.Status);
    }

    [Fact]
    public async Task Required_credentials_are_checked_on_every_request_and_recorded()
    {
        await using var bearer = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { RequiredBearerToken = "s3cret" });
        var c = new ProtocolClient(bearer);
        var refused = await c.PostRawAsync("SELECT 1");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        c.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        Assert.Equal("FINISHED", (await c.RunAsync("SELECT 1"))[^1].State);
        Assert.All(bearer.Requests.Skip(1), r => Assert.Equal("Bearer s3cret", r.Header("Authorization").Single()));
        Assert.Empty(bearer.Requests[0].Header("Authorization"));

        await using var basic = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { RequiredBasic = ("ann", "pw") });
        var b = new ProtocolClient(basic) { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:wrong"))) };
        var wrong = await b.PostRawAsync("SELECT 1");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.StartsWith("Basic", wrong.Headers.WwwAuthenticate.Single().ToString());
        b.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:pw")));
        Assert.Equal("FINISHED", (await b.RunAsync("SELECT 1"))[^1].State);
        var noUserHeader = await b.PostRawAsync("SELECT 1", user: null);
        Assert.Equal(HttpStatusCode.OK, noUserHeader.Status);
        Assert.Equal("ann", basic.Queries[^1].User);
    }

    [Fact]
    public async Task Https_serves_with_a_self_signed_certificate_for_the_loopback_address()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Https = true });
        Assert.Equal("https", server.BaseUri.Scheme);
        var cert = server.Certificate!;
        var c = new ProtocolClient(server, handler: new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.Thumbprint == cert.Thumbprint,
        });
        Assert.Equal("FINISHED", (await c.RunAsync("SELECT 1"))[^1].State);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_storm_of_retryable_statuses_leaves_the_query_where_it_was(int status)
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { MaxRowsPerPage = 7 });
        var c = new ProtocolClient(server);
        var first = await c.PostAsync("SELECT n FROM UNNEST(sequence(1, 30)) AS t(n) ORDER BY n");
        server.Faults.FailNextGets(3, status);
        var pages = await c.FollowAsync(first.NextUri!, retry: true);
        Assert.Equal(Enumerable.Range(1, 30), pages.SelectMany(p => p.Rows).Select(r => r[0].GetInt32()));
        Assert.Equal(3, server.Faults.ConsumedGetFailures);
        Assert.Equal(3, server.Requests.Count(r => r.Status == status));
    }

    [Fact]
    public async Task Throttled_gets_carry_retry_after_and_the_same_uri_is_served_afterwards()
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        var c = new ProtocolClient(server);
        var first = await c.PostAsync("SELECT 42");
        server.Faults.ThrottleNextGets(1, retryAfterSeconds: 7);
        var throttled = await c.GetRawAsync(first.NextUri!);
        Assert.Equal((HttpStatusCode)429, throttled.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), throttled.Headers.RetryAfter!.Delta);
        var pages = await c.FollowAsync(first.NextUri!);
        Assert.Equal(42, pages.SelectMany(p => p.Rows).Single()[0].GetInt32());
    }

    [Fact]
    public async Task A_page_dropped_mid_body_is_served_whole_on_retry_so_nothing_is_lost_or_duplicated()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { MaxRowsPerPage = 100 });
        var c = new ProtocolClient(server);
        var first = await c.PostAsync("SELECT n FROM UNNEST(sequence(1, 1000)) AS t(n) ORDER BY n");
        server.Faults.DropNextDataPages(2);
        var pages = await c.FollowAsync(first.NextUri!, retry: true);
        Assert.Equal(Enumerable.Range(1, 1000), pages.SelectMany(p => p.Rows).Select(r => r[0].GetInt32()));
        Assert.Equal(2, server.Faults.ConsumedDrops);
        Assert.Equal(2, c.TransportFailures);
    }

    [Fact]
    public async Task A_failed_post_starts_no_query_so_a_client_must_not_retry_it_blindly()
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        var c = new ProtocolClient(server);
        server.Faults.FailNextPosts(1, 503);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await c.PostRawAsync("INSERT INTO memory.default.never VALUES (1)")).Status);
        Assert.Empty(server.Queries);
        Assert.Equal(1, server.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(1, server.Faults.ConsumedPostFailures);
    }

    [Fact]
    public async Task Delayed_pages_are_counted_and_still_arrive_whole()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { MaxRowsPerPage = 2, RenderAhead = false });
        var c = new ProtocolClient(server);
        server.Faults.DelayNextDataPages(2, TimeSpan.FromMilliseconds(20));
        var pages = await c.RunAsync("SELECT n FROM UNNEST(sequence(1, 5)) AS t(n) ORDER BY n");
        Assert.Equal([1, 2, 3, 4, 5], pages.SelectMany(p => p.Rows).Select(r => r[0].GetInt32()));
        Assert.Equal(2, server.Faults.ConsumedDelays);
    }

    [Fact]
    public async Task Show_statements_and_information_schema_list_the_catalogs_schemas_tables_and_columns()
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        var c = new ProtocolClient(server);
        Assert.Equal(["memory", "system", "tpch"], await c.StringsAsync("SHOW CATALOGS"));
        Assert.Equal(["information_schema", "tiny"], await c.StringsAsync("SHOW SCHEMAS FROM tpch"));
        Assert.Equal(["nation", "region"], await c.StringsAsync("SHOW TABLES FROM tpch.tiny"));
        Assert.Equal(["nationkey", "name", "regionkey", "comment"], await c.StringsAsync("DESCRIBE tpch.tiny.nation"));
        Assert.Equal(["nation", "region"], await c.StringsAsync("SELECT table_name FROM tpch.information_schema.tables WHERE table_schema = 'tiny' ORDER BY 1"));
        Assert.Equal(25, await c.ScalarAsync("SELECT count(*) FROM nation", ("X-Trino-Catalog", "tpch"), ("X-Trino-Schema", "tiny")));
        Assert.Equal(["AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"], await c.StringsAsync("SELECT name FROM tpch.tiny.region ORDER BY regionkey"));
    }

    [Fact]
    public async Task Queries_running_at_once_each_get_their_own_rows_and_an_unknown_session_catalog_fails_as_in_trino()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { MaxRowsPerPage = 50 });
        var sums = await Task.WhenAll(Enumerable.Range(1, 8).Select(async k =>
        {
            var pages = await new ProtocolClient(server).RunAsync($"SELECT n * {k} FROM UNNEST(sequence(1, 500)) AS t(n)");
            return pages.SelectMany(p => p.Rows).Sum(r => r[0].GetInt64());
        }));
        Assert.Equal(Enumerable.Range(1, 8).Select(k => 125_250L * k), sums);

        var c = new ProtocolClient(server);
        Assert.Equal("CATALOG_NOT_FOUND", (await c.RunAsync("SELECT 1", ("X-Trino-Catalog", "nosuch")))[^1].Json.GetProperty("error").GetProperty("errorName").GetString());
        Assert.Equal("SCHEMA_NOT_FOUND", (await c.RunAsync("SELECT 1", ("X-Trino-Catalog", "tpch"), ("X-Trino-Schema", "nosuch")))[^1].Json.GetProperty("error").GetProperty("errorName").GetString());
    }

    [Fact]
    public async Task Common_trino_sql_runs_through_the_shim_with_trinos_column_names_and_types()
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        var c = new ProtocolClient(server);
        var values = await c.RunAsync("VALUES 1, 2");
        Assert.Equal("_col0", values[^1].Json.GetProperty("columns")[0].GetProperty("name").GetString());
        Assert.Equal([1, 2], values.SelectMany(p => p.Rows).Select(r => r[0].GetInt32()));

        var created = await c.RunAsync("CREATE TABLE memory.default.nums AS SELECT * FROM (VALUES 1, 2) AS t(x)");
        Assert.Equal(("CREATE TABLE", 2L), (created[^1].Json.GetProperty("updateType").GetString(), created[^1].Json.GetProperty("updateCount").GetInt64()));
        Assert.Equal(2, (await c.RunAsync("INSERT INTO memory.default.nums VALUES 3, 4"))[^1].Json.GetProperty("updateCount").GetInt64());

        var summed = await c.RunAsync("SELECT sum(x) AS Total, 7 / 2, x + 1 FROM memory.default.nums GROUP BY x + 1 ORDER BY 3 LIMIT 1");
        var columns = summed[^1].Json.GetProperty("columns").EnumerateArray().Select(x => (x.GetProperty("name").GetString(), x.GetProperty("type").GetString()));
        Assert.Equal([("total", "bigint"), ("_col1", "integer"), ("_col2", "integer")], columns);
        Assert.Equal("[1,3,2]", "[" + string.Join(",", summed.SelectMany(p => p.Rows).Single().Select(v => v.GetRawText())) + "]");
    }

    [Fact]
    public async Task Trino_client_from_npm_reads_the_same_mixed_rows_as_duckdb()
    {
        await using var server = await TrinoProtocolServer.StartAsync();
        await server.ExecuteDuckDbAsync(MixedTable);
        var read = await NodeTrinoClients.ReadRowsAsync("trino", server.BaseUri, "ann", "SELECT * FROM mixed ORDER BY id", "memory", "default", ct: Timeout);
        AssertMixed(read);
        Assert.Equal("ann", server.Requests.First(r => r.Method == "POST").Header("X-Trino-User").Single());
    }

    [Fact]
    public async Task Presto_client_from_npm_reads_the_same_mixed_rows_from_a_presto_dialect_server()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Presto = true });
        await server.ExecuteDuckDbAsync(MixedTable);
        var read = await NodeTrinoClients.ReadRowsAsync("presto", server.BaseUri, "ann", "SELECT * FROM mixed ORDER BY id", "memory", "default", ct: Timeout);
        AssertMixed(read);
        Assert.All(server.Requests, r => Assert.DoesNotContain(r.Headers.Keys, k => k.StartsWith("X-Trino-", StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData("trino", false)]
    [InlineData("presto", true)]
    public async Task Npm_clients_read_a_million_rows_across_many_pages_with_the_count_and_sum_duckdb_gives(string client, bool presto)
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Presto = presto, TargetPageBytes = 256 << 10 });
        var read = await NodeTrinoClients.ReadRowsAsync(client, server.BaseUri, "ann", MillionRows, summary: true, ct: Timeout);
        var (count, sum) = DirectDuckDb("SELECT count(*), sum(a * 1000 + b) FROM range(0, 1000) x(a) CROSS JOIN range(0, 1000) y(b)");
        Assert.False(read.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(count, read.GetProperty("rowCount").GetInt64());
        Assert.Equal(sum, read.GetProperty("firstColumnSum").GetString());
        Assert.True(server.Queries.Single().PagesProduced > 10);
    }

    private const string MixedTable = """
        CREATE TABLE memory."default".mixed (id INTEGER, name VARCHAR, score DOUBLE, price DECIMAL(10,2), day DATE, seen_at TIMESTAMP, ok BOOLEAN, tags VARCHAR[]);
        INSERT INTO memory."default".mixed VALUES
          (1, 'ann', 1.5, 10.25, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.123', true, ['a', 'b']),
          (2, 'bo''b', -0.125, 0.10, DATE '1999-12-31', TIMESTAMP '1999-12-31 23:59:59.999', false, []),
          (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """;

    /// <summary>The mixed table read straight from DuckDB, each value spelled as Trino's JSON encoding spells it
    /// (timestamps at the default precision 3 the npm clients get without PARAMETRIC_DATETIME).</summary>
    private static void AssertMixed(JsonElement read)
    {
        Assert.False(read.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(["id", "name", "score", "price", "day", "seen_at", "ok", "tags"], read.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["integer", "varchar", "double", "decimal(10,2)", "date", "timestamp(3)", "boolean", "array(varchar)"],
            read.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("type").GetString()));
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using (var setup = duck.CreateCommand()) { setup.CommandText = MixedTable.Replace("memory.\"default\".", ""); setup.ExecuteNonQuery(); }
        using var cmd = duck.CreateCommand();
        cmd.CommandText = "SELECT id, name, score, CAST(price AS VARCHAR), strftime(day, '%Y-%m-%d'), strftime(seen_at, '%Y-%m-%d %H:%M:%S.%g'), ok, to_json(tags) FROM mixed ORDER BY id";
        using var r = cmd.ExecuteReader();
        var rows = read.GetProperty("rows").EnumerateArray().ToList();
        var i = 0;
        while (r.Read())
        {
            var expected = new JsonArray(Enumerable.Range(0, 8).Select(c => r.IsDBNull(c) ? null : c == 7 ? JsonNode.Parse(r.GetString(c)) : JsonValue.Create(r.GetValue(c))).ToArray());
            Assert.Equal(expected.ToJsonString(Relaxed), rows[i++].GetRawText());
        }
        Assert.Equal(i, read.GetProperty("rowCount").GetInt32());
    }

    private static readonly JsonSerializerOptions Relaxed = new(JsonSerializerOptions.Default) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static (long Count, string Sum) DirectDuckDb(string sql)
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var cmd = duck.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), Convert.ToString(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)!);
    }

    private static string WithToken(string uri, int delta)
    {
        var slash = uri.LastIndexOf('/');
        return uri[..(slash + 1)] + (int.Parse(uri[(slash + 1)..]) + delta);
    }
}
