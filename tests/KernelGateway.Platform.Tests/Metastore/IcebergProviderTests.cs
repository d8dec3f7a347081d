using System.Net;
using System.Text.Json;
using KernelGateway.Platform.Iceberg;
using KernelGateway.Tests.Fixtures.Iceberg;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>The Iceberg REST catalog provider against the catalog fixture, alone and federated.</summary>
public sealed class IcebergProviderTests(IcebergCatalogFixture iceberg, DuckDbCatalogFixture duck) : IClassFixture<IcebergCatalogFixture>, IClassFixture<DuckDbCatalogFixture>
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task An_iceberg_catalog_gives_the_shape_every_provider_gives() =>
        await LogicalCatalog.AssertSameShapeAsync(iceberg.Provider("ice"), "ice", "lake", searchesColumns: false);

    [Fact]
    public async Task Namespaces_at_every_level_are_schemas_with_their_comments_and_owners()
    {
        var provider = iceberg.Provider("ice");
        var catalog = Assert.Single(await provider.ListCatalogsAsync(None));
        Assert.Equal(("lake", true), (catalog.Name, catalog.IsDefault));
        var schemas = await provider.ListSchemasAsync("lake", None);
        Assert.Equal(["Odd.Schema", "lake", "lake.raw", "sales"], schemas.Select(s => s.Name));
        Assert.Equal(("Sales data", "ann"), (schemas[3].Comment, schemas[3].Owner));
        Assert.Equal("landing zone", schemas[2].Comment);
        Assert.Equal(["events"], (await provider.ListTablesAsync("lake", "lake.raw", None)).Select(t => t.Name));
        Assert.Empty(await provider.ListSchemasAsync("other", None));
        // the client went through /v1/config and used the prefix it handed out, naming nested namespaces with %1F
        Assert.Contains(iceberg.Server.Calls, c => c.Path.EndsWith("/v1/config", StringComparison.Ordinal) && c.Query == "?warehouse=lake");
        Assert.Contains(iceberg.Server.Calls, c => c.Path.EndsWith("/v1/wh-7/namespaces/lake%1Fraw/tables", StringComparison.Ordinal));
        Assert.All(iceberg.Server.Calls, c => Assert.Equal(iceberg.Token, c.BearerToken));
    }

    [Fact]
    public async Task A_table_describes_with_partition_spec_snapshots_counts_and_real_file_sizes()
    {
        var events = await iceberg.Provider("ice").DescribeAsync("lake", "lake.raw", "events", None);
        Assert.NotNull(events);
        Assert.Equal(["id", "ts", "kind", "tags"], events.Columns.Select(c => c.Name));
        Assert.Equal(["long", "timestamptz", "string", "map<string, int>"], events.Columns.Select(c => c.EngineType));
        Assert.Equal(["integer", "datetime", "string", "object"], events.Columns.Select(c => c.TableSchemaType));
        Assert.Equal([false, true, true, true], events.Columns.Select(c => c.Nullable));
        Assert.Equal([true, true, false, false], events.Columns.Select(c => c.IsPartitionKey));
        Assert.Equal("day(ts), bucket[16](id)", events.PartitionSpec);
        Assert.Equal(("etl", "parquet"), (events.Owner, events.Format));
        Assert.StartsWith("file://" + iceberg.Server.Root, events.Location);
        Assert.Equal(1500, events.RowCount);
        var files = Directory.GetFiles(Path.Combine(iceberg.Server.Root, "lake", "raw", "events", "data"), "*.parquet");
        Assert.Equal(2, files.Length);
        Assert.Equal(files.Sum(f => new FileInfo(f).Length), events.SizeBytes);
        Assert.Equal([IcebergCatalogFixture.FirstAppend, IcebergCatalogFixture.SecondAppend], events.Snapshots.Select(s => s.Timestamp));
        Assert.All(events.Snapshots, s => Assert.Equal("append", s.Operation));
        Assert.Equal(["1000", "500"], events.Snapshots.Select(s => s.Summary["added-records"]));
        Assert.False(events.Snapshots[0].Summary.ContainsKey("operation"));
        Assert.Equal(events.Snapshots[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), events.Properties["current-snapshot-id"]);
        Assert.Equal("2", events.Properties["format-version"]);
        var written = JsonDocument.Parse(File.ReadAllText(new Uri(events.Properties["metadata-location"]).LocalPath)).RootElement;
        Assert.Equal(written.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("snapshot-id").GetInt64()), events.Snapshots.Select(s => s.Id));
    }

    [Fact]
    public async Task Pages_are_followed_and_nested_namespaces_found_through_parent()
    {
        await using var server = await IcebergRestServer.StartAsync(new IcebergServerOptions { PageSize = 2, Prefix = "p/q", Warehouse = "wh" });
        foreach (var n in new[] { "a", "b", "c", "d", "e" }) server.CreateNamespace([n]);
        server.CreateNamespace(["c", "x"]);
        server.CreateNamespace(["c", "x", "deep"]);
        foreach (var t in new[] { "t1", "t2", "t3", "t4", "t5" }) server.CreateTable(["c", "x", "deep"], t, [new("v", "int")]);
        var client = new IcebergRestClient(IcebergOptions.Parse($"iceberg+http://127.0.0.1:{server.BaseUri.Port}/catalog?warehouse=wh"));
        var provider = new IcebergMetastoreProvider("ice", () => client);
        Assert.Equal(["a", "b", "c", "c.x", "c.x.deep", "d", "e"], (await provider.ListSchemasAsync("wh", None)).Select(s => s.Name));
        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], (await provider.ListTablesAsync("wh", "c.x.deep", None)).Select(t => t.Name));
        Assert.Contains(server.Calls, c => c.Path.EndsWith("/v1/p/q/namespaces", StringComparison.Ordinal) && c.Query == "?pageToken=4");
        Assert.Contains(server.Calls, c => c.Query == "?parent=c%1Fx");
        Assert.Equal(3, server.Calls.Count(c => c.Path.EndsWith("/v1/p/q/namespaces/c%1Fx%1Fdeep/tables", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Oauth2_client_credentials_are_renewed_before_expiry_and_after_a_401()
    {
        await using var server = await IcebergRestServer.StartAsync(new IcebergServerOptions { ClientId = "kg-client", ClientSecret = "s3cr3t-" + Guid.NewGuid().ToString("N") });
        IcebergCatalogFixture.Seed(server);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = new IcebergRestClient(IcebergOptions.Parse(
            $"iceberg+http://127.0.0.1:{server.BaseUri.Port}/catalog/?warehouse=lake&credential=kg-client:{server.Options.ClientSecret}&scope=PRINCIPAL_ROLE:ALL&allow_insecure=true"),
            time: clock);
        var provider = new IcebergMetastoreProvider("ice", () => client);
        Assert.Contains("sales", (await provider.ListSchemasAsync("lake", None)).Select(s => s.Name));
        Assert.Equal(1, server.TokensIssued);

        clock.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(1)); // past the renewal point of a one-hour token
        Assert.NotEmpty(await provider.ListTablesAsync("lake", "sales", None));
        Assert.Equal(2, server.TokensIssued);

        server.RevokeTokens();
        Assert.NotNull(await provider.DescribeAsync("lake", "sales", "orders", None));
        Assert.Equal(3, server.TokensIssued);
        Assert.Contains(server.Calls, c => c.Status == 401);
        var tokenCalls = server.Calls.Where(c => c.Path.EndsWith("/oauth/tokens", StringComparison.Ordinal)).ToList();
        Assert.All(tokenCalls, c => Assert.Null(c.BearerToken));
    }

    [Fact]
    public async Task Bad_credentials_a_500_and_a_hang_give_error_entries_without_secrets_while_duckdb_answers()
    {
        var clock = new FakeTimeProvider();
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "duck", Kind = ConnectionKinds.DuckDb, ConnectionString = $"DataSource={duck.DatabasePath}" });
        registry.Add(new ConnectionSpec { Name = "ice", Kind = ConnectionKinds.Iceberg, ConnectionString = iceberg.ConnectionString });
        registry.Add(new ConnectionSpec { Name = "badice", Kind = ConnectionKinds.Iceberg, ConnectionString = iceberg.ConnectionString.Replace(iceberg.Token, wrong) });
        var metastore = new MetastoreClient(new WarehouseClient(registry, duck.Client.Embedded), new MetastoreOptions { TimeProvider = clock });

        var orders = await metastore.DescribeAsync("ice.sales.orders");
        Assert.Equal("One row per order", orders.Comment);
        var bad = await Assert.ThrowsAsync<MetastoreException>(() => metastore.ListSchemasAsync("badice.lake"));
        Assert.Equal(MetastoreErrorKind.Failed, bad.Kind);
        Assert.Contains("401", bad.Message);
        Assert.DoesNotContain(wrong, bad.Message);

        try
        {
            iceberg.Server.FailWith(HttpStatusCode.InternalServerError, "/namespaces");
            var failed = await metastore.SearchAsync("orders");
            Assert.Contains(failed.Items, h => h.Address.ToString() == "duck.shop.sales.orders");
            Assert.Contains(failed.Errors, e => e is { Connection: "ice", Kind: MetastoreErrorKind.Failed } && e.Message.Contains("500", StringComparison.Ordinal));

            iceberg.Server.Heal();
            iceberg.Server.Hang("/tables/orders");
            await metastore.RefreshAsync("ice");
            var pending = metastore.DescribeAsync("ice.lake.sales.orders");
            while (iceberg.Server.Hanging == 0) await Task.Delay(10).WaitAsync(TimeSpan.FromMinutes(2));
            clock.Advance(metastore.Options.ProviderTimeout);
            var timedOut = await Assert.ThrowsAsync<MetastoreException>(() => pending.WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Equal(MetastoreErrorKind.TimedOut, timedOut.Kind);
            Assert.NotEmpty((await metastore.ListCatalogsAsync("duck")).Items);
        }
        finally
        {
            iceberg.Server.Heal();
        }
        foreach (var json in new[]
        {
            JsonSerializer.Serialize(await metastore.ListConnectionsAsync(), PlatformJsonContext.Default.MetastoreAnswerMetastoreConnection),
            JsonSerializer.Serialize(await metastore.ListCatalogsAsync(), PlatformJsonContext.Default.MetastoreAnswerMetastoreCatalog),
            JsonSerializer.Serialize(orders, PlatformJsonContext.Default.MetastoreTable),
        })
        {
            Assert.DoesNotContain(iceberg.Token, json);
            Assert.DoesNotContain(wrong, json);
        }
    }

    [Fact]
    public void Connection_strings_are_checked_and_secrets_redacted()
    {
        var ok = IcebergOptions.Parse("iceberg+https://cat.example.com:8181/api/catalog?warehouse=w&credential=id:sec%3Dret&scope=PRINCIPAL_ROLE:ALL");
        Assert.Equal((new Uri("https://cat.example.com:8181/api/catalog/"), "w", "id", "sec=ret"), (ok.BaseUri, ok.Warehouse, ok.ClientId, ok.ClientSecret));
        Assert.Equal(new Uri("https://cat.example.com:8181/api/catalog/v1/oauth/tokens"), ok.TokenEndpoint);
        Assert.Contains("HTTPS", Assert.Throws<ArgumentException>(() => IcebergOptions.Parse("iceberg+http://h/?token=t")).Message);
        Assert.Contains("unknown iceberg setting", Assert.Throws<ArgumentException>(() => IcebergOptions.Parse("iceberg+https://h/?tokn=t")).Message);
        Assert.Contains("client_id:client_secret", Assert.Throws<ArgumentException>(() => IcebergOptions.Parse("iceberg+https://h/?credential=nocolon")).Message);
        Assert.Throws<ArgumentException>(() => IcebergOptions.Parse("https://h/"));
        var spec = new ConnectionSpec { Name = "ice", Kind = "iceberg", ConnectionString = "iceberg+https://h/?warehouse=w&credential=id:topsecret" }.Validated();
        Assert.DoesNotContain("topsecret", spec.Redacted);
        Assert.DoesNotContain("topsecret", spec.ToString());
        var bad = Assert.Throws<ArgumentException>(() => new ConnectionSpec { Name = "ice", Kind = "iceberg", ConnectionString = "iceberg+http://h/?token=topsecret" }.Validated());
        Assert.DoesNotContain("topsecret", bad.Message);
    }
}

