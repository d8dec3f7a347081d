using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Tests;
using KernelGateway.Tests.Fixtures.Spark.Connect;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary>A real kernel process with a spark connection to the Spark Connect protocol server (progress reported by every query).</summary>
public sealed class SparkKernelFixture : KernelFixture
{
    public SparkConnectServer Spark { get; private set; } = null!;

    protected override async Task<Dictionary<string, string>> PrepareAsync()
    {
        Spark = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { ProgressReports = 2 });
        await Spark.ExecuteDuckDbAsync("""
            CREATE TABLE sales AS SELECT * FROM (VALUES
              (1, 'ada', 12.50::DECIMAL(10,2), DATE '2026-11-30'),
              (2, 'grace', 7.25::DECIMAL(10,2), DATE '2026-12-01'),
              (3, 'edsger', 30.00::DECIMAL(10,2), DATE '2026-12-02')) AS t(id, name, amount, day);
            CREATE TABLE big AS SELECT range AS id FROM range(100000);
            CREATE TABLE huge AS SELECT range AS id, 'row ' || range AS label FROM range(2000000);
            """);
        return new Dictionary<string, string>
        {
            ["KG_CONNECTIONS"] = $$"""[ { "name": "spark", "kind": "spark", "connection_string": "{{Spark.ConnectionString}};user_id=analyst" } ]""",
        };
    }

    protected override async Task CleanUpAsync() => await Spark.DisposeAsync();
}

public sealed class SparkMagicTests(SparkKernelFixture fixture) : IClassFixture<SparkKernelFixture>
{
    private Task<RequestOutcome> Run(string code) => fixture.Client.ExecuteAsync(code, cancellationToken: Soon());

    private static string Result(RequestOutcome outcome) =>
        outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString()!;

    [Fact]
    public async Task Sql_cells_show_typed_tables_and_the_total()
    {
        var outcome = await Run("%%spark\nSELECT id, name, amount, day FROM sales ORDER BY id");
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var data = TrinoMagicTests.LastTable(outcome);
        var resource = TrinoMagicTests.Resource(data);
        var fields = resource.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["id", "name", "amount", "day"], fields.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(["integer", "string", "number", "date"], fields.Select(f => f.GetProperty("type").GetString()));
        var rows = resource.GetProperty("data");
        Assert.Equal(3, rows.GetArrayLength());
        Assert.Equal("grace", rows[1].GetProperty("name").GetString());
        Assert.Equal(7.25m, rows[1].GetProperty("amount").GetDecimal());
        Assert.Equal("2026-12-02", rows[2].GetProperty("day").GetString());
        Assert.Contains("3 rows", data.GetProperty("text/plain").GetString());
        Assert.Equal("analyst", fixture.Spark.Executions.Last().UserId);
    }

    [Fact]
    public async Task Csharp_values_are_bound_as_named_arguments_and_never_reach_the_query_text()
    {
        Assert.Equal("ok", (await Run("var who = \"'; drop table sales; --\";\nvar minimum = 10m;")).Status);
        var outcome = await Run("%%spark\nSELECT @who AS who, count(*) AS n FROM sales WHERE amount > $minimum AND id <> :skip --param skip=0");
        // --param on the first line only: the comment above stays SQL.
        Assert.Equal("error", outcome.Status);
        outcome = await Run("%%spark --param skip=2\nSELECT @who AS who, count(*) AS n FROM sales WHERE amount > $minimum AND id <> :skip");
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var row = TrinoMagicTests.Resource(TrinoMagicTests.LastTable(outcome)).GetProperty("data")[0];
        Assert.Equal("'; drop table sales; --", row.GetProperty("who").GetString());
        Assert.Equal(2, row.GetProperty("n").GetInt64());
        var execution = fixture.Spark.Executions.Last();
        Assert.Equal("SELECT :who AS who, count(*) AS n FROM sales WHERE amount > :minimum AND id <> :skip", execution.Query);
        Assert.Equal("'; drop table sales; --", execution.NamedArguments["who"]);
        Assert.Equal("2", execution.NamedArguments["skip"]);
        Assert.Equal(3, Resource((await Run("%%spark\nSELECT count(*) AS n FROM sales"))).GetProperty("data")[0].GetProperty("n").GetInt64());
    }

