using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Tests;
using KernelGateway.Tests.Fixtures.Spark.Livy;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary>A real kernel process with a livy connection to the Livy protocol server (CSRF protection on, as a locked-down Livy has it).</summary>
public sealed class LivyKernelFixture : KernelFixture
{
    public LivyServer Livy { get; private set; } = null!;

    protected override async Task<Dictionary<string, string>> PrepareAsync()
    {
        Livy = await LivyServer.StartAsync(new LivyServerOptions { Csrf = true });
        await Livy.ExecuteDuckDbAsync("CREATE TABLE people AS SELECT * FROM (VALUES (1, 'ada', 36.5), (2, 'grace', 85.25), (3, 'edsger', NULL)) AS t(id, name, score)");
        return new Dictionary<string, string>
        {
            ["KG_CONNECTIONS"] = $$"""[ { "name": "livy", "kind": "livy", "connection_string": "http://127.0.0.1:{{Livy.BaseUri.Port}}" } ]""",
        };
    }

    protected override async Task CleanUpAsync() => await Livy.DisposeAsync();
}

public sealed class LivyMagicTests(LivyKernelFixture fixture) : IClassFixture<LivyKernelFixture>
{
    private Task<RequestOutcome> Run(string code) => fixture.Client.ExecuteAsync(code, cancellationToken: Soon());

    [Fact]
    public async Task Scala_runs_in_one_session_per_name_created_once_and_reused()
    {
        fixture.Livy.Scripts.Reply("val x = 1 + 1", LivyReply.Text("x: Int = 2"));
        var first = await Run("%%spark --lang scala\nval x = 1 + 1");
        Assert.True(first.Status == "ok", first.Reply.Content.ToString());
        Assert.Contains("x: Int = 2", first.StreamText());
        var again = await Run("%%spark livy --lang scala\nval x = 1 + 1");
        Assert.True(again.Status == "ok", again.Reply.Content.ToString());
        var mine = fixture.Livy.Sessions.Where(s => s.Name?.EndsWith("-default", StringComparison.Ordinal) == true && s.Exists).ToList();
        Assert.Single(mine);
        Assert.StartsWith("kg-", mine[0].Name);
        var posts = fixture.Livy.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/statements", StringComparison.Ordinal)).Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Contains(posts, p => p.GetProperty("code").GetString() == "val x = 1 + 1" && p.GetProperty("kind").GetString() == "spark");
    }

