using Apache.Arrow;
using Apache.Arrow.Types;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Sql;
using Microsoft.Data.Analysis;
using static KernelGateway.Platform.Spark.Connect.Functions;
using static KernelGateway.Platform.Tests.Spark.SparkServer;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>The Spark Connect client against the protocol fixture, or a real server with KG_TEST_SPARK_CONNECT_URL.</summary>
public sealed class SparkConnectClientTests(SparkServer server) : IClassFixture<SparkServer>
{
    private sealed record NumberRow(long Id, string S);

    [Fact]
    public async Task A_result_of_several_batches_arrives_whole_in_a_dataframe_with_the_values_duckdb_computes()
    {
        await using var client = server.NewClient();
        const string sql = $"SELECT id, k, x, s, d FROM {Numbers} WHERE id < 25000 ORDER BY id";
        var frame = await client.QueryDataFrameAsync(sql, cancellationToken: Soon);
        Assert.Equal(["id", "k", "x", "s", "d"], frame.Columns.Select(c => c.Name));
        Assert.Equal(await DuckDbExpectation.RowsAsync(sql), Rows(frame));
        await using var execution = client.Execute(sql, cancellationToken: Soon);
        var batches = 0;
        await foreach (var batch in execution.ReadBatchesAsync(Soon)) using (batch) batches++;
        Assert.True(batches > 1, $"{batches} batch(es)");
        Assert.Equal(25000, execution.RowsReceived);
        Assert.Equal("FINISHED", execution.State);
    }

    [Fact]
    public async Task A_hundred_thousand_rows_stream_through_many_batches_with_nothing_lost()
    {
        await using var client = server.NewClient();
        await using var execution = client.Execute($"SELECT id FROM {Numbers}", cancellationToken: Soon);
        long rows = 0, sum = 0;
        var batches = 0;
        await foreach (var batch in execution.ReadBatchesAsync(Soon))
        {
            using (batch)
            {
                batches++;
                var ids = (Int64Array)batch.Column(0);
                for (var i = 0; i < ids.Length; i++) sum += ids.GetValue(i)!.Value;
                rows += batch.Length;
            }
        }
        Assert.Equal(NumberRows, rows);
        Assert.Equal((long)NumberRows * (NumberRows - 1) / 2, sum);
        Assert.True(batches >= 10, $"{batches} batches");
        Assert.Equal(NumberRows, execution.RowsReceived);
    }

    [Fact]
    public async Task An_empty_result_keeps_its_columns()
    {
        await using var client = server.NewClient();
        var frame = await client.QueryDataFrameAsync($"SELECT id, s FROM {Numbers} WHERE id < 0", cancellationToken: Soon);
        Assert.Equal(["id", "s"], frame.Columns.Select(c => c.Name));
        Assert.Equal(0, frame.Rows.Count);
        await using var execution = client.Execute($"SELECT id, s FROM {Numbers} WHERE id < 0", cancellationToken: Soon);
        Assert.Equal(0, await execution.CountRowsAsync(Soon));
        Assert.Equal([ArrowTypeId.Int64, ArrowTypeId.String], (await execution.GetSchemaAsync(Soon)).FieldsList.Select(f => f.DataType.TypeId));
    }

