using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Tests;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Kernel.Tests;

/// <summary>Execution over real sockets against the real kernel process.</summary>
public sealed class ExecutionTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private KernelClient Client => fixture.Client;

    private Task<RequestOutcome> Run(string code, bool allowStdin = false, bool silent = false, bool storeHistory = true) =>
        Client.ExecuteAsync(code, silent: silent, storeHistory: storeHistory, allowStdin: allowStdin, cancellationToken: Soon());

    [Fact]
    public async Task Execute_publishes_busy_input_outputs_then_idle_all_parented_to_the_request()
    {
        var outcome = await Run("Console.WriteLine(\"x\"); 40 + 2");
        Assert.Equal("ok", outcome.Status);
        var types = outcome.IOPub.Select(m => m.MessageType).ToList();
        Assert.Equal(MessageTypes.Status, types[0]);
        Assert.Equal("busy", outcome.IOPub[0].Content.GetProperty("execution_state").GetString());
        Assert.Equal(MessageTypes.ExecuteInput, types[1]);
        Assert.Equal(MessageTypes.Stream, types[2]);
        Assert.Equal(MessageTypes.ExecuteResult, types[3]);
        Assert.Equal("idle", outcome.IOPub[^1].Content.GetProperty("execution_state").GetString());
        Assert.All(outcome.IOPub, m => Assert.Equal(outcome.Request.Header.MessageId, m.ParentHeader!.MessageId));
        Assert.Equal(outcome.Request.Header.MessageId, outcome.Reply.ParentHeader!.MessageId);
        var count = outcome.Reply.Content.GetProperty("execution_count").GetInt32();
        Assert.Equal(count, outcome.IOPub[1].Content.GetProperty("execution_count").GetInt32());
        Assert.Equal("42", outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Silent_execution_publishes_no_outputs_and_does_not_count()
    {
        var before = (await Run("1")).Reply.Content.GetProperty("execution_count").GetInt32();
        var silent = await Run("Console.WriteLine(\"hidden\"); 5", silent: true);
        Assert.Equal("ok", silent.Status);
        Assert.All(silent.IOPub, m => Assert.Equal(MessageTypes.Status, m.MessageType));
        var after = (await Run("2")).Reply.Content.GetProperty("execution_count").GetInt32();
        Assert.Equal(before + 1, after);
    }

    [Fact]
    public async Task Store_history_false_does_not_increment_the_count()
    {
        var a = (await Run("1")).Reply.Content.GetProperty("execution_count").GetInt32();
        var b = (await Run("2", storeHistory: false)).Reply.Content.GetProperty("execution_count").GetInt32();
        var c = (await Run("3")).Reply.Content.GetProperty("execution_count").GetInt32();
        Assert.Equal(a, b);
        Assert.Equal(a + 1, c);
    }

    [Fact]
    public async Task Compile_error_gives_one_error_with_line_and_column_and_the_kernel_stays_usable()
    {
        var outcome = await Run("var ok = 1;\nint x = \"text\";");
        Assert.Equal("error", outcome.Status);
        var error = Assert.Single(outcome.OfType(MessageTypes.Error));
        Assert.Equal("CompilationError", error.Content.GetProperty("ename").GetString());
        Assert.Contains("(2,9): error CS0029", error.Content.GetProperty("evalue").GetString());
        Assert.Equal("CompilationError", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.Equal("ok", (await Run("1 + 1")).Status);
    }

    [Fact]
    public async Task Runtime_exception_gives_type_message_and_traceback()
    {
        var outcome = await Run("void Inner() => throw new ArgumentException(\"bad arg\");\nInner();");
        var error = Assert.Single(outcome.OfType(MessageTypes.Error)).Content;
        Assert.Equal("System.ArgumentException", error.GetProperty("ename").GetString());
        Assert.Equal("bad arg", error.GetProperty("evalue").GetString());
        Assert.Contains(error.GetProperty("traceback").EnumerateArray(), l => l.GetString()!.Contains("Inner"));
    }

    [Fact]
    public async Task Variables_persist_between_cells_and_can_be_redeclared()
    {
        Assert.Equal("ok", (await Run("var total = 10;")).Status);
        var product = await Run("total * 3");
        Assert.Equal("30", product.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
        Assert.Equal("ok", (await Run("var total = \"ten\";")).Status); // papermill re-declares injected parameters
        var outcome = await Run("total");
        Assert.Equal("ten", outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Stream_output_of_a_100k_line_loop_is_batched_into_few_messages_and_nothing_is_lost()
    {
        var outcome = await Run("for (var i = 0; i < 100000; i++) Console.WriteLine(i);");
        Assert.Equal("ok", outcome.Status);
        var streams = outcome.OfType(MessageTypes.Stream).ToList();
        var lines = outcome.StreamText().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(100000, lines.Length);
        Assert.Equal("0", lines[0]);
        Assert.Equal("99999", lines[^1]);
        Assert.True(streams.Count < 1000, $"{streams.Count} stream messages for 100k lines");
    }

    [Fact]
    public async Task Stdout_and_stderr_keep_their_order()
    {
        var outcome = await Run("Console.WriteLine(\"a\"); Console.Error.WriteLine(\"b\"); Console.WriteLine(\"c\");");
        var parts = outcome.OfType(MessageTypes.Stream).Select(m => (m.Content.GetProperty("name").GetString(), m.Content.GetProperty("text").GetString())).ToList();
        Assert.Equal([("stdout", "a\n"), ("stderr", "b\n"), ("stdout", "c\n")], parts);
    }

    [Fact]
    public async Task Display_then_update_sends_update_display_data_with_the_same_display_id()
    {
        var outcome = await Run("var d = display(\"first\"); d.Update(\"second\");");
        var shown = Assert.Single(outcome.OfType(MessageTypes.DisplayData)).Content;
        var updated = Assert.Single(outcome.OfType(MessageTypes.UpdateDisplayData)).Content;
        var id = shown.GetProperty("transient").GetProperty("display_id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(id, updated.GetProperty("transient").GetProperty("display_id").GetString());
        Assert.Equal("second", updated.GetProperty("data").GetProperty("text/plain").GetString());
        Assert.Empty(outcome.OfType(MessageTypes.ExecuteResult));
    }

    [Fact]
    public async Task ClearOutput_sends_clear_output_with_wait()
    {
        var outcome = await Run("Console.WriteLine(\"one\"); ClearOutput(wait: true); Console.WriteLine(\"two\");");
        var types = outcome.IOPub.Select(m => m.MessageType).Where(t => t != MessageTypes.Status && t != MessageTypes.ExecuteInput).ToList();
        Assert.Equal([MessageTypes.Stream, MessageTypes.ClearOutput, MessageTypes.Stream], types);
        Assert.True(outcome.OfType(MessageTypes.ClearOutput).Single().Content.GetProperty("wait").GetBoolean());
    }

    [Fact]
    public async Task Html_values_render_as_text_html()
    {
        var outcome = await Run("HTML(\"<b>bold</b>\")");
        var data = outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data");
        Assert.Equal("<b>bold</b>", data.GetProperty("text/html").GetString());
        Assert.True(data.TryGetProperty("text/plain", out _));
    }

    [Fact]
    public async Task A_sequence_of_records_renders_as_a_table()
    {
        var outcome = await Run("record Book(string Title, int Year);\nnew List<Book> { new(\"Dune\", 1965), new(\"Emma <1815>\", 1815) }");
        var data = outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data");
        var resource = data.GetProperty("application/vnd.dataresource+json");
        Assert.Equal(["Title", "Year"], resource.GetProperty("schema").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(1815, resource.GetProperty("data")[1].GetProperty("Year").GetInt32());
        Assert.Contains("Emma &lt;1815&gt;", data.GetProperty("text/html").GetString());
        Assert.Contains("2 rows", data.GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Rich_values_carry_text_plain_and_text_html()
    {
        var outcome = await Run("new { Name = \"Ada\", Year = 1843 }");
        var data = outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data");
        Assert.Contains("Ada", data.GetProperty("text/plain").GetString());
        Assert.Contains("<table", data.GetProperty("text/html").GetString());
    }

    [Fact]
    public async Task User_expressions_are_evaluated_after_the_code()
    {
        var request = Client.CreateRequest(MessageTypes.ExecuteRequest,
            new ExecuteRequest { Code = "var ue = 21;", UserExpressions = new() { ["double"] = "ue * 2", ["broken"] = "nope(" } },
            ProtocolJsonContext.Default.ExecuteRequest);
        var outcome = await Client.RunAsync(KernelChannel.Shell, request, Soon());
        var expressions = outcome.Reply.Content.GetProperty("user_expressions");
        Assert.Equal("ok", expressions.GetProperty("double").GetProperty("status").GetString());
        Assert.Equal("42", expressions.GetProperty("double").GetProperty("data").GetProperty("text/plain").GetString());
        Assert.Equal("error", expressions.GetProperty("broken").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_10_MB_execute_request_runs()
    {
        var payload = new string('a', 10 * 1024 * 1024);
        var outcome = await Run($"var big = \"{payload}\"; big.Length");
        Assert.Equal("ok", outcome.Status);
        Assert.Equal((10 * 1024 * 1024).ToString(), outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Magics_run_in_order_with_code_and_unknown_magics_are_usage_errors()
    {
        var mixed = await Run("var m = 6;\n%who\nm * 7");
        Assert.Contains("m", mixed.StreamText());
        Assert.Equal("42", mixed.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());

        var timed = await Run("%%time\nSystem.Threading.Thread.Sleep(20);\n1");
        Assert.Contains("Wall time:", timed.StreamText());

        var list = await Run("%lsmagic");
        Assert.Contains("%time", list.StreamText());
        Assert.Contains("%%time", list.StreamText());

        var unknown = await Run("%nosuchmagic 1");
        Assert.Equal("error", unknown.Status);
        Assert.Equal("UsageError", unknown.Reply.Content.GetProperty("ename").GetString());
        Assert.Contains("%nosuchmagic", unknown.Reply.Content.GetProperty("evalue").GetString());
    }

    [Fact]
    public async Task Cell_magic_names_a_dotnet_interactive_directive()
    {
        var outcome = await Run("%%csharp\n\"via directive\"");
        Assert.Equal("ok", outcome.Status);
        Assert.Equal("via directive", outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
        var hash = await Run("#!csharp\n\"hash form\"");
        Assert.Equal("hash form", hash.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Nuget_references_install_with_progress_and_load()
    {
        var outcome = await Run("#r \"nuget: Humanizer.Core, 2.14.1\"\nusing Humanizer;\n\"some_title_text\".Humanize()");
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        Assert.Equal("some title text", outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
        var installed = outcome.OfType(MessageTypes.UpdateDisplayData).LastOrDefault() ?? outcome.OfType(MessageTypes.DisplayData).Last();
        Assert.Contains("Humanizer.Core, 2.14.1", installed.Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Completion_is_filtered_by_prefix_with_cursor_span_in_code_points()
    {
        var code = "var s = \"é😀\"; Console.WriteL";
        var request = Client.CreateRequest(MessageTypes.CompleteRequest, new CompleteRequest(code, code.EnumerateRunes().Count()), ProtocolJsonContext.Default.CompleteRequest);
        var reply = await Client.RequestAsync(KernelChannel.Shell, request, Soon());
        var matches = reply.Content.GetProperty("matches").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Equal(["WriteLine"], matches);
        var points = code.EnumerateRunes().Count();
        Assert.Equal(points - "WriteL".Length, reply.Content.GetProperty("cursor_start").GetInt32());
        Assert.Equal(points, reply.Content.GetProperty("cursor_end").GetInt32());
        var types = reply.Content.GetProperty("metadata").GetProperty("_jupyter_types_experimental");
        Assert.Equal("method", types[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task History_search_finds_earlier_inputs()
    {
        await Run("var historyMarker = 12345;");
        var request = Client.CreateRequest(MessageTypes.HistoryRequest,
            new HistoryRequest { HistAccessType = "search", Pattern = "*historyMarker*", N = 5 }, ProtocolJsonContext.Default.HistoryRequest);
        var reply = await Client.RequestAsync(KernelChannel.Shell, request, Soon());
        var entries = reply.Content.GetProperty("history").EnumerateArray().ToList();
        Assert.Contains(entries, e => e[2].GetString() == "var historyMarker = 12345;");
    }
}
