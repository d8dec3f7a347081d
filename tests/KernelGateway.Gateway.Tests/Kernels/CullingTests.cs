using System.Net;
using KernelGateway.Gateway.Kernels;
using KernelGateway.Gateway.Tests.Channels;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Gateway.Tests.Kernels;

/// <summary>
/// Culling as Jupyter Server's MappingKernelManager does it (cull_idle_timeout, cull_interval, cull_connected, cull_busy),
/// with real kernels and a fake clock: the test moves time, the gateway's timer and last_activity follow it.
/// </summary>
public sealed class CullingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task An_idle_unconnected_kernel_is_shut_down_by_the_timer_once_the_timeout_has_passed_and_its_session_goes_with_it()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await GatewayServer.StartAsync(o => { o.CullIdleTimeout = Timeout; o.CullInterval = Interval; o.ListKernels = true; }, clock);
        using var created = await server.SendAsync(HttpMethod.Post, "/api/sessions",
            $$$"""{"path":"idle.ipynb","type":"notebook","name":"","kernel":{"name":"{{{GatewayServer.PythonKernel}}}"}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = await GatewayServer.JsonAsync(created);
        var sessionId = session.GetProperty("id").GetString()!;
        var kernelId = session.GetProperty("kernel").GetProperty("id").GetString()!;
        var busy = await server.StartKernelAsync(GatewayServer.PythonKernel);
        await SettleAsync(server, kernelId);
        await SettleAsync(server, busy.GetProperty("id").GetString()!);

        // Nine minutes on: nine timer ticks, nothing is idle for long enough.
        for (var i = 0; i < 9; i++) clock.Advance(Interval);
        Assert.Empty(await server.Kernels.CullIdleKernelsAsync());
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, $"/api/kernels/{kernelId}")).StatusCode);

        // The second kernel is used at minute nine, so it is idle for only two minutes at minute eleven.
        var used = await server.Kernels.Get(busy.GetProperty("id").GetString()!).Client!.ExecuteAsync("1");
        Assert.Equal("ok", used.Status);
        clock.Advance(Interval);
        clock.Advance(Interval);
        await WaitUntilGoneAsync(server, kernelId);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"/api/sessions/{sessionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, $"/api/kernels/{busy.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task A_connected_kernel_is_kept_unless_cull_connected_and_its_client_is_told_when_it_goes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await GatewayServer.StartAsync(o => { o.CullIdleTimeout = Timeout; o.CullInterval = TimeSpan.FromDays(1); }, clock);
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        await using var client = await ChannelsClient.ConnectAsync(server, id);
        await server.WaitForConnectionsAsync(id, 1);
        await SettleAsync(server, id);

        clock.Advance(Timeout * 2);
        Assert.Empty(await server.Kernels.CullIdleKernelsAsync());
        Assert.NotNull(server.Kernels.Find(id));

        server.Options.CullConnected = true;
        Assert.Equal([id], await server.Kernels.CullIdleKernelsAsync());
        Assert.Null(server.Kernels.Find(id));
        var told = await client.ReceiveUntilAsync(m => ChannelsClient.Type(m) == "status"
            && m.GetProperty("content").GetProperty("execution_state").GetString() == "dead");
        Assert.NotEmpty(told);
        Assert.NotNull(await client.WaitForEndAsync());
    }

    [Fact]
    public async Task A_busy_kernel_is_kept_unless_cull_busy()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await GatewayServer.StartAsync(o => { o.CullIdleTimeout = Timeout; o.CullInterval = TimeSpan.FromDays(1); }, clock);
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        var running = server.Kernels.Get(id).Client!.ExecuteAsync("import time\nwhile True: time.sleep(0.1)");
        await server.WaitForStateAsync(id, "busy");
        await SettleAsync(server, id);

        clock.Advance(Timeout * 2);
        Assert.Empty(await server.Kernels.CullIdleKernelsAsync());
        Assert.Equal("busy", server.Kernels.Get(id).ExecutionState);

        server.Options.CullBusy = true;
        Assert.Equal([id], await server.Kernels.CullIdleKernelsAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"/api/kernels/{id}")).StatusCode);
        _ = running.ContinueWith(t => t.Exception, TaskScheduler.Default); // the shut-down kernel never replies
    }

    [Fact]
    public async Task Culling_is_off_by_default()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await GatewayServer.StartAsync(time: clock);
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Empty(await server.Kernels.CullIdleKernelsAsync());
        Assert.NotNull(server.Kernels.Find(id));
    }

    /// <summary>
    /// Waits until no message has come from the kernel for half a second of real time: a kernel just started still
    /// answers the kernel_info requests of its start, and each answer is activity at the fake clock's current time.
    /// </summary>
    private static async Task SettleAsync(GatewayServer server, string kernelId)
    {
        var kernel = server.Kernels.Get(kernelId);
        var received = 0;
        void Count(ManagedKernel k, KernelGateway.Protocol.KernelChannel c, KernelGateway.Protocol.JupyterMessage m) => Interlocked.Increment(ref received);
        kernel.MessageReceived += Count;
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            var last = -1;
            while (Volatile.Read(ref received) != last)
            {
                if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"kernel {kernelId} never went quiet");
                last = Volatile.Read(ref received);
                await Task.Delay(500);
            }
        }
        finally
        {
            kernel.MessageReceived -= Count;
        }
    }

    private static async Task WaitUntilGoneAsync(GatewayServer server, string kernelId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (server.Kernels.Find(kernelId) is not null)
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"kernel {kernelId} was never culled");
            await Task.Delay(50);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"/api/kernels/{kernelId}")).StatusCode);
    }
}
