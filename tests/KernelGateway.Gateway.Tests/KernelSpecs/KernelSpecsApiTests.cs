using System.Net;
using System.Text.Json;

namespace KernelGateway.Gateway.Tests.KernelSpecs;

public sealed class KernelSpecsApiTests
{
    [Fact]
    public async Task The_listing_has_the_default_and_every_installed_kernelspec()
    {
        await using var server = await GatewayServer.StartAsync();
        var json = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Get, "/api/kernelspecs"));
        Assert.Equal("python3", json.GetProperty("default").GetString());
        var specs = json.GetProperty("kernelspecs");
        var python = specs.GetProperty("python3");
        Assert.Equal("python3", python.GetProperty("name").GetString());
        Assert.Equal("python", python.GetProperty("spec").GetProperty("language").GetString());
        Assert.Equal("signal", python.GetProperty("spec").GetProperty("interrupt_mode").GetString());
        Assert.Equal("/kernelspecs/python3/logo-64x64.png", python.GetProperty("resources").GetProperty("logo-64x64").GetString());
        var csharp = specs.GetProperty(GatewayServer.CSharpKernel);
        Assert.Equal("message", csharp.GetProperty("spec").GetProperty("interrupt_mode").GetString());
        Assert.Equal(JsonValueKind.Array, csharp.GetProperty("spec").GetProperty("argv").ValueKind);
    }

    [Fact]
    public async Task One_kernelspec_by_name_and_an_unknown_one_is_404_json()
    {
        await using var server = await GatewayServer.StartAsync();
        var one = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Get, $"/api/kernelspecs/{GatewayServer.CSharpKernel}"));
        Assert.Equal(GatewayServer.CSharpKernel, one.GetProperty("name").GetString());
        Assert.Equal("C#", one.GetProperty("spec").GetProperty("language").GetString());
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, "/api/kernelspecs/no-such-kernel"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_logo_is_served_with_its_bytes_and_type()
    {
        await using var server = await GatewayServer.StartAsync();
        using var response = await server.SendAsync(HttpMethod.Get, "/kernelspecs/python3/logo-64x64.png");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync("/usr/share/jupyter/kernels/python3/logo-64x64.png"), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/kernelspecs/python3/no-such-logo.png")]
    [InlineData("/kernelspecs/python3/..%2F..%2Fpython3%2Fkernel.json")]
    [InlineData("/kernelspecs/no-such-kernel/logo-64x64.png")]
    public async Task Missing_resources_and_paths_outside_the_kernelspec_are_404_json(string path)
    {
        await using var server = await GatewayServer.StartAsync();
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, path), HttpStatusCode.NotFound);
    }
}
