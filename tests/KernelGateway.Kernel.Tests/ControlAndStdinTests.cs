using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Tests;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Kernel.Tests;

/// <summary>Control channel, interrupt, stdin, comms and stop_on_error, over real sockets.</summary>
public sealed class ControlAndStdinTests(DebugLogKernelFixture fixture) : IClassFixture<DebugLogKernelFixture>
{
    private KernelClient Client => fixture.Client;

    private JupyterMessage Execute(string code, bool allowStdin = false, bool stopOnError = true) =>
        Client.CreateRequest(MessageTypes.ExecuteRequest, new ExecuteRequest { Code = code, AllowStdin = allowStdin, StopOnError = stopOnError }, ProtocolJsonContext.Default.ExecuteRequest);

    [Fact]
    public async Task Kernel_info_on_control_is_answered_while_shell_is_busy()
    {
        using var input = new HeldInput(Client);
        var busy = Client.RunAsync(KernelChannel.Shell, Execute("var line = Console.ReadLine(); \"read \" + line", allowStdin: true), Soon());
        await input.Requested.WaitAsync(Soon());
        var info = await Client.RequestAsync(KernelChannel.Control, Client.CreateRequest(MessageTypes.KernelInfoRequest, KernelClient.EmptyContent), Soon());
        Assert.False(busy.IsCompleted, "the cell waits for its input until the test gives it");
        Assert.Equal("C#", info.Content.GetProperty("language_info").GetProperty("name").GetString());
        input.Release("done");
        var outcome = await busy;
        Assert.Equal("ok", outcome.Status);
        Assert.Equal("read done", outcome.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }

    [Fact]
    public async Task Interrupt_cancels_the_running_cell_with_an_error_and_the_kernel_stays_usable()
    {
        // Interrupted once it prints: it runs in the engine by then (InterruptTests interrupt on execute_input).
        var running = await Client.StartAsync(Execute("Console.WriteLine(\"running\"); while (true) { await Task.Delay(10, CellToken); }"), Soon(),
            KernelClientTestExtensions.Printed("running"));
        var reply = await Client.InterruptAsync(Soon());
        Assert.Equal("ok", reply.Content.GetProperty("status").GetString());
        var outcome = await running;
        Assert.Equal("error", outcome.Status);
        Assert.Equal("OperationCanceledException", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.Equal("idle", outcome.IOPub[^1].Content.GetProperty("execution_state").GetString());

        var next = await Client.RunAsync(KernelChannel.Shell, Execute("1 + 1"), Soon());
        Assert.True(next.Status == "ok", next.Reply.Content.ToString());
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
            var outcome = await Client.RunAsync(KernelChannel.Shell, Execute("Console.Write(\"name? \"); var who = Console.ReadLine(); Console.WriteLine($\"hello {who}\");", allowStdin: true), Soon());
            Assert.Equal("ok", outcome.Status);
            Assert.Contains("hello Ada", outcome.StreamText());
            var key = await Client.RunAsync(KernelChannel.Shell, Execute("Console.ReadKey().KeyChar", allowStdin: true), Soon());
            Assert.Equal("A", key.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
            var password = await Client.RunAsync(KernelChannel.Shell, Execute("Password(\"secret: \").Length", allowStdin: true), Soon());
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
        var outcome = await Client.RunAsync(KernelChannel.Shell, Execute("Console.ReadLine()", allowStdin: false), Soon());
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
            """), Soon());
        Assert.Equal("ok", register.Status);

        var commId = Guid.NewGuid().ToString("N");
        var open = await Client.NotifyAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommOpen,
            new CommOpen(commId, "echo", new JsonObject { ["greeting"] = "hi" }), ProtocolJsonContext.Default.CommOpen), Soon());
        var opened = Assert.Single(open, m => m.MessageType == MessageTypes.CommMsg).Content;
        Assert.Equal(commId, opened.GetProperty("comm_id").GetString());
        Assert.Equal("hi", opened.GetProperty("data").GetProperty("opened").GetString());

        var info = await Client.RequestAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommInfoRequest, new CommInfoRequest("echo"), ProtocolJsonContext.Default.CommInfoRequest), Soon());
        Assert.Equal("echo", info.Content.GetProperty("comms").GetProperty(commId).GetProperty("target_name").GetString());

        var msg = await Client.NotifyAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommMsg,
            new CommMessage(commId, new JsonObject { ["n"] = 7 }), ProtocolJsonContext.Default.CommMessage), Soon());
        Assert.Equal(7, Assert.Single(msg, m => m.MessageType == MessageTypes.CommMsg).Content.GetProperty("data").GetProperty("echo").GetProperty("n").GetInt32());

        await Client.NotifyAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommClose, new CommMessage(commId, null), ProtocolJsonContext.Default.CommMessage), Soon());
        var after = await Client.RequestAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommInfoRequest, new CommInfoRequest(null), ProtocolJsonContext.Default.CommInfoRequest), Soon());
        Assert.False(after.Content.GetProperty("comms").TryGetProperty(commId, out _));
    }

    [Fact]
    public async Task Comm_open_for_an_unknown_target_is_answered_with_comm_close()
    {
        var commId = Guid.NewGuid().ToString("N");
        var open = await Client.NotifyAsync(KernelChannel.Shell, Client.CreateRequest(MessageTypes.CommOpen,
            new CommOpen(commId, "no.such.target", null), ProtocolJsonContext.Default.CommOpen), Soon());
        var close = Assert.Single(open, m => m.MessageType == MessageTypes.CommClose);
        Assert.Equal(commId, close.Content.GetProperty("comm_id").GetString());
    }

    [Fact]
    public async Task An_error_with_stop_on_error_aborts_the_queued_executes()
    {
        using var input = new HeldInput(Client);
        var first = Client.RunAsync(KernelChannel.Shell, Execute("Console.ReadLine(); throw new Exception(\"first fails\");", allowStdin: true), Soon());
        await input.Requested.WaitAsync(Soon());
        var (second, third) = await QueueBehindAsync(Execute("\"second\""), Execute("\"third\""));
        input.Release("");
        Assert.Equal("error", (await first).Status);
        Assert.Equal("aborted", (await second).Status);
        Assert.Equal("aborted", (await third).Status);
        Assert.Empty((await second).OfType(MessageTypes.ExecuteResult));
        Assert.Equal("ok", (await Client.RunAsync(KernelChannel.Shell, Execute("\"after\""), Soon())).Status);
    }

    [Fact]
    public async Task Without_stop_on_error_queued_executes_still_run()
    {
        using var input = new HeldInput(Client);
        var first = Client.RunAsync(KernelChannel.Shell, Execute("Console.ReadLine(); throw new Exception(\"fails\");", allowStdin: true, stopOnError: false), Soon());
        await input.Requested.WaitAsync(Soon());
        var (second, third) = await QueueBehindAsync(Execute("\"runs anyway\""), Execute("\"and this\""));
        input.Release("");
        Assert.Equal("error", (await first).Status);
        Assert.Equal("ok", (await second).Status);
        Assert.Equal("ok", (await third).Status);
    }

    /// <summary>Sends two executes while a cell runs and returns once the kernel has received both (its Debug log says so).</summary>
    private async Task<(Task<RequestOutcome>, Task<RequestOutcome>)> QueueBehindAsync(JupyterMessage second, JupyterMessage third)
    {
        static int Received(string stderr) => Regex.Count(stderr, "shell <- execute_request");
        var before = Received(fixture.Kernel.Stderr);
        var outcomes = (Client.RunAsync(KernelChannel.Shell, second, Soon()), Client.RunAsync(KernelChannel.Shell, third, Soon()));
        await fixture.Kernel.WaitForStderrAsync(stderr => Received(stderr) >= before + 2, Soon());
        return outcomes;
    }

    /// <summary>Answers the next input_request only when the test says: a cell reading input runs until then.</summary>
    private sealed class HeldInput : IDisposable
    {
        private readonly KernelClient _client;
        private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<string> _value = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldInput(KernelClient client)
        {
            _client = client;
            client.InputHandler = (_, _) =>
            {
                _requested.TrySetResult();
                return _value.Task;
            };
        }

        /// <summary>Completes when the kernel has asked for input.</summary>
        public Task Requested => _requested.Task;

        public void Release(string value) => _value.TrySetResult(value);

        public void Dispose()
        {
            _value.TrySetResult("");
            _client.InputHandler = null;
        }
    }
}
