using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using KernelGateway.Tests.Fixtures.Spark.Connect;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>
/// The Spark Connect fixture as an independent client sees it: @grpc/grpc-js over h2c with the fixture's .proto, every
/// ArrowBatch decoded by apache-arrow (tests/node/spark-connect.mjs). Expected values come from DuckDB itself or from
/// the test, never from the fixture.
/// </summary>
public sealed class NodeCrossCheckTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    private const string People = "SELECT range AS id, 'person ' || range AS name, range * 1.5 AS score, range % 3 = 0 AS flag FROM range(25)";

    [Fact]
    public async Task Rows_arrive_in_batches_of_the_row_limit_with_exact_counts_and_offsets_and_decode_to_what_DuckDB_holds()
    {
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { MaxRowsPerBatch = 10 });
        await server.ExecuteDuckDbAsync($"CREATE TABLE people AS {People}");

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest("SELECT * FROM people ORDER BY id"), Timeout);

        Assert.Null(run.Error);
        var batches = run.Of("batch");
        Assert.Equal([10, 10, 5], batches.Select(b => b.GetProperty("rowCount").GetInt32()));
        Assert.Equal([10, 10, 5], batches.Select(b => b.GetProperty("decodedRows").GetInt32()));
        Assert.Equal([0, 10, 20], batches.Select(b => b.GetProperty("startOffset").GetInt32()));
        Assert.All(batches, b => Assert.Equal(1, b.GetProperty("batches").GetInt32()));
        var scoreType = await DuckDbScalarAsync($"SELECT column_type FROM (DESCRIBE {People}) WHERE column_name = 'score'");
        Assert.Matches(@"^DECIMAL\(\d+,1\)$", scoreType);
        var arrowDecimal = "Decimal[" + scoreType["DECIMAL(".Length..scoreType.IndexOf(',')] + "e+1]";
        Assert.Equal(["Int64", "Utf8", arrowDecimal, "Bool"], batches[0].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("type").GetString()));
        var rows = batches.SelectMany(b => b.GetProperty("rows").EnumerateArray()).ToList();
        var expected = await DuckDbRowsAsync($"SELECT CAST(id AS VARCHAR), name, CAST(score AS VARCHAR), flag FROM ({People}) ORDER BY id");
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++) AssertJson(expected[i], rows[i]);
        var kinds = run.Lines.Select(l => l.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["schema", "batch", "batch", "batch", "metrics", "end"], kinds);
    }

    [Fact]
    public async Task An_empty_result_is_one_batch_of_zero_rows_that_still_carries_the_schema()
    {
        await using var server = await SparkConnectServer.StartAsync();
        await server.ExecuteDuckDbAsync($"CREATE TABLE people AS {People}");

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest("SELECT id, name FROM people WHERE id < 0"), Timeout);

        var batch = Assert.Single(run.Of("batch"));
        Assert.Equal((0, 0), (batch.GetProperty("rowCount").GetInt32(), batch.GetProperty("decodedRows").GetInt32()));
        Assert.Equal(["id", "name"], batch.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var schema = Assert.Single(run.Of("schema")).GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("data_type").GetProperty("kind").GetString());
        Assert.Equal(["long", "string"], schema);
    }

    [Fact]
    public async Task Every_mapped_type_arrives_as_the_Arrow_type_Spark_uses_with_its_value()
    {
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { TimeZone = "America/New_York" });
        const string sql = """
            SELECT CAST(1 AS TINYINT) a, CAST(2 AS SMALLINT) b, 3 c, CAST(4 AS BIGINT) d, CAST(1.5 AS FLOAT) e, CAST(2.25 AS DOUBLE) f,
              CAST(12.34 AS DECIMAL(10,2)) g, 'text ☃' h, X'00FF' i, DATE '2024-01-02' j, TIMESTAMP '2024-01-02 03:04:05.123456' k,
              TIMESTAMP_NTZ '2024-01-02 03:04:05.5' l, true m, CAST(NULL AS INT) n, ARRAY(1, NULL, 3) o, named_struct('x', 1, 'y', 'z') p,
              map('k', 7) q, INTERVAL '1 02:00:00' DAY TO SECOND r, CAST('123456789012345678901234567890.12' AS DECIMAL(38,2)) s
            """;

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest(sql), Timeout);

        Assert.Null(run.Error);
        var batch = Assert.Single(run.Of("batch"));
        var types = batch.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("type").GetString()).ToList();
        Assert.Equal(["Int8", "Int16", "Int32", "Int64", "Float32", "Float64", "Decimal[10e+2]", "Utf8", "Binary", "Date32<DAY>",
            "Timestamp<MICROSECOND, America/New_York>", "Timestamp<MICROSECOND>", "Bool", "Int32", "List<Int32>", "Struct<{x:Int32, y:Utf8}>",
            "Map<{key:Utf8, value:Int32}>", "Duration<MICROSECOND>", "Decimal[38e+2]"], types);
        var wallClockInNewYork = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)).AddTicks(1_234_560);
        var expected = new object?[]
        {
            1, 2, 3, "4", 1.5, 2.25, "12.34", "text ☃", "00ff", DateOnly.Parse("2024-01-02", CultureInfo.InvariantCulture).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber,
            Micros(wallClockInNewYork.UtcDateTime).ToString(CultureInfo.InvariantCulture), Micros(new DateTime(2024, 1, 2, 3, 4, 5, 500)).ToString(CultureInfo.InvariantCulture), true, null, new object?[] { 1, null, 3 },
            new Dictionary<string, object> { ["x"] = 1, ["y"] = "z" }, new[] { new object[] { "k", 7 } }, (26L * 3600 * 1_000_000).ToString(CultureInfo.InvariantCulture),
            "123456789012345678901234567890.12",
        };
        AssertJson(JsonSerializer.Serialize(new[] { expected }), batch.GetProperty("rows"));
        var schema = Assert.Single(run.Of("schema")).GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("data_type").GetProperty("kind").GetString());
        Assert.Equal(["byte", "short", "integer", "long", "float", "double", "decimal", "string", "binary", "date", "timestamp", "timestamp_ntz", "boolean",
            "integer", "array", "struct", "map", "day_time_interval", "decimal"], schema);
    }

    [Fact]
    public async Task Spark_SQL_spellings_reach_DuckDB_as_the_same_values()
    {
        await using var server = await SparkConnectServer.StartAsync();
        await server.ExecuteDuckDbAsync("CREATE TABLE t AS SELECT 5 AS \"weird col\"");
        const string sql = """
            SELECT `weird col` AS `a``b`, "double" AS d, 'it\'s' ' joined' AS s, r'raw\n' AS raw, CAST('7' AS LONG) AS l,
              CAST(1 AS STRING) AS str, CAST(array(1, 2) AS ARRAY<LONG>) AS arr, '1.5'::DECIMAL(4,2) AS dec, -- a comment with :fake
              ':not_a_marker' AS text, :real AS p, TIMESTAMP_NTZ '2024-01-01 00:00:00' AS ntz, X'CAFE' AS bin, 10L + 2S + 1Y AS sum, 2.50BD AS bd, NULL <=> NULL AS ns
            FROM default.t /* :x */ WHERE `weird col` = :real
            """;
        var request = new NodeSparkRequest(sql) { Arguments = new Dictionary<string, object> { ["real"] = new { integer = 5 } } };

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, request, Timeout);

        Assert.Null(run.Error);
        var batch = Assert.Single(run.Of("batch"));
        Assert.Equal(["a`b", "d", "s", "raw", "l", "str", "arr", "dec", "text", "p", "ntz", "bin", "sum", "bd", "ns"],
            batch.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(["Int32", "Utf8", "Utf8", "Utf8", "Int64", "Utf8", "List<Int64>", "Decimal[4e+2]", "Utf8", "Int32", "Timestamp<MICROSECOND>", "Binary", "Int64", "Decimal[3e+2]", "Bool"],
            batch.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("type").GetString()));
        var micros = (new DateTime(2024, 1, 1).Ticks - DateTime.UnixEpoch.Ticks) / 10;
        AssertJson(JsonSerializer.Serialize(new object[] { new object[] { 5, "double", "it's joined", "raw\\n", "7", "1", new[] { "1", "2" }, "1.50", ":not_a_marker", 5,
            micros.ToString(CultureInfo.InvariantCulture), "cafe", "13", "2.50", true } }), batch.GetProperty("rows"));
        Assert.Equal(5, Assert.Single(server.Executions).NamedArguments["real"]);
    }

    [Theory]
    [InlineData("SELECT `id`,\n       nope_col\nFROM people", "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `nope_col` cannot be resolved. Did you mean one of the following? [`id`]. SQLSTATE: 42703; line 2 pos 7")]
    [InlineData("SELECT 'x'\nFROM FROM people", "[PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM'. SQLSTATE: 42601 (line 2, pos 5)\n\n== SQL ==\nSELECT 'x'\nFROM FROM people\n-----^^^\n")]
    public async Task Error_messages_point_at_the_line_and_position_of_the_SQL_as_sent(string sql, string message)
    {
        await using var server = await SparkConnectServer.StartAsync();
        await server.ExecuteDuckDbAsync("CREATE TABLE people (id INTEGER)");

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest(sql.Replace("\\n", "\n")), Timeout);

        Assert.Equal(message.Replace("\\n", "\n"), run.Error!.Value.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_named_parameter_arrives_as_an_argument_and_never_in_the_query_text()
    {
        await using var server = await SparkConnectServer.StartAsync();
        await server.ExecuteDuckDbAsync("CREATE TABLE x AS SELECT 1 AS id");
        const string hostile = "'; drop table x; --";
        var request = new NodeSparkRequest("SELECT :name AS echoed, count(*) AS n FROM x WHERE id = :id")
        {
            Arguments = new Dictionary<string, object> { ["name"] = new { @string = hostile }, ["id"] = new { integer = 1 } },
        };

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, request, Timeout);

        Assert.Null(run.Error);
        AssertJson(JsonSerializer.Serialize(new[] { new[] { hostile, "1" } }), Assert.Single(run.Of("batch")).GetProperty("rows"));
        var execution = Assert.Single(server.Executions);
        Assert.Equal("SELECT :name AS echoed, count(*) AS n FROM x WHERE id = :id", execution.Query);
        Assert.DoesNotContain("drop", execution.ExecutedSql!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(hostile, execution.NamedArguments["name"]);
        Assert.Equal(1, execution.NamedArguments["id"]);
        var still = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest("SELECT count(*) FROM x"), Timeout);
        Assert.Null(still.Error);
    }

    [Fact]
    public async Task Positional_parameters_bind_in_order()
    {
        await using var server = await SparkConnectServer.StartAsync();
        var request = new NodeSparkRequest("SELECT ? AS a, ? AS b") { PositionalArguments = [new { @long = "7" }, new { @string = "seven" }] };

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, request, Timeout);

        Assert.Equal("[[\"7\",\"seven\"]]", Assert.Single(run.Of("batch")).GetProperty("rows").GetRawText());
        Assert.Equal([7L, "seven"], Assert.Single(server.Executions).PositionalArguments);
    }

    [Theory]
    [InlineData("SELECT * FROM no_such_table", "TABLE_OR_VIEW_NOT_FOUND", "42P01", "org.apache.spark.sql.catalyst.ExtendedAnalysisException", "{\"relationName\":\"`no_such_table`\"}")]
    [InlineData("SELEC 1", "PARSE_SYNTAX_ERROR", "42601", "org.apache.spark.sql.catalyst.parser.ParseException", "{\"error\":\"'SELEC'\",\"hint\":\"\"}")]
    [InlineData("SELECT idd FROM people", "UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703", "org.apache.spark.sql.catalyst.ExtendedAnalysisException", "{\"objectName\":\"`idd`\",\"proposal\":\"`id`\"}")]
    [InlineData("SELECT :missing", "UNBOUND_SQL_PARAMETER", "42P02", "org.apache.spark.sql.AnalysisException", "{\"name\":\"missing\"}")]
    public async Task A_failing_query_ends_with_status_INTERNAL_and_Sparks_ErrorInfo(string sql, string errorClass, string sqlState, string reason, string parameters)
    {
        await using var server = await SparkConnectServer.StartAsync();
        await server.ExecuteDuckDbAsync("CREATE TABLE people (id INTEGER)");

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest(sql), Timeout);

        var error = run.Error ?? throw new Xunit.Sdk.XunitException("no error: " + string.Join("\n", run.Lines));
        Assert.Equal("INTERNAL", error.GetProperty("codeName").GetString());
        Assert.StartsWith($"[{errorClass}] ", error.GetProperty("message").GetString());
        Assert.Contains($" SQLSTATE: {sqlState}", error.GetProperty("message").GetString());
        Assert.Equal((reason, "org.apache.spark"), (error.GetProperty("reason").GetString(), error.GetProperty("domain").GetString()));
        var metadata = error.GetProperty("metadata");
        Assert.Equal((errorClass, sqlState, parameters), (metadata.GetProperty("errorClass").GetString(), metadata.GetProperty("sqlState").GetString(),
            metadata.GetProperty("messageParameters").GetString()));
        Assert.True(Guid.TryParse(metadata.GetProperty("errorId").GetString(), out _));
        Assert.Equal(reason, JsonDocument.Parse(metadata.GetProperty("classes").GetString()!).RootElement[0].GetString());
        Assert.Empty(run.Of("batch"));
    }

    [Fact]
    public async Task An_interrupted_query_ends_with_OPERATION_CANCELED_and_the_interrupt_names_it()
    {
        await using var server = await SparkConnectServer.StartAsync();
        var hold = server.Faults.HoldAfter(1);
        var operation = Guid.NewGuid().ToString();

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest("SELECT * FROM range(1000000)") { OperationId = operation, InterruptAfter = 1 }, Timeout);

        Assert.Equal(operation, await hold.Reached);
        var interrupt = await server.WaitForInterruptAsync(Timeout);
        Assert.Equal(("OPERATION_ID", operation), (interrupt.Type, interrupt.OperationId));
        Assert.Equal([operation], interrupt.InterruptedIds);
        Assert.Equal([operation], Assert.Single(run.Of("interrupt")).GetProperty("interruptedIds").EnumerateArray().Select(x => x.GetString()));
        var error = run.Error!.Value;
        Assert.Equal(("INTERNAL", "OPERATION_CANCELED", "HY008"), (error.GetProperty("codeName").GetString(),
            error.GetProperty("metadata").GetProperty("errorClass").GetString(), error.GetProperty("metadata").GetProperty("sqlState").GetString()));
        Assert.Equal("CANCELED", (await server.WaitForExecutionEndAsync(operation, Timeout)).State);
    }

    [Theory]
    [InlineData(StreamDrop.ResetStream, "INTERNAL")]
    [InlineData(StreamDrop.CloseConnection, "UNAVAILABLE")]
    public async Task After_a_dropped_stream_ReattachExecute_delivers_the_rest_once(StreamDrop how, string seen)
    {
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { MaxRowsPerBatch = 100 });
        server.Faults.DropStreamAfter(3, how);
        var operation = Guid.NewGuid().ToString();

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest("SELECT range AS n FROM range(1000)") { Reattachable = true, OperationId = operation }, Timeout);

        Assert.Null(run.Error);
        var reattach = Assert.Single(run.Of("reattach"));
        Assert.Equal(seen, reattach.GetProperty("after").GetString());
        var batches = run.Of("batch");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 100), batches.Select(b => b.GetProperty("startOffset").GetInt32()));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i.ToString(CultureInfo.InvariantCulture)),
            batches.SelectMany(b => b.GetProperty("rows").EnumerateArray()).Select(r => r[0].GetString()));
        var ids = run.Lines.Where(l => l.TryGetProperty("responseId", out _)).Select(l => l.GetProperty("responseId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Single(run.Of("result_complete"));
        var recorded = await server.WaitForReattachAsync(r => r.OperationId == operation, Timeout);
        Assert.Equal((reattach.GetProperty("lastResponseId").GetString(), (string?)null), (recorded.LastResponseId, recorded.ErrorClass));
        var release = await server.WaitForReleaseAsync(r => r.OperationId == operation, Timeout);
        Assert.True(release.All && release.Found);
    }

    [Fact]
    public async Task A_million_rows_stream_in_many_batches_and_sum_to_what_DuckDB_computes()
    {
        await using var server = await SparkConnectServer.StartAsync();
        const string sql = "SELECT range * 7 AS n, 'row ' || range AS label FROM range(1000000)";

        var run = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest(sql) { Summary = true }, Timeout);

        Assert.Null(run.Error);
        var batches = run.Of("batch");
        Assert.Equal(100, batches.Count);
        Assert.All(batches, b => Assert.Equal(b.GetProperty("rowCount").GetInt32(), b.GetProperty("decodedRows").GetInt32()));
        Assert.Equal(1_000_000, batches.Sum(b => b.GetProperty("rowCount").GetInt32()));
        var expected = (await DuckDbRowsAsync("SELECT CAST(sum(range * 7) AS VARCHAR) FROM range(1000000)"))[0];
        Assert.Equal(expected, $"[{JsonSerializer.Serialize(Assert.Single(run.Of("summary")).GetProperty("firstColumnSum").GetString())}]");
    }

    [Fact]
    public async Task A_SqlCommand_query_answers_its_relation_and_a_command_runs_at_once_with_its_rows_as_a_local_relation()
    {
        await using var server = await SparkConnectServer.StartAsync();

        var created = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest("CREATE TABLE made AS SELECT 42 AS answer") { Command = true }, Timeout);
        var query = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest("SELECT answer FROM made WHERE answer = :a")
        {
            Command = true, Arguments = new Dictionary<string, object> { ["a"] = new { integer = 42 } },
        }, Timeout);
        var shown = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest("SHOW TABLES") { Command = true }, Timeout);

        var local = Assert.Single(created.Of("sql_command_result")).GetProperty("relation").GetProperty("local_relation");
        Assert.Equal((0, 0), (local.GetProperty("decodedRows").GetInt32(), local.GetProperty("fields").GetArrayLength()));
        var sql = Assert.Single(query.Of("sql_command_result")).GetProperty("relation").GetProperty("sql");
        Assert.Equal("SELECT answer FROM made WHERE answer = :a", sql.GetProperty("query").GetString());
        Assert.True(sql.GetProperty("named_arguments").TryGetProperty("a", out _));
        var tables = Assert.Single(shown.Of("sql_command_result")).GetProperty("relation").GetProperty("local_relation");
        Assert.Contains("\"made\"", tables.GetProperty("rows").GetRawText());
        Assert.All([created, query, shown], r => Assert.Equal(["sql_command_result", "metrics", "end"], r.Lines.Select(l => l.GetProperty("kind").GetString())));
    }

    [Fact]
    public async Task Over_TLS_with_a_required_token_the_call_succeeds_and_without_the_token_it_is_UNAUTHENTICATED()
    {
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { UseTls = true, RequiredToken = "s3cret" });
        var ca = Path.Combine(Path.GetTempPath(), $"kg-spark-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(ca, server.Certificate!.ExportCertificatePem());
        try
        {
            var ok = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest("SELECT 1 AS one") { CaFile = ca, Token = "s3cret" }, Timeout);
            var refused = await NodeSparkClients.ExecuteAsync(server.Uri, new NodeSparkRequest("SELECT 1 AS one") { CaFile = ca }, Timeout);

            Assert.Null(ok.Error);
            Assert.Equal("[[1]]", Assert.Single(ok.Of("batch")).GetProperty("rows").GetRawText());
            Assert.Equal(("UNAUTHENTICATED", "No authentication token provided"), (refused.Error!.Value.GetProperty("codeName").GetString(),
                refused.Error!.Value.GetProperty("message").GetString()));
            Assert.StartsWith("sc://127.0.0.1:", server.ConnectionString);
            Assert.EndsWith(";use_ssl=true;token=s3cret", server.ConnectionString);
            Assert.Equal("Bearer s3cret", server.Calls.First(c => c.Method == "ExecutePlan").Header("authorization"));
        }
        finally
        {
            File.Delete(ca);
        }
    }

    private static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.GetRawText())), $"expected {expected}\nactual   {actual.GetRawText()}");

    private static async Task<string> DuckDbScalarAsync(string sql)
    {
        await using var c = new DuckDBConnection("DataSource=:memory:");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }

    private static long Micros(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>Rows of <paramref name="sql"/> run on a DuckDB of the test's own, each as the JSON array spark-connect.mjs prints.</summary>
    private static async Task<List<string>> DuckDbRowsAsync(string sql)
    {
        await using var c = new DuckDBConnection("DataSource=:memory:");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync())
        {
            var cells = Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? null : r.GetValue(i) switch
            {
                long l => (object)l.ToString(CultureInfo.InvariantCulture),
                decimal m => m.ToString(CultureInfo.InvariantCulture),
                var v => v,
            });
            rows.Add(JsonSerializer.Serialize(cells));
        }
        return rows;
    }
}