/// <summary>iceberg-js, an independent client from npm, reads the same catalog from the fixture as our provider.</summary>
public sealed class IcebergNodeCrossCheckTests(IcebergCatalogFixture iceberg) : IClassFixture<IcebergCatalogFixture>
{
    [Fact]
    public async Task Iceberg_js_reads_the_same_namespaces_tables_fields_and_snapshots()
    {
        var lines = await NodeIcebergClient.WalkAsync(iceberg.Server.BaseUri, "lake", iceberg.Token, pageSize: 2, new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        Assert.DoesNotContain(lines, l => l.GetProperty("kind").GetString() == "error");
        var provider = iceberg.Provider("ice");

        var namespaces = lines.Where(l => l.GetProperty("kind").GetString() == "namespace")
            .Select(l => string.Join('.', l.GetProperty("namespace").EnumerateArray().Select(e => e.GetString()))).Order(StringComparer.Ordinal);
        Assert.Equal((await provider.ListSchemasAsync("lake", CancellationToken.None)).Select(s => s.Name), namespaces);

        var tables = lines.Where(l => l.GetProperty("kind").GetString() == "table").ToList();
        Assert.Equal(["Odd.Schema.My \"Quoted\" Table", "lake.raw.events", "sales.orders"],
            tables.Select(t => string.Join('.', t.GetProperty("namespace").EnumerateArray().Select(e => e.GetString())) + "." + t.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        foreach (var t in tables)
        {
            var schema = string.Join('.', t.GetProperty("namespace").EnumerateArray().Select(e => e.GetString()));
            var ours = await provider.DescribeAsync("lake", schema, t.GetProperty("name").GetString()!, CancellationToken.None);
            Assert.NotNull(ours);
            var fields = t.GetProperty("fields").EnumerateArray().ToList();
            Assert.Equal(ours.Columns.Select(c => (c.Name, !c.Nullable)), fields.Select(f => (f.GetProperty("name").GetString()!, f.GetProperty("required").GetBoolean())));
            Assert.Equal(ours.Columns.Where(c => !c.EngineType.Contains('<')).Select(c => c.EngineType),
                fields.Where(f => f.GetProperty("type").ValueKind == JsonValueKind.String).Select(f => f.GetProperty("type").GetString()));
            var snapshots = t.GetProperty("snapshots").EnumerateArray().ToList();
            // iceberg-js parses ids with JSON.parse, so a 64-bit snapshot id comes out rounded to a double (3051729675574597004
            // reads as 3051729675574597000); ours reads the exact long. Compared at a double's precision.
            Assert.Equal(ours.Snapshots.Select(s => (double)s.Id), snapshots.Select(s => double.Parse(s.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(ours.Snapshots.Select(s => s.Timestamp.ToUnixTimeMilliseconds()), snapshots.Select(s => s.GetProperty("timestampMs").GetInt64()));
            Assert.Equal(ours.RowCount?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                snapshots.LastOrDefault() is { ValueKind: JsonValueKind.Object } last ? last.GetProperty("summary").GetProperty("total-records").GetString() : null);
            Assert.Equal(ours.Comment, t.GetProperty("properties").TryGetProperty("comment", out var c) ? c.GetString() : null);
        }
    }
}

/// <summary>
/// Against a real Iceberg REST catalog when <c>KG_TEST_ICEBERG_URL</c> holds an iceberg connection string
/// (<c>iceberg+https://host/base?warehouse=w&amp;credential=id:secret</c>; or a plain catalog URL with
/// <c>KG_TEST_ICEBERG_TOKEN</c>): read-only, every namespace listed and the first table found described.
/// </summary>
public sealed class IcebergLiveTests
{
    [SkippableFact]
    public async Task A_live_catalog_lists_and_describes_read_only()
    {
        var url = Environment.GetEnvironmentVariable("KG_TEST_ICEBERG_URL");
        Skip.If(string.IsNullOrEmpty(url), "set KG_TEST_ICEBERG_URL to an Iceberg REST catalog to run this against it");
        var token = Environment.GetEnvironmentVariable("KG_TEST_ICEBERG_TOKEN");
        var connectionString = url.StartsWith("iceberg+", StringComparison.Ordinal) ? url
            : "iceberg+" + url + (token is null ? "" : (url.Contains('?') ? "&" : "?") + "token=" + Uri.EscapeDataString(token));
        using var client = new IcebergRestClient(IcebergOptions.Parse(connectionString));
        var provider = new IcebergMetastoreProvider("live", () => client);
        var catalog = Assert.Single(await provider.ListCatalogsAsync(CancellationToken.None));
        var schemas = await provider.ListSchemasAsync(catalog.Name, CancellationToken.None);
        foreach (var schema in schemas)
        {
            var tables = await provider.ListTablesAsync(catalog.Name, schema.Name, CancellationToken.None);
            if (tables.FirstOrDefault() is not { } first) continue;
            var described = await provider.DescribeAsync(catalog.Name, schema.Name, first.Name, CancellationToken.None);
            Assert.NotNull(described);
            Assert.NotEmpty(described.Columns);
            return;
        }
    }
}
