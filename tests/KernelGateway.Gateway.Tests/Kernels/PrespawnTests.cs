using System.Net;
using System.Text.Json;

namespace KernelGateway.Gateway.Tests.Kernels;

/// <summary>KG_PRESPAWN_COUNT: warm kernels of the default kernelspec, taken by POST and refilled in the background.</summary>
public sealed class PrespawnTests
{
    [Fact]
    public async Task A_post_for_the_default_kernel_takes_a_warm_one_and_the_pool_refills()
    {
        await using var server = await GatewayServer.StartAsync(o => { o.PrespawnCount = 1; o.ListKernels = true; });
        var warm = await WaitForPoolAsync(server, 1);
        Assert.Equal("[]", await (await server.SendAsync(HttpMethod.Get, "/api/kernels")).Content.ReadAsStringAsync());

        var model = await server.StartKernelAsync(GatewayServer.PythonKernel);
        Assert.Equal(warm[0], model.GetProperty("id").GetString());
        var refilled = await WaitForPoolAsync(server, 1);
        Assert.NotEqual(warm[0], refilled[0]);
        var outcome = await server.Kernels.Get(warm[0]).Client!.ExecuteAsync("print('warm')");
        Assert.Equal("warm\n", outcome.StreamText());
    }

    [Fact]
    public async Task A_warm_csharp_kernel_has_run_its_start_up_work_which_neither_the_status_nor_the_execution_count_hides()
    {
        await using var server = await GatewayServer.StartAsync(o => { o.PrespawnCount = 1; o.DefaultKernelName = GatewayServer.CSharpKernel; });
        // The pool is reported through GET /api/status once its kernel has answered the empty silent warm-up cell.
        JsonElement status;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while ((status = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Get, "/api/status"))).GetProperty("prespawn").GetProperty("ready").GetInt32() != 1)
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"the pool never reported a ready kernel: {status}");
            await Task.Delay(50);
        }
        Assert.Equal(0, status.GetProperty("kernels").GetInt32());
        Assert.Equal(0, status.GetProperty("prespawn").GetProperty("starting").GetInt32());
        var warm = server.Kernels.PooledKernelIds.Single();

        var model = await server.StartKernelAsync(GatewayServer.CSharpKernel);
        Assert.Equal(warm, model.GetProperty("id").GetString());
        Assert.Equal("idle", model.GetProperty("execution_state").GetString());
        var outcome = await server.Kernels.Get(warm).Client!.ExecuteAsync("40 + 2");
        var result = Assert.Single(outcome.OfType("execute_result"));
        Assert.Equal("42", result.Content.GetProperty("data").GetProperty("text/plain").GetString());
        // The warm-up cell was silent: the user's first cell is still number 1.
        Assert.Equal(1, outcome.Reply.Content.GetProperty("execution_count").GetInt32());
        Assert.Equal(1, (await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Get, "/api/status"))).GetProperty("kernels").GetInt32());
    }

    [Fact]
    public async Task A_post_with_client_environment_or_another_kernelspec_starts_a_fresh_kernel()
    {
        await using var server = await GatewayServer.StartAsync(o => o.PrespawnCount = 1);
        var warm = await WaitForPoolAsync(server, 1);
        var withEnv = await server.StartKernelAsync(GatewayServer.PythonKernel, """{"KERNEL_USERNAME":"ada"}""");
        Assert.NotEqual(warm[0], withEnv.GetProperty("id").GetString());
        Assert.Equal(warm, server.Kernels.PooledKernelIds);
    }

    [Fact]
    public async Task Warm_kernels_yield_to_clients_at_the_kernel_limit_and_come_back_when_room_is_freed()
    {
        await using var server = await GatewayServer.StartAsync(o => { o.PrespawnCount = 1; o.MaxKernels = 2; });
        var warm = await WaitForPoolAsync(server, 1);

        // Two fresh kernels (client environment: never a warm one): the second needs the warm kernel's room.
        var first = (await server.StartKernelAsync(GatewayServer.PythonKernel, """{"KERNEL_USERNAME":"ada"}""")).GetProperty("id").GetString()!;
        var second = (await server.StartKernelAsync(GatewayServer.PythonKernel, """{"KERNEL_USERNAME":"bob"}""")).GetProperty("id").GetString()!;
        Assert.Empty(server.Kernels.PooledKernelIds);
        Assert.DoesNotContain(warm[0], new[] { first, second });
        using (var third = await server.SendAsync(HttpMethod.Post, "/api/kernels", $$"""{"name":"{{GatewayServer.PythonKernel}}"}"""))
            Assert.Equal(HttpStatusCode.Forbidden, third.StatusCode);
        Assert.Empty(server.Kernels.PooledKernelIds);

        using (var deleted = await server.SendAsync(HttpMethod.Delete, $"/api/kernels/{first}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var refilled = await WaitForPoolAsync(server, 1);
        var taken = await server.StartKernelAsync(GatewayServer.PythonKernel);
        Assert.Equal(refilled[0], taken.GetProperty("id").GetString());
        Assert.Equal(2, server.Kernels.Kernels.Count);
    }

    [Fact]
    public async Task A_prespawn_count_above_the_kernel_limit_is_rejected() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => GatewayServer.StartAsync(o => { o.PrespawnCount = 2; o.MaxKernels = 1; }));

    private static async Task<IReadOnlyList<string>> WaitForPoolAsync(GatewayServer server, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (server.Kernels.PooledKernelIds.Count != count)
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"the pool never held {count} kernels");
            await Task.Delay(50);
        }
        return server.Kernels.PooledKernelIds;
    }
}
