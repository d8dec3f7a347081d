using KernelGateway.Platform.Iceberg;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>The iceberg connection string: the catalog's URL, then <c>;Key=Value</c> settings; bad ones refused saying why, secrets never shown.</summary>
public sealed class IcebergOptionsTests
{
    [Fact]
    public void A_url_and_settings_read_as_the_catalog_base_warehouse_and_credentials()
    {
        var o = IcebergOptions.Parse("https://cat.example.com:8181/api/catalog;Warehouse=analytics;Credential=id:sec%3Bret;scope=PRINCIPAL_ROLE:ALL;PageSize=50");
        Assert.Equal((new Uri("https://cat.example.com:8181/api/catalog/"), "analytics", "id", "sec;ret", "PRINCIPAL_ROLE:ALL", 50),
            (o.BaseUri, o.Warehouse, o.ClientId, o.ClientSecret, o.Scope, o.PageSize));
        Assert.Equal(new Uri("https://cat.example.com:8181/api/catalog/v1/oauth/tokens"), o.TokenEndpoint);
        Assert.DoesNotContain("sec", o.ToString());

        var plain = IcebergOptions.Parse("http://localhost:8181");
        Assert.Equal((new Uri("http://localhost:8181/"), null, null, IcebergOptions.DefaultScope, null), (plain.BaseUri, plain.Warehouse, plain.Token, plain.Scope, plain.PageSize));

        var own = IcebergOptions.Parse("https://h/;Token=t0k;OAuth2ServerUri=https://idp.example.com/oauth2/token");
        Assert.Equal(("t0k", new Uri("https://idp.example.com/oauth2/token")), (own.Token, own.OAuth2ServerUri));
        Assert.True(IcebergOptions.Parse("http://127.0.0.1:1/;Token=t;AllowInsecure=true").AllowInsecure);
    }

    [Theory]
    [InlineData("", "the catalog's URL")]
    [InlineData("iceberg+https://h/?warehouse=w", "https://")]
    [InlineData("ftp://h/", "https://")]
    [InlineData("https://h/?warehouse=w", "no query string")]
    [InlineData("https://user:pw@h/", "no user@ part")]
    [InlineData("https://h/;Warehous=w", "unknown iceberg setting 'Warehous'")]
    [InlineData("https://h/;Warehouse", "Warehouse needs a value")]
    [InlineData("https://h/;Warehouse=a;warehouse=b", "Warehouse is given twice")]
    [InlineData("https://h/;Warehouse=", "Warehouse is empty")]
    [InlineData("https://h/;Credential=nocolon", "client_id:client_secret")]
    [InlineData("https://h/;Token=a;Credential=b:c", "either Token or Credential")]
    [InlineData("http://h/;Token=t", "AllowInsecure=true")]
    [InlineData("https://h/;Credential=a:b;OAuth2ServerUri=http://idp/token", "OAuth2ServerUri must be https://")]
    [InlineData("https://h/;OAuth2ServerUri=idp", "OAuth2ServerUri must be an http(s) URL")]
    [InlineData("https://h/;PageSize=0", "PageSize must be a positive whole number")]
    [InlineData("https://h/;AllowInsecure=maybe", "AllowInsecure must be true or false")]
    [InlineData("https://h/;Token=a&b", "%26")]
    [InlineData("https://h/;Token=%zz", "not percent-encoded")]
    public void A_bad_connection_string_is_refused_saying_what_is_wrong(string connectionString, string says) =>
        Assert.Contains(says, Assert.Throws<ArgumentException>(() => IcebergOptions.Parse(connectionString)).Message);

    [Fact]
    public void Connection_entries_are_validated_and_their_token_and_credential_hidden()
    {
        var spec = new ConnectionSpec { Name = "ice", Kind = "Iceberg", ConnectionString = "https://h/;Warehouse=w;Credential=kg-id:topsecret%2F1" }.Validated();
        Assert.Equal(ConnectionKinds.Iceberg, spec.Kind);
        Assert.Equal("ice (iceberg) https://h/;Warehouse=w;Credential=***", spec.ToString());
        Assert.Equal("https://h/;Token=***", ConnectionSpec.Redact("https://h/;Token=abc.def"));
        // A token endpoint or a server may echo the client secret alone; the scrubber hides it too.
        Assert.Equal("client secret *** refused", SecretScrubber.Scrub("client secret topsecret/1 refused", spec));

        var bad = Assert.Throws<ArgumentException>(() => new ConnectionSpec { Name = "ice", Kind = "iceberg", ConnectionString = "http://h/;Token=topsecret" }.Validated());
        Assert.Contains("connection 'ice' (iceberg): bad connection string", bad.Message);
        Assert.DoesNotContain("topsecret", bad.Message);

        var registry = new ConnectionRegistry();
        registry.AddJson("""[{"name": "lake", "kind": "iceberg", "connection_string": "https://h/;Tokn=topsecret"}]""", "test");
        Assert.Contains("unknown iceberg setting 'Tokn'", Assert.Single(registry.Problems).Message);
        Assert.DoesNotContain("topsecret", Assert.Single(registry.Problems).ToString());
    }

    [Fact]
    public async Task An_iceberg_connection_is_catalog_only_and_says_so_when_asked_to_run_sql()
    {
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "ice", Kind = ConnectionKinds.Iceberg, ConnectionString = "https://h/;Token=topsecret" });
        Assert.True(ConnectionKinds.IsCatalogOnly("iceberg"));
        Assert.False(ConnectionKinds.IsCatalogOnly(ConnectionKinds.DuckDb));
        var home = Path.Combine(Path.GetTempPath(), "kg-ice-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var warehouse = new WarehouseClient(registry, new EmbeddedWarehouse(home));
            var e = await Assert.ThrowsAsync<NotSupportedException>(() => warehouse.OpenAsync("ice"));
            Assert.Contains("connection 'ice' is a catalog-only connection", e.Message);
            Assert.Contains("%metastore", e.Message);
            Assert.DoesNotContain("topsecret", e.Message);
        }
        finally
        {
            if (Directory.Exists(home)) Directory.Delete(home, recursive: true);
        }
    }
}
