using System.Net;

namespace KernelGateway.Gateway.Tests.Sessions;

/// <summary>The sessions API over real python3 kernels.</summary>
public sealed class SessionsApiTests
{
    [Fact]
    public async Task A_session_starts_its_kernel_and_a_second_post_for_the_path_returns_it()
    {
        await using var server = await GatewayServer.StartAsync(o => o.ListKernels = true);
        using var created = await server.SendAsync(HttpMethod.Post, "/api/sessions",
            """{"path":"work/a.ipynb","name":"a.ipynb","type":"notebook","kernel":{"name":"python3"}}""");
        var session = await GatewayServer.JsonAsync(created);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("work/a.ipynb", session.GetProperty("path").GetString());
        Assert.Equal("notebook", session.GetProperty("type").GetString());
        var kernelId = session.GetProperty("kernel").GetProperty("id").GetString()!;
        Assert.Equal("python3", session.GetProperty("kernel").GetProperty("name").GetString());
        Assert.NotNull(server.Kernels.Find(kernelId));

        var again = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Post, "/api/sessions",
            """{"path":"work/a.ipynb","type":"notebook","kernel":{"name":"python3"}}"""));
        Assert.Equal(session.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Single(server.Kernels.Kernels);

        var listed = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Get, "/api/sessions"));
        Assert.Equal(kernelId, Assert.Single(listed.EnumerateArray()).GetProperty("kernel").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_session_can_be_renamed_and_deleting_it_shuts_its_kernel_down()
    {
        await using var server = await GatewayServer.StartAsync();
        var session = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Post, "/api/sessions",
            """{"path":"a.ipynb","type":"notebook","kernel":{"name":"python3"}}"""));
        var id = session.GetProperty("id").GetString()!;
        var kernelId = session.GetProperty("kernel").GetProperty("id").GetString()!;

        using var patched = await server.SendAsync(new HttpMethod("PATCH"), $"/api/sessions/{id}", """{"path":"b.ipynb","name":"b"}""");
        var renamed = await GatewayServer.JsonAsync(patched);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(("b.ipynb", "b"), (renamed.GetProperty("path").GetString(), renamed.GetProperty("name").GetString()));
        Assert.Equal(kernelId, renamed.GetProperty("kernel").GetProperty("id").GetString());
        Assert.Equal("b.ipynb", (await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Get, $"/api/sessions/{id}"))).GetProperty("path").GetString());

        using var deleted = await server.SendAsync(HttpMethod.Delete, $"/api/sessions/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, $"/api/sessions/{id}"), HttpStatusCode.NotFound);
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, $"/api/kernels/{kernelId}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_session_on_an_existing_kernel_uses_it_and_an_unknown_kernel_is_404()
    {
        await using var server = await GatewayServer.StartAsync();
        var kernelId = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        var session = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Post, "/api/sessions",
            $$$"""{"path":"c.ipynb","type":"notebook","kernel":{"id":"{{{kernelId}}}"}}"""));
        Assert.Equal(kernelId, session.GetProperty("kernel").GetProperty("id").GetString());
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Post, "/api/sessions",
            """{"path":"d.ipynb","kernel":{"id":"00000000-0000-0000-0000-000000000000"}}"""), HttpStatusCode.NotFound);
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Post, "/api/sessions",
            """{"path":"e.ipynb","kernel":{"name":"no-such-kernel"}}"""), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_session_whose_kernel_was_deleted_disappears()
    {
        await using var server = await GatewayServer.StartAsync();
        var session = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Post, "/api/sessions",
            """{"path":"f.ipynb","kernel":{"name":"python3"}}"""));
        await server.SendAsync(HttpMethod.Delete, $"/api/kernels/{session.GetProperty("kernel").GetProperty("id").GetString()}");
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, $"/api/sessions/{session.GetProperty("id").GetString()}"), HttpStatusCode.NotFound);
    }
}
