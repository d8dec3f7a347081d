using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using KernelGateway.Protocol.WebSocket;
using static KernelGateway.Gateway.Tests.Channels.ChannelsClient;

namespace KernelGateway.Gateway.Tests.Channels;

/// <summary>The WebSocket channels over real kernels and real sockets.</summary>
public sealed class ChannelsApiTests
{
    [Theory]
    [InlineData(GatewayServer.PythonKernel, "print(6 * 7)")]
    [InlineData(GatewayServer.CSharpKernel, "Console.WriteLine(6 * 7);")]
    public async Task A_cell_runs_over_the_websocket_with_its_reply_and_outputs(string kernel, string code)
    {
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(kernel)).GetProperty("id").GetString()!;
        await using var client = await ConnectAsync(server, id);
        await server.WaitForStateAsync(id, "idle");
        await server.WaitForConnectionsAsync(id, 1); // the server counts the socket once its handler has taken it
        var msgId = await client.ExecuteAsync(code);
        var messages = await client.ReceiveOutcomeAsync(msgId);
        var reply = messages.Single(m => Type(m) == "execute_reply");
        Assert.Equal("shell", Channel(reply));
        Assert.Equal("ok", reply.GetProperty("content").GetProperty("status").GetString());
        Assert.Equal("42\n", Stdout(messages));
        Assert.Contains(messages, m => Channel(m) == "iopub" && Type(m) == "status" && ParentId(m) == msgId
            && m.GetProperty("content").GetProperty("execution_state").GetString() == "busy");
        await client.DisposeAsync();
        await server.WaitForConnectionsAsync(id, 0);
    }

    [Fact]
    public async Task Iopub_goes_to_every_client_and_a_reply_only_to_the_client_that_asked()
    {
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        await using var a = await ConnectAsync(server, id);
        await using var b = await ConnectAsync(server, id);
        var msgId = await a.ExecuteAsync("print('to everyone')");
        var seenByA = await a.ReceiveOutcomeAsync(msgId);
        Assert.Contains(seenByA, m => Type(m) == "execute_reply" && ParentId(m) == msgId);

        var infoId = await b.SendAsync("shell", "kernel_info_request");
        var seenByB = await b.ReceiveUntilAsync(m => Type(m) == "kernel_info_reply" && ParentId(m) == infoId);
        Assert.Equal("to everyone\n", Stdout(seenByB.Where(m => ParentId(m) == msgId)));
        Assert.DoesNotContain(seenByB, m => Type(m) == "execute_reply");
        Assert.DoesNotContain(seenByA, m => Type(m) == "kernel_info_reply");
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_and_the_others_get_everything()
    {
        await using var server = await GatewayServer.StartAsync(o => o.WebSocketQueueLimit = 300);
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        await using var stalled = await ConnectAsync(server, id, read: false);
        await using var reader = await ConnectAsync(server, id);
        await server.WaitForConnectionsAsync(id, 2);

        // 900 outputs of 50 kB: far more than the stalled client's queue (300) and socket buffers hold, and fewer than
        // the kernel's iopub high-water mark (1000), so the kernel itself never drops any.
        var msgId = await reader.ExecuteAsync("for i in range(900):\n    print(str(i).rjust(50000, '.'), flush=True)");
        var messages = await reader.ReceiveOutcomeAsync(msgId);
        Assert.Equal(900, Stdout(messages).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        await server.WaitForConnectionsAsync(id, 1);

        stalled.BeginReading();
        var why = await stalled.WaitForEndAsync();
        Assert.NotNull(why);
        var after = await reader.SendAsync("shell", "kernel_info_request");
        await reader.ReceiveUntilAsync(m => ParentId(m) == after && Type(m) == "kernel_info_reply");
    }

    [Fact]
    public async Task The_client_answers_input_requests_through_the_stdin_channel()
    {
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        await using var client = await ConnectAsync(server, id);
        var msgId = await client.ExecuteAsync("name = input('who? ')\nprint('hello', name)", allowStdin: true);
        var upToPrompt = await client.ReceiveUntilAsync(m => Type(m) == "input_request" || (Type(m) == "execute_reply" && ParentId(m) == msgId));
        var prompt = upToPrompt[^1];
        Assert.True(Type(prompt) == "input_request", "no input_request before the reply: " + string.Join("\n", upToPrompt.Select(m => m.GetRawText())));
        Assert.Equal("stdin", Channel(prompt));
        Assert.Equal("who? ", prompt.GetProperty("content").GetProperty("prompt").GetString());
        await client.SendAsync("stdin", "input_reply", """{"value":"Ada"}""");
        var messages = await client.ReceiveOutcomeAsync(msgId);
        Assert.Equal("hello Ada\n", Stdout(messages));
    }

    [Fact]
    public async Task A_client_that_comes_back_with_its_session_id_gets_what_it_missed_and_another_session_does_not()
    {
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        string msgId;
        await using (var first = await ConnectAsync(server, id, query: "?session_id=notebook-a"))
        {
            await server.WaitForConnectionsAsync(id, 1);
            msgId = await first.ExecuteAsync("import time\ntime.sleep(1)\nprint('while you were away')");
            await first.ReceiveUntilAsync(m => Type(m) == "execute_input" && ParentId(m) == msgId);
        }
        await server.WaitForConnectionsAsync(id, 0);
        await server.WaitForStateAsync(id, "idle");

        await using (var back = await ConnectAsync(server, id, query: "?session_id=notebook-a"))
        {
            var missed = await back.ReceiveOutcomeAsync(msgId);
            Assert.Equal("while you were away\n", Stdout(missed));
            Assert.Contains(missed, m => Type(m) == "execute_reply" && Channel(m) == "shell"
                && m.GetProperty("content").GetProperty("status").GetString() == "ok");
        }

        // Away again, with output pending; a client of another session starts afresh.
        await using (var again = await ConnectAsync(server, id, query: "?session_id=notebook-a"))
        {
            await server.WaitForConnectionsAsync(id, 1);
            msgId = await again.ExecuteAsync("import time\ntime.sleep(1)\nprint('not for you')");
            await again.ReceiveUntilAsync(m => Type(m) == "execute_input" && ParentId(m) == msgId);
        }
        await server.WaitForConnectionsAsync(id, 0);
        await server.WaitForStateAsync(id, "idle");
        await using var other = await ConnectAsync(server, id, query: "?session_id=notebook-b");
        var info = await other.SendAsync("shell", "kernel_info_request");
        var seen = await other.ReceiveUntilAsync(m => ParentId(m) == info && Type(m) == "kernel_info_reply");
        Assert.DoesNotContain(seen, m => ParentId(m) == msgId);
    }

    [Fact]
    public async Task Restart_keeps_the_websocket_open_and_announces_it()
    {
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        await using var client = await ConnectAsync(server, id);
        await server.WaitForConnectionsAsync(id, 1); // announced to the connections the server has taken
        using var restarted = await server.SendAsync(HttpMethod.Post, $"/api/kernels/{id}/restart", "{}");
        Assert.Equal(HttpStatusCode.OK, restarted.StatusCode);
        await client.ReceiveUntilAsync(m => Type(m) == "status" && m.GetProperty("content").GetProperty("execution_state").GetString() == "restarting");
        var msgId = await client.ExecuteAsync("print('after restart')");
        Assert.Equal("after restart\n", Stdout(await client.ReceiveOutcomeAsync(msgId)));
    }

    [Fact]
    public async Task A_killed_kernel_is_announced_dead_to_its_clients_and_restart_serves_them_again()
    {
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        var other = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        await using var client = await ConnectAsync(server, id);
        await using var otherClient = await ConnectAsync(server, other);
        await server.WaitForConnectionsAsync(id, 1);
        Process.GetProcessById(server.Kernels.Get(id).ProcessId!.Value).Kill();
        await client.ReceiveUntilAsync(m => Type(m) == "status" && m.GetProperty("content").GetProperty("execution_state").GetString() == "dead");

        var otherId = await otherClient.ExecuteAsync("print('still here')");
        Assert.Equal("still here\n", Stdout(await otherClient.ReceiveOutcomeAsync(otherId)));

        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Post, $"/api/kernels/{id}/restart", "{}")).StatusCode);
        var msgId = await client.ExecuteAsync("print('back')");
        Assert.Equal("back\n", Stdout(await client.ReceiveOutcomeAsync(msgId)));
    }

    [Fact]
    public async Task Deleting_the_kernel_closes_its_websockets()
    {
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        await using var client = await ConnectAsync(server, id);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Delete, $"/api/kernels/{id}")).StatusCode);
        Assert.NotNull(await client.WaitForEndAsync());
    }

    [Fact]
    public async Task The_v1_subprotocol_is_used_when_the_client_asks_for_it()
    {
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        await using var client = await ConnectAsync(server, id, v1: true);
        Assert.Equal(WebSocketCodec.V1Subprotocol, client.SubProtocol);
        var msgId = await client.ExecuteAsync("print('v1')");
        var messages = await client.ReceiveOutcomeAsync(msgId);
        Assert.Equal("v1\n", Stdout(messages));
        Assert.Equal("shell", Channel(messages.Single(m => Type(m) == "execute_reply")));
    }

    [Fact]
    public async Task The_websocket_needs_the_token_and_an_unknown_kernel_is_refused()
    {
        await using var server = await GatewayServer.StartAsync(o => o.AuthToken = "s3cret");
        server.Http.DefaultRequestHeaders.Authorization = new("token", "s3cret");
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(server, id));
        Assert.Contains("401", refused.Message);
        await using var client = await ConnectAsync(server, id, query: "?token=s3cret");
        var infoId = await client.SendAsync("shell", "kernel_info_request");
        await client.ReceiveUntilAsync(m => ParentId(m) == infoId);
        var missing = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(server, "00000000-0000-0000-0000-000000000000", query: "?token=s3cret"));
        Assert.Contains("404", missing.Message);
    }
}