    private static JsonElement Resource(RequestOutcome outcome) => TrinoMagicTests.Resource(TrinoMagicTests.LastTable(outcome));

    [Fact]
    public async Task Out_gives_a_DataFrame_and_the_Spark_object_builds_plans_without_sql_text()
    {
        var outcome = await Run("%%spark --out top\nSELECT name, amount FROM sales WHERE amount > 10 ORDER BY amount DESC");
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        Assert.Equal("2 edsger", Result(await Run("$\"{top.Rows.Count} {top.Columns[\"name\"][0]}\"")));

        var typed = await Run("""
            var frame = Spark.Table("sales").Where(Functions.Col("amount") > 10).Select(Functions.Col("name")).OrderBy(Functions.Col("name").Desc());
            var df = await frame.ToDataFrameAsync();
            $"{df.Rows.Count} {df.Columns["name"][0]} {await Spark.Table("sales").CountAsync()}"
            """);
        Assert.True(typed.Status == "ok", typed.Reply.Content.ToString());
        Assert.Equal("2 edsger 3", Result(typed));
        Assert.Contains(fixture.Spark.Executions, e => e.PlanKind != "root.sql" && e.Query is null && e.ExecutedSql!.Contains("sales", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_sql_shows_the_error_class_and_sqlstate_with_a_caret()
    {
        var outcome = await Run("%%spark\nSELECT id,\n       nope\nFROM sales");
        Assert.Equal("error", outcome.Status);
        var evalue = outcome.Reply.Content.GetProperty("evalue").GetString()!;
        var traceback = string.Join("\n", outcome.Reply.Content.GetProperty("traceback").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("UNRESOLVED_COLUMN", traceback);
        Assert.Contains("42703", traceback);
        Assert.Contains("nope", evalue);
        Assert.Contains("cell line 3:        nope", traceback);
        Assert.Equal("ok", (await Run("%%spark\nSELECT 1 AS one")).Status);
    }

    [Fact]
    public async Task Progress_shows_before_the_result_and_stays_as_a_summary()
    {
        var hold = fixture.Spark.Faults.HoldAfter(3);
        var progressSeen = fixture.Client.NextIOPubAsync(m => LivyMagicTests.DisplayId(m)?.StartsWith("progress-", StringComparison.Ordinal) == true);
        var running = Run("%%spark\nSELECT id FROM big ORDER BY id");
        await hold.Reached.WaitAsync(Soon());
        var progress = await progressSeen.WaitAsync(Soon());
        Assert.Contains("Spark operation", LivyMagicTests.Text(progress));
        Assert.False(running.IsCompleted);
        hold.Release();
        var outcome = await running;
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var messages = outcome.IOPub.Where(m => m.MessageType is MessageTypes.DisplayData or MessageTypes.UpdateDisplayData).ToList();
        var progressId = LivyMagicTests.DisplayId(progress);
        var firstTable = messages.FindIndex(m => m.Content.GetProperty("data").TryGetProperty("application/vnd.dataresource+json", out _));
        Assert.True(messages.FindIndex(m => LivyMagicTests.DisplayId(m) == progressId) < firstTable);
        var summary = LivyMagicTests.Text(messages.Last(m => LivyMagicTests.DisplayId(m) == progressId));
        Assert.Contains("FINISHED", summary);
        Assert.Contains("100,000 rows", summary);
    }

    [Fact]
    public async Task Hundred_thousand_rows_arrive_in_several_batches_the_first_shown_and_all_counted()
    {
        var outcome = await Run("%%spark\nSELECT id FROM big");
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var execution = fixture.Spark.Executions.Last();
        Assert.True(execution.ArrowBatches > 1, $"{execution.ArrowBatches} batches");
        Assert.Equal(100_000, execution.Rows);
        var final = TrinoMagicTests.LastTable(outcome);
        Assert.Equal(10_000, TrinoMagicTests.Resource(final).GetProperty("data").GetArrayLength());
        Assert.Contains("100,000 rows", final.GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Interrupt_cancels_the_operation_on_the_server_and_says_so()
    {
        var hold = fixture.Spark.Faults.HoldAfter(2);
        var running = Run("%%spark\nSELECT id FROM big");
        var operation = await hold.Reached.WaitAsync(Soon());
        await fixture.Client.InterruptAsync(Soon());
        var outcome = await running;
        Assert.Equal("OperationCanceledException", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.Contains($"operation {operation} was cancelled on the Spark server", outcome.Reply.Content.GetProperty("evalue").GetString());
        var interrupt = await fixture.Spark.WaitForInterruptAsync(i => i.OperationId == operation, Soon());
        Assert.Equal("OPERATION_ID", interrupt.Type);
        Assert.Equal("ok", (await Run("%%spark\nSELECT 1 AS one")).Status);
    }

    [Fact]
    public async Task Spark_info_and_config_talk_to_the_session()
    {
        var info = await Run("%spark info");
        Assert.True(info.Status == "ok", info.Reply.Content.ToString());
        Assert.Contains("Spark 4.0.1", info.StreamText());
        var set = await Run("%spark config spark.sql.shuffle.partitions=8");
        Assert.True(set.Status == "ok", set.Reply.Content.ToString());
        var got = TrinoMagicTests.Resource(TrinoMagicTests.LastTable(await Run("%spark config spark.sql.shuffle.partitions"))).GetProperty("data")[0];
        Assert.Equal("8", got.GetProperty("value").GetString());
        Assert.Equal("error", (await Run("%spark frobnicate")).Status);
    }

    [Fact]
    public async Task The_metastore_browses_spark_and_spark_cells_complete_and_inspect_its_names()
    {
        var tables = await Run("%metastore tables spark.spark_catalog.default");
        Assert.True(tables.Status == "ok", tables.Reply.Content.ToString());
        var listed = MetastoreNames(tables);
        Assert.Equal(["big", "huge", "sales"], listed);
        var described = await Run("%metastore describe spark.default.sales");
        Assert.True(described.Status == "ok", described.Reply.Content.ToString());
        Assert.Contains("decimal(10,2)", TrinoMagicTests.LastTable(described).GetProperty("text/plain").GetString());

        Assert.Equal(["sales"], await Complete("%%spark\nSELECT * FROM sa", "FROM sa"));
        Assert.Equal(["amount", "day", "id", "name"], (await Complete("%%spark\nSELECT s. FROM sales s", "s.")).Order().ToList());
        const string Code = "%%spark\nSELECT * FROM sales";
        var reply = await fixture.Client.RequestAsync(KernelChannel.Shell,
            fixture.Client.CreateRequest(MessageTypes.InspectRequest, new InspectRequest(Code, Code.Length - 2, 0), ProtocolJsonContext.Default.InspectRequest), Soon());
        Assert.True(reply.Content.GetProperty("found").GetBoolean(), reply.Content.ToString());
        Assert.Contains("spark.spark_catalog.default.sales (table)", reply.Content.GetProperty("data").GetProperty("text/plain").GetString());
        Assert.Contains(fixture.Spark.Executions, e => e.PlanKind == "root.catalog");
    }

    private static List<string> MetastoreNames(RequestOutcome outcome) =>
        TrinoMagicTests.Resource(TrinoMagicTests.LastTable(outcome)).GetProperty("data").EnumerateArray().Select(r => r.GetProperty("table").GetString()!).ToList();

    private async Task<List<string>> Complete(string code, string cursorAfter)
    {
        var cursor = code.IndexOf(cursorAfter, StringComparison.Ordinal) + cursorAfter.Length;
        var reply = await fixture.Client.RequestAsync(KernelChannel.Shell,
            fixture.Client.CreateRequest(MessageTypes.CompleteRequest, new CompleteRequest(code, cursor), ProtocolJsonContext.Default.CompleteRequest), Soon());
        return reply.Content.GetProperty("matches").EnumerateArray().Select(m => m.GetString()!).ToList();
    }
}

/// <summary>A kernel of its own, so its peak memory before the query is its baseline.</summary>
public sealed class SparkMemoryTests(SparkKernelFixture fixture) : IClassFixture<SparkKernelFixture>
{
    [Fact]
    public async Task Two_million_rows_stream_through_with_bounded_kernel_memory()
    {
        var before = Peak(fixture.Kernel.Process.Id);
        var outcome = await fixture.Client.ExecuteAsync("%%spark\nSELECT id, label FROM huge", cancellationToken: Soon(180));
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        Assert.Contains("showing 50 of 2,000,000 rows", TrinoMagicTests.LastTable(outcome).GetProperty("text/plain").GetString());
        var grown = Peak(fixture.Kernel.Process.Id) - before;
        // Kept whole, 2M rows of a bigint and a short string take about 100 MB as Arrow and far more as rows.
        Assert.True(grown < 64 * 1024 * 1024, $"the kernel's peak memory grew by {grown / (1 << 20)} MiB");
    }

    private static long Peak(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).Single();
}

/// <summary>Debian's jupyter_client on the same kind of kernel: a table, and an interrupt sent when the progress display appears.</summary>
public sealed class SparkJupyterClientTests(SparkKernelFixture fixture) : IClassFixture<SparkKernelFixture>
{
    [Fact]
    public async Task Jupyter_clients_see_the_table_the_progress_and_the_cancellation()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "python", "interrupt_cells.py");
        var hold = fixture.Spark.Faults.HoldAfter(3);
        // The first cell is C# (the hold is for the slow cell); the third shows a table after the interrupt.
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python,
            [script, fixture.Kernel.ConnectionFile, "1 + 1", "%%spark\nSELECT id FROM big", "%%spark\nSELECT name FROM sales ORDER BY id"],
            timeout: TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, stdout + stderr);
        using var doc = JsonDocument.Parse(stdout);
        var slow = doc.RootElement[1];
        Assert.True(slow.GetProperty("interrupted").GetBoolean(), slow.ToString());
        Assert.Equal("OperationCanceledException", slow.GetProperty("reply").GetProperty("ename").GetString());
        Assert.Contains("was cancelled on the Spark server", slow.GetProperty("reply").GetProperty("evalue").GetString());
        // The interrupt may reach the server before the execution got as far as the hold, or even before the server read
        // its query: either way it is this operation's, the Spark execution just before the third cell's.
        var executions = fixture.Spark.Executions.ToList();
        var third = executions.FindLastIndex(e => e.Query == "SELECT name FROM sales ORDER BY id");
        Assert.True(third > 0, "the third cell's execution is recorded after the slow cell's");
        Assert.Contains(executions[third - 1].Query, new[] { null, "SELECT id FROM big" });
        var operation = executions[third - 1].OperationId;
        var interrupt = await fixture.Spark.WaitForInterruptAsync(i => i.OperationId == operation, Soon(30));
        Assert.Equal([operation], interrupt.InterruptedIds);
        hold.Release();
        var after = doc.RootElement[2];
        Assert.Equal("ok", after.GetProperty("reply").GetProperty("status").GetString());
        var table = after.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("type").GetString() is "display_data" or "update_display_data"
            && m.GetProperty("content").GetProperty("data").TryGetProperty("application/vnd.dataresource+json", out _)).GetProperty("content").GetProperty("data");
        Assert.Equal("ada", TrinoMagicTests.Resource(table).GetProperty("data")[0].GetProperty("name").GetString());
    }
}

/// <summary>A kernel of its own: shutting it down releases its Spark session.</summary>
public sealed class SparkShutdownTests
{
    [Fact]
    public async Task Kernel_shutdown_releases_its_spark_session()
    {
        await using var spark = await SparkConnectServer.StartAsync();
        var (kernel, client) = await KernelProcessHandle.StartAsync(environment: new Dictionary<string, string>
        {
            ["KG_CONNECTIONS"] = $$"""[ { "name": "spark", "kind": "spark", "connection_string": "{{spark.ConnectionString}}" } ]""",
        });
        await using (kernel)
        using (client)
        {
            var token = Soon();
            var outcome = await client.ExecuteAsync("%%spark\nSELECT 1 AS one", cancellationToken: token);
            Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
            var session = spark.Executions.Single().SessionId;
            var released = spark.WaitForSessionReleaseAsync(session, token);
            await client.RequestAsync(KernelChannel.Control, client.CreateRequest(MessageTypes.ShutdownRequest, JsonDocument.Parse("{\"restart\":false}").RootElement), token);
            await released;
        }
    }
}
