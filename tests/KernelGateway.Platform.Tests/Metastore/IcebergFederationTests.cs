using System.Net;
using System.Text.Json;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;
using KernelGateway.Tests.Fixtures.Iceberg;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// Iceberg connections federated with a DuckDB file through <see cref="MetastoreClient"/>: a failing or hanging
/// catalog is an error entry of its own while DuckDB answers, and no answer or error shows a token or secret. The
/// clock is fake: the per-engine timeout passes only when a test moves it.
/// </summary>
public sealed class IcebergFederationTests(IcebergCatalogFixture iceberg, DuckDbCatalogFixture duck) : IClassFixture<IcebergCatalogFixture>, IClassFixture<DuckDbCatalogFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2); // against a hang, not a timing check
    private readonly FakeTimeProvider _clock = new();

    private MetastoreClient Build(params ConnectionSpec[] more)
    {
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "duck", Kind = ConnectionKinds.DuckDb, ConnectionString = $"DataSource={duck.DatabasePath}" });
        registry.Add(new ConnectionSpec { Name = "ice", Kind = ConnectionKinds.Iceberg, ConnectionString = iceberg.ConnectionString });
        foreach (var spec in more) registry.Add(spec);
        return new MetastoreClient(new WarehouseClient(registry, duck.Client.Embedded), new MetastoreOptions { TimeProvider = _clock });
    }

    [Fact]
    public async Task A_500_from_the_catalog_is_an_error_entry_while_duckdb_answers()
    {
        await using var metastore = Build();
        try
        {
            iceberg.Server.Faults.FailWith(HttpStatusCode.InternalServerError, "/namespaces");
            var search = await metastore.SearchAsync("orders");
            Assert.Contains(search.Items, h => h.Address.ToString() == "duck.shop.sales.orders");
            Assert.DoesNotContain(search.Items, h => h.Address.Connection == "ice");
            var error = Assert.Single(search.Errors);
            Assert.Equal(("ice", MetastoreErrorKind.Failed), (error.Connection, error.Kind));
            Assert.Contains("500 ServiceFailureException", error.Message);
            var thrown = await Assert.ThrowsAsync<MetastoreException>(() => metastore.ListSchemasAsync("ice.lake"));
            Assert.Equal(MetastoreErrorKind.Failed, thrown.Kind);
        }
        finally
        {
            iceberg.Server.Faults.Heal();
        }
        await metastore.RefreshAsync("ice");
        Assert.Contains(new MetastoreAddress("ice", "lake", "sales", "orders"), (await metastore.SearchAsync("orders")).Items.Select(h => h.Address));
    }

    [Fact]
    public async Task A_hanging_catalog_times_out_into_an_error_entry_while_duckdb_answers()
    {
        await using var metastore = Build();
        // Every connection's names listed once and cached, then the catalog's forgotten: only it is asked again.
        Assert.Empty((await metastore.SearchAsync("orders")).Errors);
        await metastore.RefreshAsync("ice");
        try
        {
            iceberg.Server.Faults.Hang("/namespaces");
            var pending = metastore.SearchAsync("orders");
            await iceberg.Server.Faults.WhenHanging.WaitAsync(Guard);
            Assert.NotEmpty((await metastore.ListCatalogsAsync("duck")).Items); // DuckDB answers while the clock stands still
            Assert.False(pending.IsCompleted);
            _clock.Advance(metastore.Options.ProviderTimeout);
            var search = await pending.WaitAsync(Guard);
            Assert.Contains(search.Items, h => h.Address.ToString() == "duck.shop.sales.orders");
            var error = Assert.Single(search.Errors);
            Assert.Equal(("ice", MetastoreErrorKind.TimedOut), (error.Connection, error.Kind));

            iceberg.Server.Faults.Hang("/tables/orders");
            var describe = metastore.DescribeAsync("ice.lake.sales.orders");
            await iceberg.Server.Faults.WhenHanging.WaitAsync(Guard);
            _clock.Advance(metastore.Options.ProviderTimeout);
            var timedOut = await Assert.ThrowsAsync<MetastoreException>(() => describe.WaitAsync(Guard));
            Assert.Equal(MetastoreErrorKind.TimedOut, timedOut.Kind);
        }
        finally
        {
            iceberg.Server.Faults.Heal();
        }
        Assert.NotEmpty((await metastore.ListCatalogsAsync("duck")).Items);
    }

    [Fact]
    public async Task No_token_or_client_secret_appears_in_any_answer_or_error()
    {
        var secret = "cs-" + Guid.NewGuid().ToString("N");
        var wrongSecret = "ws-" + Guid.NewGuid().ToString("N");
        var wrongToken = "wt-" + Guid.NewGuid().ToString("N");
        await using var oauth = await IcebergRestServer.StartAsync(new IcebergServerOptions { ClientId = "kg", ClientSecret = secret });
        IcebergCatalogFixture.Seed(oauth);
        await using var metastore = Build(
            new ConnectionSpec { Name = "badice", Kind = ConnectionKinds.Iceberg, ConnectionString = iceberg.ConnectionString.Replace(iceberg.Token, wrongToken, StringComparison.Ordinal) },
            new ConnectionSpec { Name = "oauth", Kind = ConnectionKinds.Iceberg, ConnectionString = IcebergCatalogFixture.ConnectionStringOf(oauth, $"Credential=kg:{secret}") },
            new ConnectionSpec { Name = "badoauth", Kind = ConnectionKinds.Iceberg, ConnectionString = IcebergCatalogFixture.ConnectionStringOf(oauth, $"Credential=kg:{wrongSecret}") });

        var texts = new List<string>();
        var search = await metastore.SearchAsync("orders");
        Assert.Equal(["badice", "badoauth"], search.Errors.Select(e => e.Connection).Order(StringComparer.Ordinal));
        Assert.Contains(search.Errors, e => e.Connection == "badice" && e.Message.Contains("401 NotAuthorizedException", StringComparison.Ordinal));
        Assert.Contains(search.Errors, e => e.Connection == "badoauth" && e.Message.Contains("invalid_client", StringComparison.Ordinal));
        texts.Add(JsonSerializer.Serialize(search, PlatformJsonContext.Default.MetastoreAnswerMetastoreSearchHit));
        foreach (var failing in new[] { "badice.lake.sales.orders", "badoauth.lake.sales.orders" })
            texts.Add((await Assert.ThrowsAsync<MetastoreException>(() => metastore.DescribeAsync(failing))).ToString());
        texts.Add(JsonSerializer.Serialize(await metastore.DescribeAsync("oauth.lake.sales.orders"), PlatformJsonContext.Default.MetastoreTable));
        texts.Add(JsonSerializer.Serialize(await metastore.DescribeAsync("ice.lake.\"lake.raw\".events"), PlatformJsonContext.Default.MetastoreTable));
        texts.Add(JsonSerializer.Serialize(await metastore.ListConnectionsAsync(), PlatformJsonContext.Default.MetastoreAnswerMetastoreConnection));
        texts.Add(JsonSerializer.Serialize(await metastore.ListCatalogsAsync(), PlatformJsonContext.Default.MetastoreAnswerMetastoreCatalog));
        try
        {
            oauth.Faults.FailWith(HttpStatusCode.InternalServerError);
            await metastore.RefreshAsync("oauth");
            texts.Add((await Assert.ThrowsAsync<MetastoreException>(() => metastore.ListSchemasAsync("oauth.lake"))).ToString());
        }
        finally
        {
            oauth.Faults.Heal();
        }

        foreach (var text in texts)
        {
            foreach (var hidden in new[] { iceberg.Token, wrongToken, secret, wrongSecret }) Assert.DoesNotContain(hidden, text);
        }
        Assert.Contains(texts, t => t.Contains("Order total in euros", StringComparison.Ordinal)); // the answers are there, only the secrets are not
    }
}
