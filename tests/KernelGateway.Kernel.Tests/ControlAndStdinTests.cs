using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Tests;
using KernelGateway.Zmq;

namespace KernelGateway.Kernel.Tests;

/// <summary>Control channel, interrupt, stdin, comms and stop_on_error, over real sockets.</summary>
public sealed class ControlAndStdinTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private KernelClient Client => fixture.Client;
    private static CancellationToken Soon => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private JupyterMessage Execute(string code, bool allowStdin = false, bool stopOnError = true) =>
        Client.CreateRequest(MessageTypes.ExecuteRequest, new ExecuteRequest { Code = code, AllowStdin = allowStdin, StopOnError = stopOnError }, ProtocolJsonContext.Default.ExecuteRequest);

    [Fact]
    public async Task Kernel_info_on_control_is_answered_while_shell_is_busy()
    {
        var slow = Client.RunAsync(KernelChannel.Shell, Execute("System.Threading.Thread.Sleep(3000); \"slept\""), Soon);
        await Task.Delay(500);
        var info = await Client.RequestAsync(KernelChannel.Control, Client.CreateRequest(MessageTypes.KernelInfoRequest, KernelClient.EmptyContent), Soon);
        Assert.False(slow.IsCompleted, "the control reply should arrive while the cell still runs");
        Assert.Equal("C#", info.Content.GetProperty("language_info").GetProperty("name").GetString());
        Assert.Equal("ok", (await slow).Status);
    }

    [Fact]
    public async Task Interrupt_cancels_the_running_cell_with_an_error_and_the_kernel_stays_usable()
    {
        var running = Client.RunAsync(KernelChannel.Shell, Execute("while (true) { await Task.Delay(10, CellToken); }"), Soon);
        await Task.Delay(1000);
        var reply = await Client.RequestAsync(KernelChannel.Control, Client.CreateRequest(MessageTypes.InterruptRequest, KernelClient.EmptyContent), Soon);
        Assert.Equal("ok", reply.Content.GetProperty("status").GetString());
        var outcome = await running;
        Assert.Equal("error", outcome.Status);
        Assert.Equal("OperationCanceledException", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.Equal("idle", outcome.IOPub[^1].Content.GetProperty("execution_state").GetString());

        var next = await Client.RunAsync(KernelChannel.Shell, Execute("1 + 1"), Soon);
        Assert.Equal("ok", next.Status);
    }

    [Fact]
    public async Task Console_ReadLine_becomes_input_request_when_stdin_is_allowed()
    {
        var prompts = new List<JsonElement>();
        Client.InputHandler = (request, _) =>
        {
            lock (prompts) prompts.Add(request.Content);
            return Task.FromResult("Ada");
        };
        try
        {
            var outcome = await Client.RunAsync(KernelChannel.Shell, Execute("Console.Write(\"name? \"); var who = Console.ReadLine(); Console.WriteLine($\"hello {who}\");", allowStdin: true), Soon);
            Assert.Equal("ok", outcome.Status);
            Assert.Contains("hello Ada", outcome.StreamText());
            var key = await Client.RunAsync(KernelChannel.Shell, Execute("Console.ReadKey().KeyChar", allowStdin: true), Soon);
            Assert.Equal("A", key.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
            var password = await Client.RunAsync(KernelChannel.Shell, Execute("Password(\"secret: \").Length", allowStdin: true), Soon);
            Assert.Equal("3", password.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
            lock (prompts)
            {
                Assert.Equal(3, prompts.Count);
                Assert.True(prompts[2].GetProperty("password").GetBoolean());
                Assert.Equal("secret: ", prompts[2].GetProperty("prompt").GetString());
            }
        }
        finally
        {
            Client.InputHandler = null;
        }
    }

    [Fact]
    public async Task Reading_input_without_allow_stdin_is_a_clear_error()
    {
        var outcome = await Client.RunAsync(KernelChannel.Shell, Execute("Console.ReadLine()", allowStdin: false), Soon);
        Assert.Equal("error", outcome.Status);
        Assert.Contains("input", outcome.Reply.Content.GetProperty("evalue").GetString());
    }

    [Fact]
    public async Task Comms_open_message_and_close_through_a_registered_target()
    {
        var register = await Client.RunAsync(KernelChannel.Shell, Execute("""
            Comms.RegisterTarget("echo", (comm, data) =>
            {
                comm.MessageReceived += d => comm.Send(new System.Text.Json.Nodes.JsonObject { ["echo"] = d?.DeepClone() });
                comm.Send(new System.Text.Json.Nodes.JsonObject { ["opened"] = data?["greeting"]?.DeepClone() });
            });
            """), Soon);
        Assert.Equal("ok", register.Status);

        var commId = Guid.NewGuid().ToString("N");
        var open = await Client.NotifyAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommOpen,
            new CommOpen(commId, "echo", new JsonObject { ["greeting"] = "hi" }), ProtocolJsonContext.Default.CommOpen), Soon);
        var opened = Assert.Single(open, m => m.MessageType == MessageTypes.CommMsg).Content;
        Assert.Equal(commId, opened.GetProperty("comm_id").GetString());
        Assert.Equal("hi", opened.GetProperty("data").GetProperty("opened").GetString());

        var info = await Client.RequestAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommInfoRequest, new CommInfoRequest("echo"), ProtocolJsonContext.Default.CommInfoRequest), Soon);
        Assert.Equal("echo", info.Content.GetProperty("comms").GetProperty(commId).GetProperty("target_name").GetString());

        var msg = await Client.NotifyAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommMsg,
            new CommMessage(commId, new JsonObject { ["n"] = 7 }), ProtocolJsonContext.Default.CommMessage), Soon);
        Assert.Equal(7, Assert.Single(msg, m => m.MessageType == MessageTypes.CommMsg).Content.GetProperty("data").GetProperty("echo").GetProperty("n").GetInt32());

        await Client.NotifyAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommClose, new CommMessage(commId, null), ProtocolJsonContext.Default.CommMessage), Soon);
        var after = await Client.RequestAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommInfoRequest, new CommInfoRequest(null), ProtocolJsonContext.Default.CommInfoRequest), Soon);
        Assert.False(after.Content.GetProperty("comms").TryGetProperty(commId, out _));
    }

    [Fact]
    public async Task Comm_open_for_an_unknown_target_is_answered_with_comm_close()
    {
        var commId = Guid.NewGuid().ToString("N");
        var open = await Client.NotifyAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommOpen,
            new CommOpen(commId, "no.such.target", null), ProtocolJsonContext.Default.CommOpen), Soon);
        var close = Assert.Single(open, m => m.MessageType == MessageTypes.CommClose);
        Assert.Equal(commId, close.Content.GetProperty("comm_id").GetString());
    }

    [Fact]
    public async Task An_error_with_stop_on_error_aborts_the_queued_executes()
    {
        var first = Client.RunAsync(KernelChannel.Shell, Execute("System.Threading.Thread.Sleep(1500); throw new Exception(\"first fails\");"), Soon);
        await Task.Delay(300);
        var second = Client.RunAsync(KernelChannel.Shell, Execute("\"second\""), Soon);
        var third = Client.RunAsync(KernelChannel.Shell, Execute("\"third\""), Soon);
        Assert.Equal("error", (await first).Status);
        Assert.Equal("aborted", (await second).Status);
        Assert.Equal("aborted", (await third).Status);
        Assert.Empty((await second).OfType(MessageTypes.ExecuteResult));
        Assert.Equal("ok", (await Client.RunAsync(KernelChannel.Shell, Execute("\"after\""), Soon)).Status);
    }

    [Fact]
    public async Task Without_stop_on_error_queued_executes_still_run()
    {
        var first = Client.RunAsync(KernelChannel.Shell, Execute("System.Threading.Thread.Sleep(1000); throw new Exception(\"fails\");", stopOnError: false), Soon);
        await Task.Delay(300);
        var second = Client.RunAsync(KernelChannel.Shell, Execute("\"runs anyway\""), Soon);
        Assert.Equal("error", (await first).Status);
        Assert.Equal("ok", (await second).Status);
    }
}