    [Fact]
    public async Task Parameters_are_bound_as_arguments_and_never_reach_the_query_text()
    {
        const string evil = $"'; drop table {Numbers}; --";
        await using var client = server.NewClient();
        const string sql = $"SELECT count(*) AS n FROM {Numbers} WHERE s = :s OR id = @id";
        await using var execution = client.Execute(sql, new { s = evil, id = 41L }, cancellationToken: Soon);
        var frame = await Warehouse.ArrowFrames.LoadAsync(execution.ReadBatchesAsync(Soon), Soon);
        Assert.Equal(1L, frame.Columns["n"][0]);
        Assert.Equal([42L], await client.QueryAsync<long>($"SELECT id FROM {Numbers} WHERE s = ?", new object[] { "n42" }, Soon));
        Assert.Equal(NumberRows, (await client.QueryAsync<long>($"SELECT count(*) FROM {Numbers}", cancellationToken: Soon)).Single());
        if (server.Fixture is not { } fixture) return;
        var recorded = fixture.Executions.Single(e => e.OperationId == execution.OperationId);
        Assert.Equal($"SELECT count(*) AS n FROM {Numbers} WHERE s = :s OR id = :id", recorded.Query);
        Assert.DoesNotContain("drop", recorded.Query!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(evil, recorded.NamedArguments["s"]);
        Assert.Equal(41L, recorded.NamedArguments["id"]);
    }

    [Fact]
    public async Task Parameters_of_every_kind_come_back_as_they_went()
    {
        await using var client = server.NewClient();
        var instant = new DateTimeOffset(2024, 3, 1, 12, 30, 45, TimeSpan.FromHours(2)).AddTicks(1234560);
        var values = new Dictionary<string, object?>
        {
            ["i"] = 42, ["l"] = 1L << 40, ["sh"] = (short)-7, ["f"] = 1.5f, ["x"] = 2.25, ["m"] = 12.34m, ["b"] = true, ["s"] = "héllo",
            ["day"] = new DateOnly(2024, 2, 29), ["at"] = instant, ["utc"] = instant.UtcDateTime, ["wall"] = new DateTime(2024, 3, 1, 8, 0, 0, DateTimeKind.Unspecified),
            ["span"] = TimeSpan.FromMinutes(90), ["bytes"] = new byte[] { 1, 2, 255 }, ["none"] = null, ["ids"] = new[] { 3L, 1L, 2L },
        };
        var sql = "SELECT " + string.Join(", ", values.Keys.Select(k => $":{k} AS {k}"));
        await using var execution = client.Execute(sql, values, cancellationToken: Soon);
        await foreach (var batch in execution.ReadBatchesAsync(Soon))
        {
            using (batch)
            {
                Assert.Equal(1, batch.Length);
                object? Value(string name) => Warehouse.ArrowDataReader.Value(batch.Column(batch.Schema.GetFieldIndex(name)), 0);
                Assert.Equal((42, 1L << 40, (short)-7, 1.5f, 2.25, 12.34m, true, "héllo"), ((int)Value("i")!, (long)Value("l")!, (short)Value("sh")!, (float)Value("f")!, (double)Value("x")!, (decimal)Value("m")!, (bool)Value("b")!, (string)Value("s")!));
                Assert.Equal(new DateOnly(2024, 2, 29), Value("day"));
                Assert.Equal(instant, (DateTimeOffset)Value("at")!);
                Assert.Equal(instant, (DateTimeOffset)Value("utc")!);
                Assert.Equal(new DateTime(2024, 3, 1, 8, 0, 0), Value("wall"));
                Assert.Equal(TimeSpan.FromMinutes(90), Value("span"));
                Assert.Equal(new byte[] { 1, 2, 255 }, Value("bytes"));
                Assert.Null(Value("none"));
                Assert.Equal(new object?[] { 3L, 1L, 2L }, Value("ids"));
                Assert.Equal([ArrowTypeId.Int32, ArrowTypeId.Int64, ArrowTypeId.Int16, ArrowTypeId.Float, ArrowTypeId.Double, ArrowTypeId.Decimal128, ArrowTypeId.Boolean, ArrowTypeId.String, ArrowTypeId.Date32, ArrowTypeId.Timestamp, ArrowTypeId.Timestamp, ArrowTypeId.Timestamp, ArrowTypeId.Duration, ArrowTypeId.Binary],
                    batch.Schema.FieldsList.Take(14).Select(f => f.DataType.TypeId));
                Assert.Null(((TimestampType)batch.Schema.GetFieldByName("wall").DataType).Timezone);
                Assert.NotNull(((TimestampType)batch.Schema.GetFieldByName("at").DataType).Timezone);
            }
        }
    }

    [Fact]
    public async Task Bad_sql_fails_with_sparks_error_class_sqlstate_and_where_it_is()
    {
        await using var client = server.NewClient();
        const string sql = "SELECT 1\n  FRM nothing";
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => client.QueryDataFrameAsync(sql, cancellationToken: Soon));
        Assert.Equal(("PARSE_SYNTAX_ERROR", "42601", Grpc.Core.StatusCode.Internal), (e.ErrorClass, e.SqlState, e.StatusCode));
        Assert.StartsWith("[PARSE_SYNTAX_ERROR]", e.ServerMessage);
        var failure = QueryFailure.From(e, sql)!;
        Assert.Equal("PARSE_SYNTAX_ERROR", failure.Code);
        Assert.Equal(2, failure.Line);
        Assert.NotNull(failure.Column);

        var missing = await Assert.ThrowsAsync<SparkConnectException>(() => client.ExecuteAsync("SELECT * FROM kg_no_such_table", cancellationToken: Soon));
        Assert.Equal(("TABLE_OR_VIEW_NOT_FOUND", "42P01"), (missing.ErrorClass, missing.SqlState));
        Assert.Contains("kg_no_such_table", missing.MessageParameters["relationName"]);
        Assert.NotNull(missing.ErrorId);
        Assert.NotEmpty(missing.Errors); // FetchErrorDetails answered
    }

