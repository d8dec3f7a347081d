using System.Text;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Tests;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Kernel.Tests;

/// <summary>Bad input on the wire is dropped, never answered, never fatal; restart and shutdown work.</summary>
public sealed class WireSafetyTests
{
    [Fact]
    public async Task Unsigned_badly_signed_and_garbage_messages_are_dropped_and_the_kernel_keeps_serving()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync(keepAllMessages: true);
        await using var _ = kernel;
        using var __ = client;

        var good = client.CreateRequest(MessageTypes.KernelInfoRequest, KernelClient.EmptyContent);
        while (client.Messages.TryRead(out var _drained)) { } // what the start caused (replies to its readiness probes)
        var badIds = new List<string>();
        List<byte[]> Bad(JupyterMessage m) { badIds.Add(m.Header.MessageId); return client.Codec.Encode(m); }

        // 1. a wrong signature
        var forged = Bad(client.CreateRequest(MessageTypes.KernelInfoRequest, KernelClient.EmptyContent));
        forged[1] = Encoding.ASCII.GetBytes(new string('0', 64));
        client.SendFrames(KernelChannel.Shell, forged);
        // 2. no signature at all, on control
        var unsigned = Bad(client.CreateRequest(MessageTypes.KernelInfoRequest, KernelClient.EmptyContent));
        unsigned[1] = [];
        client.SendFrames(KernelChannel.Control, unsigned);
        // 3. content tampered after signing
        var tampered = Bad(client.CreateRequest(MessageTypes.ExecuteRequest, new ExecuteRequest { Code = "1" }, ProtocolJsonContext.Default.ExecuteRequest));
        tampered[^1] = Encoding.UTF8.GetBytes("{\"code\":\"System.Environment.Exit(3)\"}");
        client.SendFrames(KernelChannel.Shell, tampered);
        // 4. garbage: no delimiter, random bytes, too few frames, invalid JSON with a valid signature
        client.SendFrames(KernelChannel.Shell, [Encoding.ASCII.GetBytes("hello")]);
        client.SendFrames(KernelChannel.Shell, [new byte[] { 0xff, 0x00, 0x13 }, Encoding.ASCII.GetBytes("<IDS|MSG>"), [1, 2, 3]]);
        var signer = client.Codec.Signer;
        byte[] h = Encoding.UTF8.GetBytes("not json"), p = "{}"u8.ToArray(), m = "{}"u8.ToArray(), c = "{}"u8.ToArray();
        client.SendFrames(KernelChannel.Shell, [Encoding.ASCII.GetBytes("<IDS|MSG>"), Encoding.ASCII.GetBytes(signer.Sign(h, p, m, c)), h, p, m, c]);

        // Each channel is served in order, and iopub keeps the order of publication: once the good requests sent
        // after the bad ones are answered and idle, anything the bad ones caused would have arrived before.
        var reply = await client.RunAsync(KernelChannel.Shell, good, Soon());
        Assert.Equal(MessageTypes.KernelInfoReply, reply.Reply.MessageType);
        var control = await client.RunAsync(KernelChannel.Control, client.CreateRequest(MessageTypes.KernelInfoRequest, KernelClient.EmptyContent), Soon());
        Assert.Equal(MessageTypes.KernelInfoReply, control.Reply.MessageType);
        Assert.False(kernel.Process.HasExited);
        await kernel.WaitForStderrAsync(stderr => stderr.Contains("dropped", StringComparison.Ordinal), Soon());

