using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Tests;
using KernelGateway.Tests.Fixtures.Trino;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary>A real kernel process with a trino and a presto connection to protocol servers in the test process.</summary>
public sealed class TrinoKernelFixture : KernelFixture
{
    public TrinoProtocolServer Trino { get; private set; } = null!;
    public TrinoProtocolServer Presto { get; private set; } = null!;

    protected override async Task<Dictionary<string, string>> PrepareAsync()
    {
        Trino = await TrinoProtocolServer.StartAsync();
        Presto = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Presto = true });
        var connections = $$"""
            [ { "name": "trino", "kind": "trino", "connection_string": "trino://analyst@127.0.0.1:{{Trino.BaseUri.Port}}/tpch/tiny?source=kg-tests" },
              { "name": "presto", "kind": "presto", "connection_string": "presto://analyst@127.0.0.1:{{Presto.BaseUri.Port}}/tpch/tiny" } ]
            """;
        return new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000", ["KG_CONNECTIONS"] = connections };
    }

    protected override async Task CleanUpAsync()
    {
        await Trino.DisposeAsync();
        await Presto.DisposeAsync();
    }
}

public sealed class TrinoMagicTests(TrinoKernelFixture fixture) : IClassFixture<TrinoKernelFixture>
{
    internal const string TwoMillionRows = "SELECT a * 1000 + b AS n FROM UNNEST(sequence(0, 1999)) AS x(a) CROSS JOIN UNNEST(sequence(0, 999)) AS y(b)";

    private Task<RequestOutcome> Run(string code) => fixture.Client.ExecuteAsync(code, cancellationToken: Soon());

    internal static JsonElement Resource(JsonElement data) => data.GetProperty("application/vnd.dataresource+json");

    /// <summary>The last table shown (a display_data, or the update_display_data that gave its total).</summary>
    internal static JsonElement LastTable(RequestOutcome outcome) =>
        outcome.IOPub.Where(m => m.MessageType is MessageTypes.DisplayData or MessageTypes.UpdateDisplayData)
            .Select(m => m.Content.GetProperty("data"))
            .Last(d => d.TryGetProperty("application/vnd.dataresource+json", out _));

    [Fact]
    public async Task Trino_cells_show_typed_tables_and_say_how_many_rows()
    {
        var outcome = await Run("%%trino\nSELECT nationkey, name, regionkey FROM nation ORDER BY nationkey");
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var data = LastTable(outcome);
        var fields = Resource(data).GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["nationkey", "name", "regionkey"], fields.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal("integer", fields[0].GetProperty("type").GetString());
        Assert.Equal("string", fields[1].GetProperty("type").GetString());
        Assert.Equal(25, Resource(data).GetProperty("data").GetArrayLength());
        Assert.Equal("ALGERIA", Resource(data).GetProperty("data")[0].GetProperty("name").GetString());
        Assert.Contains("25 rows", data.GetProperty("text/plain").GetString());
        Assert.Contains("bigint", data.GetProperty("text/html").GetString());
    }

    [Fact]
    public async Task Presto_cells_and_sql_cells_on_a_trino_connection_work_alike()
    {
        var presto = await Run("%%presto\nSELECT count(*) AS n FROM region");
        Assert.True(presto.Status == "ok", presto.Reply.Content.ToString());
        Assert.Equal(5, Resource(LastTable(presto)).GetProperty("data")[0].GetProperty("n").GetInt64());
        Assert.Contains(fixture.Presto.Requests, r => r.Header("X-Presto-User").Contains("analyst"));
        var sql = await Run("%%sql trino\nSELECT name FROM region WHERE regionkey = 2");
        Assert.True(sql.Status == "ok", sql.Reply.Content.ToString());
        Assert.Equal("ASIA", Resource(LastTable(sql)).GetProperty("data")[0].GetProperty("name").GetString());
        var wrong = await Run("%%trino warehouse\nSELECT 1");
        Assert.Equal("UsageError", wrong.Reply.Content.GetProperty("ename").GetString());
    }