    [Fact]
    public async Task Sql_over_livy_is_a_typed_table_and_out_gives_a_DataFrame()
    {
        var outcome = await Run("%%spark livy --lang sql --out people\nSELECT id, name, score FROM people ORDER BY id");
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var data = TrinoMagicTests.LastTable(outcome);
        var resource = TrinoMagicTests.Resource(data);
        var fields = resource.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["id", "name", "score"], fields.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal("integer", fields[0].GetProperty("type").GetString());
        Assert.Equal("string", fields[1].GetProperty("type").GetString());
        Assert.Equal("number", fields[2].GetProperty("type").GetString());
        var rows = resource.GetProperty("data");
        Assert.Equal(3, rows.GetArrayLength());
        Assert.Equal("grace", rows[1].GetProperty("name").GetString());
        Assert.Equal(85.25, rows[1].GetProperty("score").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("score").ValueKind);
        var frame = await Run("$\"{people.Rows.Count} {people.Columns[\"name\"][0]}\"");
        Assert.Equal("3 ada", frame.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Sql_over_livy_refuses_parameters_rather_than_splicing_them()
    {
        var outcome = await Run("var who = \"'; drop table people; --\";");
        Assert.Equal("ok", outcome.Status);
        var posts = fixture.Livy.Requests.Count(r => r.Method == "POST");
        var refused = await Run("%%spark livy --lang sql\nSELECT * FROM people WHERE name = @who");
        Assert.Equal("error", refused.Status);
        Assert.Contains("cannot bind parameters", refused.Reply.Content.GetProperty("evalue").GetString());
        Assert.DoesNotContain(fixture.Livy.Requests.Skip(0), r => r.Body.Contains("drop table", StringComparison.Ordinal));
        Assert.Equal(posts, fixture.Livy.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task Python_tables_images_json_and_errors_become_jupyter_outputs()
    {
        fixture.Livy.Scripts.Reply("%table rows", LivyReply.PythonTable([
            new Dictionary<string, object?> { ["city"] = "Oslo", ["n"] = 3L },
            new Dictionary<string, object?> { ["city"] = "Lima", ["n"] = 5L }]));
        var table = await Run("%%spark --lang python\n%table rows");
        Assert.True(table.Status == "ok", table.Reply.Content.ToString());
        var resource = TrinoMagicTests.Resource(TrinoMagicTests.LastTable(table));
        Assert.Equal("Lima", resource.GetProperty("data")[1].GetProperty("city").GetString());
        Assert.Equal(5, resource.GetProperty("data")[1].GetProperty("n").GetInt64());

        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };
        fixture.Livy.Scripts.Reply("%matplot plt", LivyReply.Png(png));
        var image = await Run("%%spark --lang python\n%matplot plt");
        Assert.Equal(Convert.ToBase64String(png), image.OfType(MessageTypes.DisplayData).Single(m => m.Content.GetProperty("data").TryGetProperty("image/png", out _)).Content.GetProperty("data").GetProperty("image/png").GetString());

        fixture.Livy.Scripts.Reply("%json d", LivyReply.Json(new System.Text.Json.Nodes.JsonObject { ["a"] = 1 }));
        var json = await Run("%%spark --lang python\n%json d");
        Assert.Equal(1, json.OfType(MessageTypes.DisplayData).Single(m => m.Content.GetProperty("data").TryGetProperty("application/json", out _)).Content.GetProperty("data").GetProperty("application/json").GetProperty("a").GetInt32());

        fixture.Livy.Scripts.Reply("print(y)", LivyReply.Error("NameError", "name 'y' is not defined", "Traceback (most recent call last):\n", "  File \"<stdin>\", line 1, in <module>\n"));
        var error = await Run("%%spark --lang python\nprint(y)");
        Assert.Equal("error", error.Status);
        Assert.Equal("NameError", error.Reply.Content.GetProperty("ename").GetString());
        Assert.Equal("name 'y' is not defined", error.Reply.Content.GetProperty("evalue").GetString());
        Assert.Contains(error.Reply.Content.GetProperty("traceback").EnumerateArray(), t => t.GetString()!.Contains("File \"<stdin>\", line 1"));
    }

    [Fact]
    public async Task Progress_shows_while_a_statement_runs_and_an_interrupt_cancels_it_on_the_server()
    {
        var held = fixture.Livy.Scripts.Hold("spark.range(1000000000000L).count()");
        var progressSeen = fixture.Client.NextIOPubAsync(m => DisplayId(m)?.StartsWith("progress-", StringComparison.Ordinal) == true && Text(m).Contains("Livy statement", StringComparison.Ordinal));
        var running = Run("%%spark --lang scala\nspark.range(1000000000000L).count()");
        await held.Started.WaitAsync(Soon());
        held.SetProgress(0.25);
        var progress = await progressSeen.WaitAsync(Soon());
        Assert.False(running.IsCompleted);
        await fixture.Client.InterruptAsync(Soon());
        var outcome = await running;
        Assert.Equal("OperationCanceledException", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.Contains("was cancelled on the Livy server", outcome.Reply.Content.GetProperty("evalue").GetString());
        await held.Cancelled.WaitAsync(Soon());
        Assert.True(fixture.Livy.Session(held.SessionId!.Value).CancelReceived(held.StatementId!.Value));
        Assert.Contains("%", Text(progress) + string.Concat(outcome.IOPub.Where(m => DisplayId(m) == DisplayId(progress)).Select(Text)));
        fixture.Livy.Scripts.Reply("1", LivyReply.Text("res1: Int = 1"));
        Assert.Equal("ok", (await Run("%%spark --lang scala\n1")).Status);
    }

    [Fact]
    public async Task A_batch_is_submitted_and_its_state_and_log_stream_until_it_ends()
    {
        var created = fixture.Livy.WaitForRequestAsync(r => r.Method == "POST" && r.Path == "/batches", Soon());
        var running = Run("%spark submit /jobs/etl.jar --class com.example.Etl --conf spark.executor.memory=2g 2026-12-01 full");
        var request = await created;
        var batch = fixture.Livy.Batch(fixture.Livy.Requests.Count(r => r.Method == "POST" && r.Path == "/batches") - 1);
        // Each change is made once the follower has looked again since the last one, so it sees every state.
        async Task Polled()
        {
            var seen = fixture.Livy.Requests.Max(r => r.Sequence);
            await fixture.Livy.WaitForRequestAsync(r => r.Sequence > seen && r.Method == "GET" && r.Path.StartsWith($"/batches/{batch.Id}", StringComparison.Ordinal), Soon());
        }
        await Polled();
        batch.Run();
        await Polled();
        batch.Stdout("loading 2026-12-01", "wrote 42 rows");
        await Polled();
        batch.Succeed();
        var outcome = await running;
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("/jobs/etl.jar", body.GetProperty("file").GetString());
        Assert.Equal("com.example.Etl", body.GetProperty("className").GetString());
        Assert.Equal(["2026-12-01", "full"], body.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("2g", body.GetProperty("conf").GetProperty("spark.executor.memory").GetString());
        var text = outcome.StreamText();
        Assert.Contains("state: running", text);
        Assert.Contains("wrote 42 rows", text);
        Assert.Contains("state: success", text);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(text, "wrote 42 rows"));
    }

    [Fact]
    public async Task Every_non_GET_request_carries_X_Requested_By()
    {
        fixture.Livy.Scripts.Reply("2 * 21", LivyReply.Text("res0: Int = 42"));
        Assert.Equal("ok", (await Run("%%spark --lang scala\n2 * 21")).Status);
        var writes = fixture.Livy.Requests.Where(r => r.Method != "GET").ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, r => Assert.NotEmpty(r.Header("X-Requested-By")));
        Assert.DoesNotContain(fixture.Livy.Requests, r => r.Status == 400);
    }

    /// <summary>The next iopub message that matches, as it arrives (subscribe before the cell runs).</summary>
    internal static string? DisplayId(JupyterMessage m) => m.Content.TryGetProperty("transient", out var t) && t.TryGetProperty("display_id", out var id) ? id.GetString() : null;

    internal static string Text(JupyterMessage m) => m.Content.TryGetProperty("data", out var d) && d.TryGetProperty("text/plain", out var t) ? t.GetString() ?? "" : "";
}

/// <summary>A kernel of its own: shutting it down deletes the Livy sessions it created.</summary>
public sealed class LivyShutdownTests
{
    [Fact]
    public async Task Kernel_shutdown_deletes_its_livy_sessions()
    {
        await using var livy = await LivyServer.StartAsync();
        livy.Scripts.Reply("1", LivyReply.Text("res0: Int = 1"));
        var (kernel, client) = await KernelProcessHandle.StartAsync(environment: new Dictionary<string, string>
        {
            ["KG_CONNECTIONS"] = $$"""[ { "name": "livy", "kind": "livy", "connection_string": "http://127.0.0.1:{{livy.BaseUri.Port}}" } ]""",
        });
        await using (kernel)
        using (client)
        {
            var token = Soon();
            var outcome = await client.ExecuteAsync("%%spark --lang scala\n1", cancellationToken: token);
            Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
            var session = Assert.Single(livy.Sessions);
            Assert.True(session.Exists);
            var deleted = livy.WaitForRequestAsync(r => r.Method == "DELETE" && r.Path == $"/sessions/{session.Id}", token);
            await client.RequestAsync(KernelChannel.Control, client.CreateRequest(MessageTypes.ShutdownRequest, JsonDocument.Parse("{\"restart\":false}").RootElement), token);
            await deleted;
            Assert.False(session.Exists);
        }
    }
}
