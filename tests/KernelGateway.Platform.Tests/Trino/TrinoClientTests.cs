using System.Net;
using KernelGateway.Platform.Sql;
using KernelGateway.Platform.Trino;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Tests.Trino;

/// <summary>Our Trino client against the protocol server (or a real Trino with KG_TEST_TRINO_URL).</summary>
public sealed class TrinoClientTests(TrinoServer server) : IClassFixture<TrinoServer>
{
    private static CancellationToken Soon => new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Fact]
    public async Task A_million_rows_stream_through_in_pages_with_nothing_lost_or_duplicated()
    {
        using var client = server.NewClient();
        await using var query = client.Submit(TrinoSql.MillionRows, cancellationToken: Soon);
        long count = 0, sum = 0;
        var pages = 0;
        await foreach (var page in query.ReadPagesAsync(Soon))
        {
            pages++;
            foreach (var row in page.Rows)
            {
                count++;
                sum += (long)row[0]!;
            }
        }
        Assert.Equal(1_000_000, count);
        Assert.Equal(TrinoSql.MillionRowsSum, sum);
        Assert.True(pages > 1, $"{pages} page(s)");
        Assert.Equal("bigint", Assert.Single(query.Columns!).Type.DisplayName);
        Assert.Matches(@"^\d{8}_\d{6}_\d{5}_[a-z0-9]{5}$", query.Id);
        Assert.Equal("FINISHED", query.State);
    }

    [Fact]
    public async Task Progress_is_reported_while_the_query_runs()
    {
        using var client = server.NewClient();
        var reports = new List<QueryProgress>();
        var progress = new SynchronousProgress(reports);
        await using var query = client.Submit(TrinoSql.MillionRows, null, progress, Soon);
        Assert.Equal(1_000_000, await query.CountRowsAsync(Soon));
        lock (reports)
        {
            Assert.Contains(reports, r => r.State is "QUEUED" or "PLANNING" or "STARTING" or "RUNNING" && r.QueryId == query.Id);
            Assert.Contains(reports, r => r.Total > 0 && r.Done <= r.Total);
            Assert.Contains(reports, r => r.ResultRows > 0 && r.ResultRows < 1_000_000);
            Assert.All(reports, r => Assert.Equal("trino", r.Engine));
        }
    }

    [SkippableFact]
    public async Task Every_session_header_goes_with_the_post_one_session_property_per_header()
    {
        var fixture = server.RequireFixture("request records");
        using var client = server.NewClient("source=nb-tests&timezone=Asia/Kolkata&language=en-US&client_tags=a,b&client_info=ci&session.query_max_run_time=1h&session.hive.x=a%20b,c&extra_credential.k=v%3D1");
        await client.QueryAsync("SELECT 1", cancellationToken: Soon);
        var post = fixture.Requests.Last(r => r.Method == "POST");
        Assert.Equal(["tester"], post.Header("X-Trino-User"));
        Assert.Equal(["nb-tests"], post.Header("X-Trino-Source"));
        Assert.Equal(["memory"], post.Header("X-Trino-Catalog"));
        Assert.Equal(["default"], post.Header("X-Trino-Schema"));
        Assert.Equal(["Asia/Kolkata"], post.Header("X-Trino-Time-Zone"));
        Assert.Equal(["en-US"], post.Header("X-Trino-Language"));
        Assert.Equal(["a,b"], post.Header("X-Trino-Client-Tags"));
        Assert.Equal(["ci"], post.Header("X-Trino-Client-Info"));
        Assert.Equal(["NONE"], post.Header("X-Trino-Transaction-Id"));
        Assert.Contains("PARAMETRIC_DATETIME", string.Join(",", post.Header("X-Trino-Client-Capabilities")));
        // HttpClient folds repeated headers into one line, comma-separated: Trino splits it back (values are URL-encoded, so a comma in a value is %2C).
        var session = post.Header("X-Trino-Session").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToList();
        Assert.Contains("query_max_run_time=1h", session);
        Assert.Contains("hive.x=a%20b%2Cc", session);
        Assert.Equal(["k=v%3D1"], post.Header("X-Trino-Extra-Credential"));
        Assert.Equal("text/plain; charset=utf-8", post.Header("Content-Type").Single());
        Assert.All(fixture.Requests.Where(r => r.Method == "GET"), r => Assert.Equal(["tester"], r.Header("X-Trino-User")));
    }

    [Fact]
    public async Task What_a_statement_changes_in_the_session_holds_for_the_next_ones()
    {
        using var client = server.NewClient();
        await client.ExecuteAsync("USE tpch.tiny", cancellationToken: Soon);
        Assert.Equal(("tpch", "tiny"), (client.Session.Catalog, client.Session.Schema));
        Assert.Equal(25, (await client.QueryAsync<long>("SELECT count(*) FROM nation", cancellationToken: Soon)).Single());

        await client.ExecuteAsync("SET SESSION query_max_run_time = '2h'", cancellationToken: Soon);
        Assert.Equal("2h", client.Session.Properties["query_max_run_time"]);
        await client.ExecuteAsync("RESET SESSION query_max_run_time", cancellationToken: Soon);
        Assert.False(client.Session.Properties.ContainsKey("query_max_run_time"));

        await client.ExecuteAsync("PREPARE by_region FROM SELECT count(*) FROM nation WHERE regionkey = ?", cancellationToken: Soon);
        Assert.True(client.Session.PreparedStatements.ContainsKey("by_region"));
        Assert.Equal(5, (await client.QueryAsync<long>("EXECUTE by_region USING 1", cancellationToken: Soon)).Single());
        await client.ExecuteAsync("DEALLOCATE PREPARE by_region", cancellationToken: Soon);
        Assert.Empty(client.Session.PreparedStatements);
    }

    [Fact]
    public async Task Transactions_follow_the_started_and_cleared_transaction_headers()
    {
        using var client = server.NewClient();
        var table = "t_" + Guid.NewGuid().ToString("N")[..8];
        await client.ExecuteAsync($"CREATE TABLE memory.default.{table} (id bigint)", cancellationToken: Soon);
        await client.ExecuteAsync("START TRANSACTION", cancellationToken: Soon);
        Assert.NotNull(client.Session.TransactionId);
        Assert.Equal(1, await client.ExecuteAsync($"INSERT INTO memory.default.{table} VALUES (1)", cancellationToken: Soon));
        await client.ExecuteAsync("ROLLBACK", cancellationToken: Soon);
        Assert.Null(client.Session.TransactionId);
        Assert.Equal(0, (await client.QueryAsync<long>($"SELECT count(*) FROM memory.default.{table}", cancellationToken: Soon)).Single());
        await client.ExecuteAsync("START TRANSACTION", cancellationToken: Soon);
        await client.ExecuteAsync($"INSERT INTO memory.default.{table} VALUES (2)", cancellationToken: Soon);
        await client.ExecuteAsync("COMMIT", cancellationToken: Soon);
        Assert.Equal([2L], await client.QueryAsync<long>($"SELECT id FROM memory.default.{table}", cancellationToken: Soon));
    }

    [Fact]
    public async Task Parameters_are_bound_never_spliced_and_values_come_back_as_they_went()
    {
        using var client = server.NewClient();
        var table = "p_" + Guid.NewGuid().ToString("N")[..8];
        await client.ExecuteAsync($"CREATE TABLE memory.default.{table} (name varchar)", cancellationToken: Soon);
        await client.ExecuteAsync($"INSERT INTO memory.default.{table} VALUES ('kept')", cancellationToken: Soon);
        var evil = "'; drop table x; --";
        var none = await client.QueryAsync($"SELECT count(*) AS n FROM memory.default.{table} WHERE name = @evil", new { evil }, Soon);
        Assert.Equal(0L, none.Rows[0][0]);
        Assert.Equal(1L, (await client.QueryAsync<long>($"SELECT count(*) FROM memory.default.{table}", cancellationToken: Soon)).Single());
        var echo = await client.QueryAsync($"SELECT @evil AS s, @evil || '!' AS twice", new { evil }, Soon);
        Assert.Equal(evil, echo[0, "s"]);
        Assert.Equal(evil + "!", echo[0, "twice"]);

        var day = new DateOnly(2024, 2, 29);
        var values = await client.QueryAsync("SELECT ?, ?, ?, ?, ?, ?", new object?[] { day, 12.5m, 42L, true, null, "ünïcødé ☃" }, Soon);
        Assert.Equal(new object?[] { day, 12.5m, 42L, true, null, "ünïcødé ☃" }, values.Rows[0]);
        Assert.Equal(["date", "decimal(3,1)", "bigint", "boolean"], values.Columns.Take(4).Select(c => c.Type.DisplayName));

        var missing = await Assert.ThrowsAsync<ArgumentException>(() => client.QueryAsync("SELECT @nope", new { other = 1 }, Soon));
        Assert.Contains("@nope has no value", missing.Message);
    }

    [Fact]
    public async Task Typed_rows_dataframes_and_arrow_come_from_the_same_pages()
    {
        using var client = server.NewClient();
        var nations = await client.QueryAsync<Nation>("SELECT nationkey AS Key, name AS Name, regionkey AS Region FROM tpch.tiny.nation ORDER BY nationkey", cancellationToken: Soon);
        Assert.Equal(25, nations.Count);
        Assert.Equal(new Nation(0, "ALGERIA", 0), nations[0]);
        var frame = await client.QueryDataFrameAsync("SELECT nationkey, name FROM tpch.tiny.nation ORDER BY nationkey", cancellationToken: Soon);
        Assert.Equal(25, frame.Rows.Count);
        Assert.Equal("ALGERIA", frame.Columns["name"][0]);
        Assert.Equal(24L, frame.Columns["nationkey"][24]);
    }

    [Fact]
    public async Task Bad_sql_is_one_typed_error_with_the_servers_message_and_position()
    {
        using var client = server.NewClient();
        var syntax = await Assert.ThrowsAsync<TrinoQueryException>(() => client.QueryAsync("SELECT 1,\n  2 FRM x", cancellationToken: Soon));
        Assert.Equal("SYNTAX_ERROR", syntax.ErrorName);
        Assert.Equal("USER_ERROR", syntax.ErrorType);
        Assert.Equal(2, syntax.Line);
        Assert.True(syntax.Column > 0);
        Assert.NotNull(syntax.QueryId);
        var missing = await Assert.ThrowsAsync<TrinoQueryException>(() => client.QueryAsync("SELECT * FROM memory.default.no_such_table", cancellationToken: Soon));
        Assert.Equal("TABLE_NOT_FOUND", missing.ErrorName);
        Assert.Contains("no_such_table", missing.ServerMessage);
        Assert.Equal(1, (await client.QueryAsync("SELECT 1", cancellationToken: Soon)).Rows[0][0]);
    }

    [SkippableFact]
    public async Task Cancelling_deletes_the_query_on_the_server()
    {
        var fixture = server.RequireFixture("the DELETE record");
        using var client = server.NewClient();
        fixture.Faults.DelayNextDataPages(1, TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource();
        var known = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var query = client.Submit(TrinoSql.MillionRows, null, new Progress(p => { if (p.QueryId is not null) known.TrySetResult(); }), cancel.Token);
        await known.Task.WaitAsync(Soon); // the server has the query
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query.Completion);
        await fixture.WaitForCancelAsync(query.Id!, Soon);
        Assert.True(query.CancelledOnServer);
        Assert.Contains(query.Id, fixture.CancelledQueryIds);
        await query.DisposeAsync();
    }

    [SkippableFact]
    public async Task Disposing_an_unfinished_query_cancels_it_on_the_server()
    {
        var fixture = server.RequireFixture("the DELETE record");
        using var client = server.NewClient();
        string id;
        await using (var query = client.Submit(TrinoSql.MillionRows, cancellationToken: Soon))
        {
            await foreach (var _ in query.ReadPagesAsync(Soon)) break;
            id = query.Id!;
        }
        await fixture.WaitForCancelAsync(id, Soon);
    }

    [SkippableFact]
    public async Task Retryable_failures_mid_query_lose_and_duplicate_nothing()
    {
        var fixture = server.RequireFixture("fault injection");
        using var client = server.NewClient();
        fixture.Faults.FailNextGets(4, 503);
        var storm = await Sum(client);
        fixture.Faults.FailNextGets(2, 502);
        fixture.Faults.DropNextDataPages(3);
        var dropped = await Sum(client);
        fixture.Faults.FailNextGets(2, 504);
        var gateway = await Sum(client);
        Assert.Equal((1_000_000, TrinoSql.MillionRowsSum), storm);
        Assert.Equal(storm, dropped);
        Assert.Equal(storm, gateway);
        Assert.Equal(8, fixture.Faults.ConsumedGetFailures);
        Assert.Equal(3, fixture.Faults.ConsumedDrops);
    }

    [SkippableFact]
    public async Task Too_many_requests_waits_for_retry_after()
    {
        var fixture = server.RequireFixture("fault injection");
        using var client = server.NewClient();
        fixture.Faults.ThrottleNextGets(1, retryAfterSeconds: 1);
        var before = fixture.Requests.Count;
        Assert.Equal((1_000_000, TrinoSql.MillionRowsSum), await Sum(client));
        var requests = fixture.Requests.Skip(before).ToList();
        var throttled = requests.FindIndex(r => r.Status == 429);
        Assert.True(throttled >= 0);
        Assert.Equal(requests[throttled].PathAndQuery, requests[throttled + 1].PathAndQuery);
        Assert.True(requests[throttled + 1].Time - requests[throttled].Time >= TimeSpan.FromSeconds(0.9), "the retry came before Retry-After");
    }

    [SkippableFact]
    public async Task The_post_is_never_retried_and_endless_failures_end_with_a_clear_error()
    {
        var fixture = server.RequireFixture("fault injection");
        using var client = server.NewClient();
        fixture.Faults.FailNextPosts(1, 503);
        var posts = fixture.Requests.Count(r => r.Method == "POST");
        var post = await Assert.ThrowsAsync<TrinoException>(() => client.QueryAsync("SELECT 1", cancellationToken: Soon));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal(posts + 1, fixture.Requests.Count(r => r.Method == "POST"));

        using var impatient = server.NewClient("retry_time=1");
        fixture.Faults.FailNextGets(1000, 503);
        try
        {
            var gaveUp = await Assert.ThrowsAsync<TrinoException>(() => impatient.QueryAsync(TrinoSql.MillionRows, cancellationToken: Soon));
            Assert.Contains("gave up", gaveUp.Message);
            Assert.Contains("HTTP 503", gaveUp.Message);
        }
        finally
        {
            fixture.Faults.FailNextGets(0);
        }
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_named_in_the_error()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        using var client = new TrinoClient(TrinoConnectionOptions.Parse($"trino://u@127.0.0.1:{port}"));
        var e = await Assert.ThrowsAsync<TrinoException>(() => client.QueryAsync("SELECT 1", cancellationToken: Soon));
        Assert.Contains("cannot reach the Trino server at http://127.0.0.1:", e.Message);
    }

    [Fact]
    public async Task Warehouse_reaches_trino_connections_by_name_with_the_same_session()
    {
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "lake", Kind = ConnectionKinds.Trino, ConnectionString = server.ConnectionString });
        var warehouse = new WarehouseClient(registry, new EmbeddedWarehouse(Path.Combine(Path.GetTempPath(), "kg-unused-" + Guid.NewGuid().ToString("N")), 1000));
        await warehouse.ExecuteAsync("USE tpch.tiny", connection: "lake", cancellationToken: Soon);
        Assert.Equal(5L, (await warehouse.QueryAsync<long>("SELECT count(*) FROM region", connection: "lake", cancellationToken: Soon)).Single());
        Assert.Equal(5, (await warehouse.QueryDataFrameAsync("SELECT * FROM region", connection: "lake", cancellationToken: Soon)).Rows.Count);
        await using var reader = await warehouse.ReadAsync("SELECT name FROM region ORDER BY regionkey", connection: "lake", cancellationToken: Soon);
        Assert.True(await reader.ReadAsync());
        Assert.Equal("AFRICA", reader.GetString(0));
        Assert.StartsWith("varchar", reader.GetDataTypeName(0));
        Assert.Equal(typeof(string), reader.GetFieldType(0));
        Assert.Same(warehouse.Trino["lake"], warehouse.Trino.Default);
        warehouse.Trino.Dispose();
    }

    private static async Task<(long Count, long Sum)> Sum(TrinoClient client)
    {
        long count = 0, sum = 0;
        await using var query = client.Submit(TrinoSql.MillionRows, cancellationToken: Soon);
        await foreach (var row in query.ReadRowsAsync(Soon))
        {
            count++;
            sum += (long)row[0]!;
        }
        return (count, sum);
    }

    public sealed record Nation(long Key, string Name, long Region);

    private sealed class Progress(Action<QueryProgress> report) : IProgress<QueryProgress>
    {
        public void Report(QueryProgress value) => report(value);
    }

    private sealed class SynchronousProgress(List<QueryProgress> reports) : IProgress<QueryProgress>
    {
        public void Report(QueryProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