    [Fact]
    public async Task The_schema_and_version_come_from_analyze_plan_without_running_anything()
    {
        await using var client = server.NewClient();
        var schema = await client.SchemaAsync($"SELECT id, s, d FROM {Numbers} WHERE id = :id", new { id = 1L }, Soon);
        Assert.Equal(["id", "s", "d"], schema.FieldsList.Select(f => f.Name));
        Assert.Equal([ArrowTypeId.Int64, ArrowTypeId.String, ArrowTypeId.Date32], schema.FieldsList.Select(f => f.DataType.TypeId));
        var version = await client.VersionAsync(Soon);
        Assert.Matches(@"^\d+\.\d+", version);
        if (server.Fixture is { } fixture)
        {
            Assert.Equal(fixture.Options.SparkVersion, version);
            Assert.DoesNotContain(fixture.Executions, e => e.SessionId == client.SessionId);
        }
        Assert.Contains("Plan", await client.ExplainAsync($"SELECT id FROM {Numbers}", SparkExplainMode.Extended, Soon), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Configuration_is_set_read_listed_and_unset_per_session()
    {
        await using var client = server.NewClient();
        await client.SetConfigAsync([KeyValuePair.Create("spark.kg.test.a", "1"), KeyValuePair.Create("spark.kg.test.b", "two")], Soon);
        Assert.Equal("1", await client.GetConfigAsync("spark.kg.test.a", Soon));
        Assert.Equal(new Dictionary<string, string?> { ["spark.kg.test.a"] = "1", ["spark.kg.test.b"] = "two" }, await client.GetConfigAsync(["spark.kg.test.a", "spark.kg.test.b"], Soon));
        var all = await client.GetAllConfigAsync("spark.kg.test.", Soon);
        Assert.Equal("two", all.Single(p => p.Key.EndsWith("b", StringComparison.Ordinal)).Value);
        await client.UnsetConfigAsync("spark.kg.test.a", Soon);
        var unset = await Assert.ThrowsAsync<SparkConnectException>(() => client.GetConfigAsync("spark.kg.test.a", Soon));
        Assert.Equal("SQL_CONF_NOT_FOUND", unset.ErrorClass);
        await using var other = server.NewClient();
        await Assert.ThrowsAsync<SparkConnectException>(() => other.GetConfigAsync("spark.kg.test.b", Soon));
    }

    [Fact]
    public async Task The_typed_api_runs_filters_groups_and_orders_on_the_server()
    {
        await using var client = server.NewClient();
        var frame = client.Table(Numbers).Where(Col("id") < 1000 & Col("k") != 3).GroupBy("k").Agg(Sum("x").Alias("total"), Count("*").Alias("n"), Max(Col("s")).Alias("top")).OrderBy(Col("k").Desc());
        var expected = await DuckDbExpectation.RowsAsync($"SELECT k, sum(x) AS total, count(*) AS n, max(s) AS top FROM {Numbers} WHERE id < 1000 AND k <> 3 GROUP BY k ORDER BY k DESC");
        var result = await frame.ToDataFrameAsync(Soon);
        Assert.Equal(["k", "total", "n", "top"], result.Columns.Select(c => c.Name));
        Assert.Equal(expected, Rows(result));
        Assert.Equal(["k", "total", "n", "top"], (await frame.SchemaAsync(Soon)).FieldsList.Select(f => f.Name));
        Assert.Equal(["id", "k", "x", "s", "d"], client.Table(Numbers).Schema.FieldsList.Select(f => f.Name));
        Assert.Equal(6, await frame.CountAsync(Soon));
        Assert.Equal(143, await client.Table(Numbers).Where("id < 1000 AND k = 3").CountAsync(Soon));
        var rows = await client.Table(Numbers).Select("id", "s").Where(Col("id") >= 10).OrderBy(Col("id")).Limit(3).CollectAsync<NumberRow>(Soon);
        Assert.Equal([new NumberRow(10, "n10"), new NumberRow(11, "n11"), new NumberRow(12, "n12")], rows);
        var sql = await client.Sql($"SELECT id FROM {Numbers} WHERE k = :k", new { k = 2L }).Where(Col("id") < 20).CollectAsync<long>(Soon);
        Assert.Equal([2L, 9, 16], sql.Order());
    }

    [Fact]
    public async Task Statements_run_to_their_end_and_what_they_make_is_there_for_the_next_ones()
    {
        await using var client = server.NewClient();
        var table = "kg_t_" + Guid.NewGuid().ToString("N")[..8];
        await client.ExecuteAsync($"CREATE TABLE {table} (id BIGINT, name STRING)", cancellationToken: Soon);
        await client.ExecuteAsync($"INSERT INTO {table} VALUES (:id, :name)", new { id = 7L, name = "seven" }, Soon);
        Assert.Equal(["seven"], await client.QueryAsync<string>($"SELECT name FROM {table} WHERE id = 7", cancellationToken: Soon));
        await client.ExecuteAsync($"DROP TABLE {table}", cancellationToken: Soon);
        Assert.Equal("TABLE_OR_VIEW_NOT_FOUND", (await Assert.ThrowsAsync<SparkConnectException>(() => client.ExecuteAsync($"SELECT * FROM {table}", cancellationToken: Soon))).ErrorClass);
    }

    [SkippableFact]
    public async Task A_temporary_view_lives_in_its_session_only()
    {
        // The fixture runs each statement on its own DuckDB connection, where a temporary view dies with the statement;
        // in Spark a session's temporary views last as long as the session (see the report of the client's branch).
        Skip.IfNot(server.Live, "the fixture does not keep temporary views between the statements of a session");
        await using var client = server.NewClient();
        var view = "kg_v_" + Guid.NewGuid().ToString("N")[..8];
        await client.ExecuteAsync($"CREATE TEMPORARY VIEW {view} AS SELECT id FROM {Numbers} WHERE id < 3", cancellationToken: Soon);
        Assert.Equal([0L, 1, 2], (await client.QueryAsync<long>($"SELECT id FROM {view}", cancellationToken: Soon)).Order());
        await using var other = server.NewClient();
        Assert.Equal("TABLE_OR_VIEW_NOT_FOUND", (await Assert.ThrowsAsync<SparkConnectException>(() => other.ExecuteAsync($"SELECT * FROM {view}", cancellationToken: Soon))).ErrorClass);
    }

    [SkippableFact]
    public async Task Show_returns_sparks_own_text_table()
    {
        Skip.IfNot(server.Live, "the fixture does not serve the show_string relation");
        await using var client = server.NewClient();
        var text = await client.Table(Numbers).Select("id", "s").OrderBy("id").Limit(2).ShowAsync(cancellationToken: Soon);
        Assert.Equal("+---+---+\n| id|  s|\n+---+---+\n|  0| n0|\n|  1| n1|\n+---+---+\n", text);
    }

    [Fact]
    public async Task Releasing_the_session_ends_the_client()
    {
        var client = server.NewClient();
        await client.ExecuteAsync("SELECT 1", cancellationToken: Soon);
        await client.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.VersionAsync(Soon));
        if (server.Fixture is { } fixture) await fixture.WaitForSessionReleaseAsync(client.SessionId, Soon);
    }

    [Fact]
    public async Task Named_connections_have_one_session_each_released_when_they_are_disposed()
    {
        var registry = new Warehouse.ConnectionRegistry();
        registry.Add(new Warehouse.ConnectionSpec { Name = "spark", Kind = "spark", ConnectionString = server.ConnectionString });
        registry.Add(new Warehouse.ConnectionSpec { Name = "other", Kind = "spark", ConnectionString = server.ConnectionString });
        var connections = new SparkConnections(registry);
        var first = connections.Default;
        var other = connections["other"];
        Assert.Same(first, connections["spark"]);
        Assert.NotEqual(first.SessionId, other.SessionId);
        Assert.Equal([NumberRows], await connections.QueryAsync<long>($"SELECT count(*) FROM {Numbers}", cancellationToken: Soon));
        Assert.Throws<ArgumentException>(() => connections.Get(registry.Get("warehouse")));
        await connections.DisposeAsync();
        if (server.Fixture is { } fixture)
        {
            await fixture.WaitForSessionReleaseAsync(first.SessionId, Soon);
            await fixture.WaitForSessionReleaseAsync(other.SessionId, Soon);
        }
    }

    /// <summary>A DataFrame's rows as <see cref="DuckDbExpectation.Text"/> joins them.</summary>
    private static List<string> Rows(DataFrame frame) =>
        Enumerable.Range(0, (int)frame.Rows.Count).Select(r => string.Join('|', frame.Columns.Select(c => DuckDbExpectation.Text(c[r])))).ToList();
}
