using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using KernelGateway.Gateway.Tests.Channels;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Gateway.Tests.Kernels;

/// <summary>The kernels API with real kernels: Debian's ipykernel and our C# kernel.</summary>
public sealed class KernelsApiTests
{
    private static readonly string[] ModelFields = ["id", "name", "last_activity", "execution_state", "connections"];

    [Theory]
    [InlineData(GatewayServer.PythonKernel)]
    [InlineData(GatewayServer.CSharpKernel)]
    public async Task A_started_kernel_has_the_kernel_gateway_model_and_goes_away_on_delete(string name)
    {
        await using var server = await GatewayServer.StartAsync(o => o.ListKernels = true);
        var model = await server.StartKernelAsync(name);
        Assert.Equal(ModelFields.Order(), model.EnumerateObject().Select(p => p.Name).Order());
        var id = model.GetProperty("id").GetString()!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(name, model.GetProperty("name").GetString());
        Assert.Equal(0, model.GetProperty("connections").GetInt32());
        Assert.True(DateTime.TryParseExact(model.GetProperty("last_activity").GetString(), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'",
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _), model.GetProperty("last_activity").GetString());

        var listed = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Get, "/api/kernels"));
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
        var one = await server.WaitForStateAsync(id, "idle");
        Assert.Equal(name, one.GetProperty("name").GetString());

        var process = Process.GetProcessById(server.Kernels.Get(id).ProcessId!.Value);
        using var deleted = await server.SendAsync(HttpMethod.Delete, $"/api/kernels/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(process.HasExited);
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, $"/api/kernels/{id}"), HttpStatusCode.NotFound);
        Assert.Equal("[]", await (await server.SendAsync(HttpMethod.Get, "/api/kernels")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_post_without_a_name_starts_the_default_kernel()
    {
        await using var server = await GatewayServer.StartAsync(o => o.DefaultKernelName = GatewayServer.PythonKernel);
        using var response = await server.SendAsync(HttpMethod.Post, "/api/kernels");
        var model = await GatewayServer.JsonAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(GatewayServer.PythonKernel, model.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Over_the_kernel_limit_a_post_is_403_json_and_a_slot_frees_on_delete()
    {
        await using var server = await GatewayServer.StartAsync(o => o.MaxKernels = 1);
        var first = await server.StartKernelAsync(GatewayServer.PythonKernel);
        var message = await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Post, "/api/kernels", """{"name":"python3"}"""), HttpStatusCode.Forbidden);
        Assert.Contains("max kernels", message);
        await server.SendAsync(HttpMethod.Delete, $"/api/kernels/{first.GetProperty("id").GetString()}");
        await server.StartKernelAsync(GatewayServer.PythonKernel);
    }

    [Fact]
    public async Task A_kernel_gets_KERNEL_variables_and_the_allow_list_but_not_the_servers_secrets()
    {
        Environment.SetEnvironmentVariable("KG_GATEWAY_TEST_SECRET", "do-not-leak");
        Environment.SetEnvironmentVariable("KG_GATEWAY_TEST_SHARED", "shared-value");
        await using var server = await GatewayServer.StartAsync(o =>
        {
            o.AuthToken = "server-token";
            o.EnvProcessWhitelist = ["KG_GATEWAY_TEST_SHARED"];
        });
        server.Http.DefaultRequestHeaders.Authorization = new("token", "server-token");
        var model = await server.StartKernelAsync(GatewayServer.PythonKernel, """{"KERNEL_USERNAME":"ada","KERNEL_WORKING_DIR":"/tmp","NOT_A_KERNEL_VAR":"x"}""");
        var env = ProcessEnvironment(server.Kernels.Get(model.GetProperty("id").GetString()!).ProcessId!.Value);
        Assert.Equal("ada", env["KERNEL_USERNAME"]);
        Assert.Equal("/tmp", env["KERNEL_WORKING_DIR"]);
        Assert.Equal("1", env["KERNEL_GATEWAY"]);
        Assert.Equal("shared-value", env["KG_GATEWAY_TEST_SHARED"]);
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), env["PATH"]);
        Assert.False(env.ContainsKey("NOT_A_KERNEL_VAR"));
        Assert.False(env.ContainsKey("KG_GATEWAY_TEST_SECRET"));
        Assert.DoesNotContain(env, kv => kv.Value.Contains("server-token"));
    }

    [Fact]
    public async Task A_killed_kernel_is_reported_dead_and_restart_brings_it_back_with_the_same_id()
    {
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        var oldPid = server.Kernels.Get(id).ProcessId!.Value;
        Process.GetProcessById(oldPid).Kill();
        await server.WaitForStateAsync(id, "dead");

        using var restarted = await server.SendAsync(HttpMethod.Post, $"/api/kernels/{id}/restart", "{}");
        var model = await GatewayServer.JsonAsync(restarted);
        Assert.Equal(HttpStatusCode.OK, restarted.StatusCode);
        Assert.Equal(id, model.GetProperty("id").GetString());
        Assert.NotEqual("dead", model.GetProperty("execution_state").GetString());
        var kernel = server.Kernels.Get(id);
        Assert.NotEqual(oldPid, kernel.ProcessId);
        var outcome = await kernel.Client!.ExecuteAsync("print(6 * 7)", cancellationToken: Soon());
        Assert.Equal("42\n", outcome.StreamText());
    }

    [Fact]
    public async Task Restart_keeps_the_id_and_starts_a_fresh_process()
    {
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        var kernel = server.Kernels.Get(id);
        Assert.Equal("ok", (await kernel.Client!.ExecuteAsync("x = 1", cancellationToken: Soon())).Status);
        var oldProcess = Process.GetProcessById(kernel.ProcessId!.Value);

        using var restarted = await server.SendAsync(HttpMethod.Post, $"/api/kernels/{id}/restart", "{}");
        Assert.Equal(HttpStatusCode.OK, restarted.StatusCode);
        Assert.True(oldProcess.HasExited);
        var outcome = await kernel.Client!.ExecuteAsync("x", cancellationToken: Soon());
        Assert.Equal("error", outcome.Status);
        Assert.Equal("NameError", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.Equal("idle", (await server.WaitForStateAsync(id, "idle")).GetProperty("execution_state").GetString());
    }

    [Theory]
    [InlineData(GatewayServer.PythonKernel, "import time\nprint('running', flush=True)\ntime.sleep(600)", "KeyboardInterrupt")]
    [InlineData(GatewayServer.CSharpKernel, "Console.WriteLine(\"running\"); while (true) { await Task.Delay(10, CellToken); }", "OperationCanceledException")]
    public async Task Interrupt_follows_the_kernelspecs_interrupt_mode(string kernel, string code, string ename)
    {
        // python3 has no interrupt_mode (signal: SIGINT to the process); the C# kernelspec says message (interrupt_request).
        await using var server = await GatewayServer.StartAsync();
        var id = (await server.StartKernelAsync(kernel)).GetProperty("id").GetString()!;
        await using var client = await ChannelsClient.ConnectAsync(server, id);
        var msgId = await client.ExecuteAsync(code);
        await client.ReceiveUntilAsync(m => ChannelsClient.Stdout([m]).Contains("running"));
        Assert.Equal("busy", (await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Get, $"/api/kernels/{id}"))).GetProperty("execution_state").GetString());

        using var interrupted = await server.SendAsync(HttpMethod.Post, $"/api/kernels/{id}/interrupt", "{}");
        Assert.Equal(HttpStatusCode.NoContent, interrupted.StatusCode);
        var reply = (await client.ReceiveOutcomeAsync(msgId)).Single(m => ChannelsClient.Type(m) == "execute_reply");
        Assert.Equal("error", reply.GetProperty("content").GetProperty("status").GetString());
        Assert.Equal(ename, reply.GetProperty("content").GetProperty("ename").GetString());
        await server.WaitForStateAsync(id, "idle");
    }

    private static Dictionary<string, string> ProcessEnvironment(int pid) =>
        Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
}
