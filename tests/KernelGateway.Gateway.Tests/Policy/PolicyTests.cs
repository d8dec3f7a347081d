using System.Net;

namespace KernelGateway.Gateway.Tests.Policy;

/// <summary>Token, CORS, base_url and JSON errors over real HTTP; no kernel is started.</summary>
public sealed class PolicyTests
{
    [Theory]
    [InlineData("GET", "/no/such/route")]
    [InlineData("GET", "/api/nothing")]
    [InlineData("PUT", "/api/kernels")]
    public async Task Unknown_routes_and_methods_are_json_errors(string method, string path)
    {
        await using var server = await GatewayServer.StartAsync();
        using var response = await server.SendAsync(new HttpMethod(method), path);
        await ErrorAssert.IsJsonErrorAsync(response, path == "/api/kernels" ? HttpStatusCode.MethodNotAllowed : HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Api_answers_its_version()
    {
        await using var server = await GatewayServer.StartAsync();
        var json = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Get, "/api"));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task With_a_token_a_request_without_it_is_401_json()
    {
        await using var server = await GatewayServer.StartAsync(o => o.AuthToken = "s3cret");
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, "/api"), HttpStatusCode.Unauthorized);
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, "/api", token: "wrong"), HttpStatusCode.Unauthorized);
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, "/api?token=s3cre"), HttpStatusCode.Unauthorized);
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, "/no/such/route"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task With_a_token_the_header_or_the_query_parameter_is_accepted()
    {
        await using var server = await GatewayServer.StartAsync(o => o.AuthToken = "s3cret");
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/api", token: "s3cret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/api?token=s3cret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/api/kernelspecs?token=s3cret")).StatusCode);
    }

    [Fact]
    public async Task Cors_headers_come_from_the_options_and_preflight_needs_no_token()
    {
        await using var server = await GatewayServer.StartAsync(o =>
        {
            o.AuthToken = "s3cret";
            o.AllowOrigin = "https://lab.example";
            o.AllowHeaders = "Authorization, Content-Type";
            o.AllowMethods = "GET, POST, DELETE";
            o.AllowCredentials = "true";
        });
        using var preflight = await server.SendAsync(HttpMethod.Options, "/api/kernels");
        Assert.Equal(HttpStatusCode.OK, preflight.StatusCode);
        Assert.Equal("https://lab.example", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("Authorization, Content-Type", preflight.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal("GET, POST, DELETE", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("true", preflight.Headers.GetValues("Access-Control-Allow-Credentials").Single());

        using var unauthorized = await server.SendAsync(HttpMethod.Get, "/api");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("https://lab.example", unauthorized.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Without_cors_options_no_cors_headers_are_sent()
    {
        await using var server = await GatewayServer.StartAsync();
        using var response = await server.SendAsync(HttpMethod.Get, "/api");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task With_a_base_url_routes_live_under_it_only()
    {
        await using var server = await GatewayServer.StartAsync(o => o.BaseUrl = "/gateway/");
        using var under = await server.SendAsync(HttpMethod.Get, "/api");
        Assert.Equal(HttpStatusCode.OK, under.StatusCode);
        Assert.Equal("/gateway/api", under.RequestMessage!.RequestUri!.AbsolutePath);
        using var outside = await server.Http.GetAsync("/api");
        await ErrorAssert.IsJsonErrorAsync(outside, HttpStatusCode.NotFound);
        var specs = await GatewayServer.JsonAsync(await server.SendAsync(HttpMethod.Get, "/api/kernelspecs"));
        Assert.StartsWith("/gateway/kernelspecs/python3/", specs.GetProperty("kernelspecs").GetProperty("python3").GetProperty("resources").GetProperty("logo-64x64").GetString());
    }

    [Fact]
    public async Task Listing_kernels_and_sessions_is_forbidden_unless_enabled()
    {
        await using (var server = await GatewayServer.StartAsync())
        {
            await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, "/api/kernels"), HttpStatusCode.Forbidden);
            await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Get, "/api/sessions"), HttpStatusCode.Forbidden);
        }
        await using (var server = await GatewayServer.StartAsync(o => o.ListKernels = true))
        {
            Assert.Equal("[]", await (await server.SendAsync(HttpMethod.Get, "/api/kernels")).Content.ReadAsStringAsync());
            Assert.Equal("[]", await (await server.SendAsync(HttpMethod.Get, "/api/sessions")).Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("GET", "/api/kernels/00000000-0000-0000-0000-000000000000")]
    [InlineData("DELETE", "/api/kernels/00000000-0000-0000-0000-000000000000")]
    [InlineData("POST", "/api/kernels/00000000-0000-0000-0000-000000000000/interrupt")]
    [InlineData("POST", "/api/kernels/00000000-0000-0000-0000-000000000000/restart")]
    [InlineData("GET", "/api/sessions/00000000-0000-0000-0000-000000000000")]
    [InlineData("DELETE", "/api/sessions/00000000-0000-0000-0000-000000000000")]
    public async Task Unknown_kernels_and_sessions_are_404_json(string method, string path)
    {
        await using var server = await GatewayServer.StartAsync();
        using var response = await server.SendAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null);
        var message = await ErrorAssert.IsJsonErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("00000000-0000-0000-0000-000000000000", message);
    }

    [Fact]
    public async Task Starting_an_unknown_kernelspec_is_404_and_a_bad_body_is_400()
    {
        await using var server = await GatewayServer.StartAsync();
        var message = await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Post, "/api/kernels", """{"name":"no-such-kernel"}"""), HttpStatusCode.NotFound);
        Assert.Contains("no-such-kernel", message);
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Post, "/api/kernels", "{not json"), HttpStatusCode.BadRequest);
        await ErrorAssert.IsJsonErrorAsync(await server.SendAsync(HttpMethod.Post, "/api/kernels", """{"name":"python3","env":"x"}"""), HttpStatusCode.BadRequest);
    }
}