    [Fact]
    public async Task Out_gives_a_DataFrame_and_csharp_values_are_bound_harmlessly()
    {
        Assert.Equal("ok", (await Run("var evil = \"'; drop table nation; --\"; var region = 1;")).Status);
        var bound = await Run("%%trino --out africa\nSELECT name FROM nation WHERE regionkey = @region OR name = @evil ORDER BY name");
        Assert.True(bound.Status == "ok", bound.Reply.Content.ToString());
        var count = await Run("africa.Rows.Count");
        Assert.Equal("5", count.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
        var still = await Run("%%trino\nSELECT count(*) AS n FROM nation");
        Assert.Equal(25, Resource(LastTable(still)).GetProperty("data")[0].GetProperty("n").GetInt64());
        Assert.DoesNotContain(fixture.Trino.Queries, q => q.Sql.Contains("drop table", StringComparison.OrdinalIgnoreCase) && !q.Sql.Contains("EXECUTE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_sql_shows_the_servers_error_with_a_caret_in_the_cell()
    {
        var bad = await Run("%%trino\nSELECT 1,\n  2 FRM nation");
        Assert.Equal("error", bad.Status);
        Assert.Equal("SqlError", bad.Reply.Content.GetProperty("ename").GetString());
        var traceback = bad.Reply.Content.GetProperty("traceback").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Contains(traceback, l => l.Contains("SYNTAX_ERROR", StringComparison.Ordinal));
        var line = traceback.FindIndex(l => l.StartsWith("cell line 3: ", StringComparison.Ordinal));
        Assert.True(line > 0, string.Join("\n", traceback));
        Assert.Contains('^', traceback[line + 1]);
        Assert.Single(bad.OfType(MessageTypes.Error));
        Assert.Equal("ok", (await Run("%%trino\nSELECT 1 AS one")).Status);
    }

    [Fact]
    public async Task Progress_updates_in_place_before_the_result_and_stays_as_a_summary()
    {
        // The first rows take a while: the display appears, and its elapsed time moves, before any table.
        fixture.Trino.Faults.DelayNextDataPages(1, TimeSpan.FromSeconds(1.5));
        var outcome = await Run("%%trino\n" + TwoMillionRows);
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var messages = outcome.IOPub.Where(m => m.MessageType is MessageTypes.DisplayData or MessageTypes.UpdateDisplayData).ToList();
        static string? Id(JupyterMessage m) => m.Content.TryGetProperty("transient", out var t) && t.TryGetProperty("display_id", out var id) ? id.GetString() : null;
        var progressId = Id(messages[0]);
        Assert.StartsWith("progress-", progressId);
        Assert.Contains("Trino query", messages[0].Content.GetProperty("data").GetProperty("text/plain").GetString());
        var firstTable = messages.FindIndex(m => m.Content.GetProperty("data").TryGetProperty("application/vnd.dataresource+json", out _));
        Assert.Contains(messages.Take(firstTable), m => m.MessageType == MessageTypes.UpdateDisplayData && Id(m) == progressId);
        var summary = messages.Last(m => Id(m) == progressId).Content.GetProperty("data").GetProperty("text/plain").GetString();
        Assert.Contains("FINISHED", summary);
        Assert.Contains("2,000,000 rows", summary);
        Assert.Contains("Trino UI", messages.Last(m => Id(m) == progressId).Content.GetProperty("data").GetProperty("text/html").GetString());
    }

    [Fact]
    public async Task Interrupt_cancels_the_query_on_the_server_and_says_so()
    {
        fixture.Trino.Faults.DelayNextDataPages(1, TimeSpan.FromSeconds(60));
        var posts = fixture.Trino.Queries.Count;
        var running = Run("%%trino\n" + TwoMillionRows);
        var query = await WaitForQueryAsync(posts, running);
        await fixture.Client.InterruptAsync(Soon());
        var outcome = await running;
        Assert.Equal("OperationCanceledException", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.Contains($"query {query.Id} was cancelled on the trino server", outcome.Reply.Content.GetProperty("evalue").GetString());
        await fixture.Trino.WaitForCancelAsync(query.Id, Soon());
        Assert.Equal("ok", (await Run("%%trino\nSELECT 1 AS one")).Status);
    }

    [Fact]
    public async Task The_Trino_object_queries_binds_submits_and_an_interrupt_reaches_it()
    {
        var typed = await Run("var r = await Trino.QueryAsync(\"SELECT name FROM nation WHERE regionkey = @rk\", new { rk = 3 });\nr.Rows.Count");
        Assert.True(typed.Status == "ok", typed.Reply.Content.ToString());
        Assert.Equal("5", typed.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
        var shown = await Run("r");
        Assert.Equal(5, Resource(shown.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data")).GetProperty("data").GetArrayLength());
        var handle = await Run("var q = Trino.Submit(\"SELECT regionkey FROM region\");\nlong total = 0; await foreach (var row in q.ReadRowsAsync()) total += (long)row[0]!;\n$\"{q.Id} {q.State} {total}\"");
        Assert.Matches(@"^\d{8}_\d{6}_\d{5}_[a-z0-9]{5} FINISHED 10$", handle.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());

        fixture.Trino.Faults.DelayNextDataPages(1, TimeSpan.FromSeconds(60));
        var posts = fixture.Trino.Queries.Count;
        var running = Run($"var slow = await Trino.QueryAsync(\"{TwoMillionRows}\");");
        var query = await WaitForQueryAsync(posts, running);
        await fixture.Client.InterruptAsync(Soon());
        var outcome = await running;
        Assert.Equal("error", outcome.Status);
        await fixture.Trino.WaitForCancelAsync(query.Id, Soon());
    }

    /// <summary>Waits until the server has the query posted after the first <paramref name="known"/> ones (failing if the cell ends first).</summary>
    private async Task<QueryRecord> WaitForQueryAsync(int known, Task<RequestOutcome> cell)
    {
        var token = Soon();
        while (true)
        {
            var queries = fixture.Trino.Queries;
            if (queries.Count > known) return queries[known];
            if (cell.IsCompleted) Assert.Fail("the cell ended before its query reached the server: " + (await cell).Reply.Content);
            await Task.Delay(20, token);
        }
    }
}

/// <summary>A kernel of its own, so its peak memory before the query is its baseline.</summary>
public sealed class TrinoMemoryTests(TrinoKernelFixture fixture) : IClassFixture<TrinoKernelFixture>
{
    [Fact]
    public async Task Two_million_rows_are_paged_through_with_bounded_kernel_memory()
    {
        var before = Peak(fixture.Kernel.Process.Id);
        var outcome = await fixture.Client.ExecuteAsync("%%trino\n" + TrinoMagicTests.TwoMillionRows, cancellationToken: Soon());
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var first = outcome.IOPub.First(m => m.MessageType == MessageTypes.DisplayData && m.Content.GetProperty("data").TryGetProperty("application/vnd.dataresource+json", out _));
        Assert.Equal(10_000, TrinoMagicTests.Resource(first.Content.GetProperty("data")).GetProperty("data").GetArrayLength());
        Assert.Contains("more rows not counted", first.Content.GetProperty("data").GetProperty("text/plain").GetString());
        var final = TrinoMagicTests.LastTable(outcome);
        Assert.Contains("showing 50 of 2,000,000 rows", final.GetProperty("text/plain").GetString());
        var grown = Peak(fixture.Kernel.Process.Id) - before;
        // Kept whole, 2M rows of one bigint would take about 130 MB (an object[] and a boxed long per row).
        Assert.True(grown < 64 * 1024 * 1024, $"the kernel's peak memory grew by {grown / (1 << 20)} MiB");
    }

    private static long Peak(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).Single();
}

/// <summary>The same kernel driven by Debian's jupyter_client: a result, and an interrupt sent when the progress display appears.</summary>
public sealed class TrinoJupyterClientTests(TrinoKernelFixture fixture) : IClassFixture<TrinoKernelFixture>
{
    [Fact]
    public async Task Jupyter_clients_see_the_table_the_progress_and_the_cancellation()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "python", "interrupt_cells.py");
        var before = fixture.Trino.CancelledQueryIds.Count;
        // A count over 10^11 rows: minutes of work before its one row, so its progress display shows while it runs.
        const string Slow = "SELECT count(*) AS n FROM UNNEST(sequence(0, 9999)) AS a(x) CROSS JOIN UNNEST(sequence(0, 9999)) AS b(y) CROSS JOIN UNNEST(sequence(0, 999)) AS c(z)";
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python,
            [script, fixture.Kernel.ConnectionFile, "%%trino\nSELECT name FROM region ORDER BY regionkey", "%%trino\n" + Slow],
            timeout: TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, stdout + stderr);
        using var doc = JsonDocument.Parse(stdout);
        var quick = doc.RootElement[0];
        Assert.Equal("ok", quick.GetProperty("reply").GetProperty("status").GetString());
        // A progress display may come first when the machine is slow: the table is the display with a data resource.
        var table = quick.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("type").GetString() == "display_data"
            && m.GetProperty("content").GetProperty("data").TryGetProperty("application/vnd.dataresource+json", out _)).GetProperty("content").GetProperty("data");
        Assert.Equal("AFRICA", TrinoMagicTests.Resource(table).GetProperty("data")[0].GetProperty("name").GetString());
        var slow = doc.RootElement[1];
        Assert.True(slow.GetProperty("interrupted").GetBoolean(), slow.ToString());
        Assert.Equal("OperationCanceledException", slow.GetProperty("reply").GetProperty("ename").GetString());
        Assert.Contains("was cancelled on the trino server", slow.GetProperty("reply").GetProperty("evalue").GetString());
        Assert.Equal("ok", doc.RootElement[2].GetProperty("reply").GetProperty("status").GetString());
        Assert.True(fixture.Trino.CancelledQueryIds.Count > before);
        Assert.Contains(fixture.Trino.Queries, q => q.Sql.Contains("sequence(0, 9999)", StringComparison.Ordinal) && q.Cancelled);
    }
}