        // Nothing was answered, and nothing published, for the dropped ones.
        var seen = new List<JupyterMessage>();
        while (client.Messages.TryRead(out var item)) seen.Add(item.Message);
        Assert.Contains(seen, m => m.ParentHeader?.MessageId == good.Header.MessageId);
        Assert.DoesNotContain(seen, m => badIds.Contains(m.ParentHeader?.MessageId ?? ""));
        Assert.DoesNotContain("System.Environment.Exit", kernel.Stderr);
    }

    [Fact]
    public async Task Shutdown_with_restart_exits_and_a_relaunched_kernel_has_a_new_session()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using var _ = kernel;
        var firstSession = (await client.ExecuteAsync("1", cancellationToken: Soon())).Reply.Header.Session;
        var reply = await client.RequestAsync(KernelChannel.Control, client.CreateRequest(MessageTypes.ShutdownRequest, new ShutdownContent(true), ProtocolJsonContext.Default.ShutdownContent), Soon());
        Assert.True(reply.Content.GetProperty("restart").GetBoolean());
        await kernel.Process.WaitForExitAsync(Soon());
        Assert.Equal(0, kernel.Process.ExitCode);
        client.Dispose();

        kernel.Relaunch();
        using var again = await kernel.ConnectAsync();
        var outcome = await again.ExecuteAsync("\"back\"", cancellationToken: Soon());
        Assert.Equal("ok", outcome.Status);
        Assert.NotEqual(firstSession, outcome.Reply.Header.Session);
        Assert.Equal(1, outcome.Reply.Content.GetProperty("execution_count").GetInt32());

        await again.RequestAsync(KernelChannel.Control, again.CreateRequest(MessageTypes.ShutdownRequest, new ShutdownContent(false), ProtocolJsonContext.Default.ShutdownContent), Soon());
        await kernel.Process.WaitForExitAsync(Soon());
    }

    [Fact]
    public async Task A_cell_that_ignores_interrupt_is_abandoned_and_the_kernel_goes_on_from_the_cell_before()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using var _ = kernel;
        using var __ = client;
        Assert.Equal("ok", (await client.ExecuteAsync("var kept = 41;", cancellationToken: Soon())).Status);
        // A wait inside the runtime that neither checks a token nor blocks: nothing can stop it but its end.
        var running = await client.StartExecuteAsync("Console.WriteLine(\"spinning\"); var lost = 1; Thread.SpinWait(int.MaxValue);", Soon(),
            KernelClientTestExtensions.Printed("spinning"));
        await client.InterruptAsync(Soon());
        var outcome = await running;
        Assert.Equal("error", outcome.Status);
        Assert.Equal("CellAbandoned", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.Contains("background", outcome.Reply.Content.GetProperty("evalue").GetString());
        Assert.Equal("idle", outcome.IOPub[^1].Content.GetProperty("execution_state").GetString());

        var next = await client.ExecuteAsync("kept + 1", cancellationToken: Soon());
        Assert.Equal("42", next.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
        var who = (await client.ExecuteAsync("%who", cancellationToken: Soon())).StreamText();
        Assert.Contains("kept", who);
        Assert.Contains("Lost with cells abandoned after an interrupt", who);
        Assert.Contains("lost", who);

        // Control still answers, and a restart gives a working kernel.
        var info = await client.RequestAsync(KernelChannel.Control, client.CreateRequest(MessageTypes.KernelInfoRequest, KernelClient.EmptyContent), Soon());
        Assert.Equal(MessageTypes.KernelInfoReply, info.MessageType);
        await client.RequestAsync(KernelChannel.Control, client.CreateRequest(MessageTypes.ShutdownRequest, new ShutdownContent(true), ProtocolJsonContext.Default.ShutdownContent), Soon());
        await kernel.Process.WaitForExitAsync(Soon());
        kernel.Relaunch();
        using var again = await kernel.ConnectAsync();
        Assert.Equal("ok", (await again.ExecuteAsync("1 + 1", cancellationToken: Soon())).Status);
    }

    [Fact]
    public async Task Heartbeat_echoes()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using var _ = kernel;
        using var __ = client;
        Assert.True(client.IsAlive(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Iopub_subscribers_are_welcomed()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync(keepAllMessages: true);
        await using var _ = kernel;
        using var __ = client;
        var found = false;
        while (client.Messages.TryRead(out var item))
            if (item.Channel == KernelChannel.IOPub && item.Message.MessageType == MessageTypes.IopubWelcome) found = true;
        Assert.True(found);
    }
}
