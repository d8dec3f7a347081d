using System.Net;
using KernelGateway.Platform.Iceberg;
using KernelGateway.Platform.Metastore;
using KernelGateway.Tests.Fixtures.Iceberg;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// Bearer tokens as the catalog fixture sees them: OAuth2 client credentials renewed before <c>expires_in</c> runs
/// out (one fake clock ages the token on both sides) and once after a 401 or 419, and a static token.
/// </summary>
public sealed class IcebergAuthTests
{
    private static CancellationToken None => CancellationToken.None;

    private static async Task<(IcebergRestServer Server, IcebergMetastoreProvider Provider, FakeTimeProvider Clock)> OAuthCatalogAsync(TimeSpan lifetime, string? scope = null)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var server = await IcebergRestServer.StartAsync(new IcebergServerOptions { ClientId = "kg-client", ClientSecret = secret, TokenLifetime = lifetime, TimeProvider = clock });
        IcebergCatalogFixture.Seed(server);
        var client = new IcebergRestClient(IcebergOptions.Parse(IcebergCatalogFixture.ConnectionStringOf(server, $"Credential=kg-client:{secret}" + (scope is null ? "" : $";Scope={scope}"))),
            time: clock);
        return (server, new IcebergMetastoreProvider("ice", () => client), clock);
    }

    [Fact]
    public async Task An_oauth2_token_is_renewed_before_it_expires_so_the_catalog_never_refuses_a_call()
    {
        var (server, provider, clock) = await OAuthCatalogAsync(TimeSpan.FromMinutes(10), scope: "PRINCIPAL_ROLE:ALL");
        await using var _ = server;
        Assert.Contains("sales", (await provider.ListSchemasAsync("lake", None)).Select(s => s.Name));
        Assert.Equal(1, server.TokensIssued);

        clock.Advance(TimeSpan.FromMinutes(10)); // the first token has expired on the server's clock too
        var afterExpiry = server.Calls.Count;
        Assert.NotEmpty(await provider.ListTablesAsync("lake", "sales", None));
        Assert.Equal(2, server.TokensIssued);
        var calls = server.Calls.Skip(afterExpiry).ToList();
        Assert.True(calls[0].IsTokenRequest, "the new token is fetched before the first call after expiry");
        Assert.All(calls.Where(c => !c.IsTokenRequest), c => Assert.Equal((IcebergAuth.IssuedToken, 2, 200), (c.Auth, c.TokenNumber, c.Status)));
        Assert.DoesNotContain(server.Calls, c => c.Status == 401);

        var tokenRequests = server.Calls.Where(c => c.IsTokenRequest).ToList();
        Assert.Equal(2, tokenRequests.Count);
        Assert.All(tokenRequests, t =>
        {
            Assert.Equal(("client_credentials", "kg-client", "PRINCIPAL_ROLE:ALL", "***"), (t.Form["grant_type"], t.Form["client_id"], t.Form["scope"], t.Form["client_secret"]));
            Assert.Equal(IcebergAuth.None, t.Auth);
        });
        Assert.All(server.Calls, c => Assert.Null(c.Header("X-Iceberg-Access-Delegation")));
    }

    [Fact]
    public async Task A_401_or_419_gets_one_new_token_and_one_retry_not_more()
    {
        var (server, provider, _) = await OAuthCatalogAsync(TimeSpan.FromHours(1));
        await using var _ = server;
        Assert.NotEmpty(await provider.ListSchemasAsync("lake", None));
        Assert.Equal(1, server.TokensIssued);

        server.RevokeTokens();
        Assert.NotNull(await provider.DescribeAsync("lake", "sales", "orders", None));
        Assert.Equal(2, server.TokensIssued);
        var refused = Assert.Single(server.Calls, c => c.Status == 401);
        Assert.Equal((IcebergAuth.UnknownToken, "/catalog/v1/wh-7/namespaces/sales/tables/orders"), (refused.Auth, refused.Path));
        Assert.Equal(IcebergAuth.IssuedToken, server.Calls[^1].Auth);

        foreach (var status in new[] { HttpStatusCode.Unauthorized, (HttpStatusCode)419 })
        {
            var issued = server.TokensIssued;
            server.Faults.FailWith(status, "/tables/orders");
            var e = await Assert.ThrowsAsync<IcebergException>(() => provider.DescribeAsync("lake", "sales", "orders", None));
            Assert.Equal(((int)status, "ServiceFailureException"), (e.Code, e.Type));
            Assert.Equal(issued + 1, server.TokensIssued);
            server.Faults.Heal();
        }
    }

    [Fact]
    public async Task A_static_bearer_token_goes_with_every_call_and_a_wrong_one_fails_without_a_token_request()
    {
        var token = "st-" + Guid.NewGuid().ToString("N");
        await using var server = await IcebergRestServer.StartAsync(new IcebergServerOptions { RequiredToken = token });
        IcebergCatalogFixture.Seed(server);
        var good = new IcebergRestClient(IcebergOptions.Parse(IcebergCatalogFixture.ConnectionStringOf(server, $"Token={token}")));
        Assert.NotNull(await new IcebergMetastoreProvider("ice", () => good).DescribeAsync("lake", "sales", "orders", None));
        Assert.All(server.Calls, c => Assert.Equal((IcebergAuth.StaticToken, "Bearer ***"), (c.Auth, c.Header("Authorization"))));

        var wrongToken = "wrong-" + Guid.NewGuid().ToString("N");
        var wrong = new IcebergRestClient(IcebergOptions.Parse(IcebergCatalogFixture.ConnectionStringOf(server, $"Token={wrongToken}")));
        var e = await Assert.ThrowsAsync<IcebergException>(() => new IcebergMetastoreProvider("ice", () => wrong).ListSchemasAsync("lake", None));
        Assert.Equal((401, "NotAuthorizedException"), (e.Code, e.Type));
        Assert.DoesNotContain(wrongToken, e.Message);
        Assert.Equal(IcebergAuth.UnknownToken, server.Calls[^1].Auth);
        Assert.DoesNotContain(server.Calls, c => c.IsTokenRequest);

        var none = new IcebergRestClient(IcebergOptions.Parse(IcebergCatalogFixture.ConnectionStringOf(server)));
        Assert.Equal(401, (await Assert.ThrowsAsync<IcebergException>(() => new IcebergMetastoreProvider("ice", () => none).ListSchemasAsync("lake", None))).Code);
        Assert.Equal((IcebergAuth.None, (string?)null), (server.Calls[^1].Auth, server.Calls[^1].Header("Authorization")));
    }

    [Fact]
    public async Task Refused_client_credentials_give_the_oauth2_error_without_the_secret()
    {
        await using var server = await IcebergRestServer.StartAsync(new IcebergServerOptions { ClientId = "kg-client", ClientSecret = "right-" + Guid.NewGuid().ToString("N") });
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var client = new IcebergRestClient(IcebergOptions.Parse(IcebergCatalogFixture.ConnectionStringOf(server, $"Credential=kg-client:{wrong}")));
        var e = await Assert.ThrowsAsync<IcebergException>(() => new IcebergMetastoreProvider("ice", () => client).ListSchemasAsync("lake", None));
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_client"), (e.Status, e.Type));
        Assert.DoesNotContain(wrong, e.ToString());
        Assert.Equal(0, server.TokensIssued);
    }
}
