using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// The federation over real engines: the embedded warehouse, a DuckDB file, a real PostgreSQL, a PostgreSQL port
/// nobody listens on, a socket that accepts and never answers, a Spark Connect connection (no provider yet) and a broken
/// entry. Time is a fake clock: the cache's expiry and the per-engine timeout move only when a test says so.
/// </summary>
[Collection(MetastorePostgresCollection.Name)]
public sealed class MetastoreFederationTests(MetastorePostgres pg, DuckDbCatalogFixture duck) : IClassFixture<DuckDbCatalogFixture>, IAsyncDisposable
{
    private readonly string _secret = "pw-" + Guid.NewGuid().ToString("N");
    private readonly FakeTimeProvider _clock = new();
    private readonly TcpListener _silent = Listen();
    private readonly List<TcpClient> _accepted = [];

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int ClosedPort()
    {
        using var probe = Listen();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private int SilentPort => ((IPEndPoint)_silent.LocalEndpoint).Port;

    private MetastoreOptions Options => new() { TimeProvider = _clock };

    /// <summary>
    /// A registry over the real engines, the Spark connection, the broken entry and (unless <paramref name="down"/> is
    /// false) the closed port; the silent one is added by the tests that want it. Tests that move the clock leave the
    /// closed port out: its lookup must fail on its own, not race the clock into a timeout.
    /// </summary>
    private (MetastoreClient Metastore, ConnectionRegistry Registry) Build(bool down = true)
    {
        var registry = new ConnectionRegistry();
        registry.Add(new ConnectionSpec { Name = "duck", Kind = ConnectionKinds.DuckDb, ConnectionString = $"DataSource={duck.DatabasePath}" });
        registry.Add(new ConnectionSpec { Name = "pg", Kind = ConnectionKinds.Postgres, ConnectionString = pg.ConnectionString });
        if (down) registry.Add(new ConnectionSpec { Name = "down", Kind = ConnectionKinds.Postgres, ConnectionString = $"Host=127.0.0.1;Port={ClosedPort()};Username=kg;Password={_secret};Database=x;Pooling=false" });
        registry.Add(new ConnectionSpec { Name = "lv", Kind = ConnectionKinds.Livy, ConnectionString = $"livy+https://kg:{_secret}@127.0.0.1:1/" });
        registry.AddJson($$"""[{"name": "broken", "kind": "postgres", "connection_string": "Host=h;Password={{_secret}};Bogus Key=1"}]""", "the test");
        var client = new WarehouseClient(registry, duck.Client.Embedded);
        return (new MetastoreClient(client, Options), registry);
    }

    private void AddSilent(ConnectionRegistry registry) =>
        registry.Add(new ConnectionSpec { Name = "silent", Kind = ConnectionKinds.Postgres, ConnectionString = $"Host=127.0.0.1;Port={SilentPort};Username=kg;Password={_secret};Database=x;Pooling=false;Timeout=0" });

    /// <summary>Waits until the silent server has taken the engine's connection: from then on only the timeout can end the lookup.</summary>
    private async Task SilentServerConnectedAsync()
    {
        var client = await _silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMinutes(2));
        _accepted.Add(client);
    }

    [Fact]
    public async Task A_failing_engine_gives_an_error_entry_while_the_others_answer()
    {
        var (metastore, _) = Build();
        var answer = await metastore.ListCatalogsAsync();
        Assert.Equal(["duck.shop", "pg.shop", "warehouse.memory"], answer.Items.Select(c => c.Address.ToString()).Order());
        Assert.Equal([("broken", MetastoreErrorKind.Unusable), ("down", MetastoreErrorKind.Failed), ("lv", MetastoreErrorKind.NotSupported)],
            answer.Errors.Select(e => (e.Connection, e.Kind)).Order());
        Assert.Contains("refused", answer.Errors.Single(e => e.Connection == "down").Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not supported yet for livy", answer.Errors.Single(e => e.Connection == "lv").Message);
        AssertNoSecret(JsonSerializer.Serialize(answer, PlatformJsonContext.Default.MetastoreAnswerMetastoreCatalog));
    }

    [Fact]
    public async Task A_silent_engine_times_out_into_an_error_entry_while_the_others_answer()
    {
        var (metastore, registry) = Build(down: false);
        Assert.Equal(3, (await metastore.ListCatalogsAsync()).Items.Count); // the others' answers are cached: only the silent one waits on the clock
        AddSilent(registry);

        var pending = metastore.ListCatalogsAsync();
        await SilentServerConnectedAsync();
        Assert.False(pending.IsCompleted);
        _clock.Advance(metastore.Options.ProviderTimeout);
        var answer = await pending.WaitAsync(TimeSpan.FromMinutes(2)); // a guard against a hang, not a timing check

        Assert.Equal(["duck.shop", "pg.shop", "warehouse.memory"], answer.Items.Select(c => c.Address.ToString()).Order());
        var silent = Assert.Single(answer.Errors, e => e.Connection == "silent");
        Assert.Equal(MetastoreErrorKind.TimedOut, silent.Kind);
        Assert.Equal("no answer within 10 s", silent.Message);
        AssertNoSecret(JsonSerializer.Serialize(answer, PlatformJsonContext.Default.MetastoreAnswerMetastoreCatalog));
    }

    [Fact]
    public async Task Search_ranks_exact_names_then_prefixes_then_substrings_then_comments_across_engines()
    {
        var (metastore, _) = Build();
        var answer = await metastore.SearchAsync("ORDER");
        var hits = answer.Items;
        Assert.Equal(hits.OrderBy(h => h.Match).ThenBy(h => h.Level).Select(h => h.Address), hits.Select(h => h.Address));
        Assert.Equal(MetastoreMatch.NamePrefix, hits[0].Match);
        Assert.Equal(["duck.shop.sales.orders", "pg.shop.pgonly.order_totals", "pg.shop.sales.orders"],
            hits.Where(h => h is { Match: MetastoreMatch.NamePrefix, Level: MetastoreLevel.Table }).Select(h => h.Address.ToString()));
        Assert.Contains(hits, h => h.Address.ToString() == "pg.shop.sales.big_orders" && h is { Match: MetastoreMatch.NameSubstring, TableKind: MetastoreTableKind.View });
        var comment = Assert.Single(hits, h => h.Address.ToString() == "duck.shop.sales.orders.amount");
        Assert.Equal(MetastoreMatch.Comment, comment.Match);
        Assert.Equal("Order total in euros", comment.Comment);

        var exact = await metastore.SearchAsync("orders", limit: 3);
        Assert.Equal(3, exact.Items.Count);
        Assert.Equal([MetastoreMatch.ExactName, MetastoreMatch.ExactName, MetastoreMatch.NameSubstring], exact.Items.Select(h => h.Match));
        Assert.Equal(["duck.shop.sales.orders", "pg.shop.sales.orders"], exact.Items.Take(2).Select(h => h.Address.ToString()));

        var byComment = await metastore.SearchAsync("partition key");
        Assert.Equal(["pg.shop.pgonly.events.day"], byComment.Items.Select(h => h.Address.ToString()));
        Assert.Equal(["broken", "down", "lv"], answer.Errors.Select(e => e.Connection).Order());
        AssertNoSecret(JsonSerializer.Serialize(answer, PlatformJsonContext.Default.MetastoreAnswerMetastoreSearchHit));
    }

    [Fact]
    public async Task Search_answers_from_the_engines_that_answer_when_one_is_silent()
    {
        var (metastore, registry) = Build(down: false);
        Assert.NotEmpty((await metastore.SearchAsync("orders")).Items); // the others' names are cached
        AddSilent(registry);
        var pending = metastore.SearchAsync("orders");
        await SilentServerConnectedAsync();
        Assert.False(pending.IsCompleted);
        _clock.Advance(metastore.Options.ProviderTimeout);
        var answer = await pending.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(["duck.shop.sales.orders", "pg.shop.sales.orders"], answer.Items.Where(h => h.Match == MetastoreMatch.ExactName).Select(h => h.Address.ToString()));
        Assert.Equal(MetastoreErrorKind.TimedOut, answer.Errors.Single(e => e.Connection == "silent").Kind);
    }

    [Fact]
    public async Task Search_says_when_it_covered_only_the_first_names_of_a_connection()
    {
        var registry = new ConnectionRegistry();
        var metastore = new MetastoreClient(new WarehouseClient(registry, duck.Client.Embedded), Options with { SearchNameLimit = 2 });
        var answer = await metastore.SearchAsync("session");
        var incomplete = Assert.Single(answer.Errors);
        Assert.Equal(("warehouse", MetastoreErrorKind.Incomplete), (incomplete.Connection, incomplete.Kind));
        Assert.Contains("first 2 names", incomplete.Message);
    }

    [Fact]
    public async Task Answers_are_cached_until_their_time_to_live_passes_or_a_refresh()
    {
        var (metastore, _) = Build();
        await duck.Client.ExecuteAsync("CREATE SCHEMA IF NOT EXISTS scratch", connection: "duck");
        await duck.Client.ExecuteAsync("CREATE TABLE scratch.first (id INTEGER)", connection: "duck");
        Assert.Equal(["first"], (await metastore.ListTablesAsync("duck.shop.scratch")).Select(t => t.Name));

        await duck.Client.ExecuteAsync("CREATE TABLE scratch.second (id INTEGER)", connection: "duck");
        _clock.Advance(metastore.Options.CacheTimeToLive - TimeSpan.FromTicks(1));
        Assert.Equal(["first"], (await metastore.ListTablesAsync("duck.shop.scratch")).Select(t => t.Name));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(["first", "second"], (await metastore.ListTablesAsync("duck.shop.scratch")).Select(t => t.Name));

        await duck.Client.ExecuteAsync("CREATE TABLE scratch.third (id INTEGER)", connection: "duck");
        Assert.Equal(2, (await metastore.ListTablesAsync("duck.shop.scratch")).Count);
        var refreshed = await metastore.RefreshAsync("duck");
        Assert.Equal(["duck.shop"], refreshed.Items.Select(c => c.Address.ToString()));
        Assert.Equal(["first", "second", "third"], (await metastore.ListTablesAsync("duck.shop.scratch")).Select(t => t.Name));
        Assert.Contains((await metastore.SearchAsync("third")).Items, h => h.Address.ToString() == "duck.shop.scratch.third");
    }

    [Fact]
    public async Task Describe_takes_a_three_part_address_in_the_default_catalog_and_names_differing_only_in_case()
    {
        var (metastore, _) = Build();
        var sessions = await metastore.DescribeAsync("warehouse.main.sessions");
        Assert.Equal(MetastoreAddress.Parse("warehouse.memory.main.sessions"), sessions.Address);
        Assert.Contains(sessions.Columns, c => c.Name == "seconds_watched");

        var orders = await metastore.DescribeAsync("pg.shop.\"SALES\".\"Orders\"");
        Assert.Equal(MetastoreAddress.Parse("pg.shop.sales.orders"), orders.Address);
        var odd = await metastore.DescribeAsync(new MetastoreAddress("pg", "shop", LogicalCatalog.OddSchema, LogicalCatalog.OddTable));
        Assert.Equal(["Mixed Case", "ünïcode"], odd.Columns.Select(c => c.Name));
        Assert.Equal(odd.Address, (await metastore.ListTablesAsync(odd.Address.Parent!)).Single().Address);
        Assert.Equal(["Odd.Schema", "pgonly", "public", "sales"], (await metastore.ListSchemasAsync("pg")).Select(s => s.Name));
    }

    [Fact]
    public async Task Lookups_on_one_connection_fail_with_what_is_missing_and_never_the_secret()
    {
        var (metastore, _) = Build();
        var missing = await Assert.ThrowsAsync<MetastoreException>(() => metastore.DescribeAsync("pg.shop.sales.nope"));
        Assert.Equal(MetastoreErrorKind.NotFound, missing.Kind);
        Assert.Equal("no table nope in pg.shop.sales", missing.Message);
        var noSchema = await Assert.ThrowsAsync<MetastoreException>(() => metastore.ListTablesAsync("pg.shop.nope"));
        Assert.Equal("no schema nope in pg.shop", noSchema.Message);
        var noConnection = await Assert.ThrowsAsync<MetastoreException>(() => metastore.ListSchemasAsync("nowhere.db"));
        Assert.Equal(MetastoreErrorKind.NotFound, noConnection.Kind);
        var notSupported = await Assert.ThrowsAsync<MetastoreException>(() => metastore.DescribeAsync("lv.hive.default.t"));
        Assert.Equal(MetastoreErrorKind.NotSupported, notSupported.Kind);
        var down = await Assert.ThrowsAsync<MetastoreException>(() => metastore.DescribeAsync("down.x.public.t"));
        Assert.Equal(MetastoreErrorKind.Failed, down.Kind);
        var broken = await Assert.ThrowsAsync<MetastoreException>(() => metastore.ListSchemasAsync("broken.x"));
        Assert.Equal(MetastoreErrorKind.Unusable, broken.Kind);
        Assert.Throws<ArgumentException>(() => { _ = metastore.DescribeAsync("pg.shop").GetAwaiter().GetResult(); });
        foreach (var e in new[] { missing, noSchema, noConnection, notSupported, down, broken }) AssertNoSecret(e.Message);

        var connections = await metastore.ListConnectionsAsync();
        Assert.Equal(["down", "duck", "lv", "pg", "warehouse"], connections.Items.Select(c => c.Name));
        Assert.Equal([true, true, false, true, true], connections.Items.Select(c => c.Supported));
        AssertNoSecret(JsonSerializer.Serialize(connections, PlatformJsonContext.Default.MetastoreAnswerMetastoreConnection));
    }

    [Fact]
    public void An_engine_message_quoting_the_secret_is_scrubbed()
    {
        var spec = new ConnectionSpec { Name = "x", Kind = ConnectionKinds.Postgres, ConnectionString = $"Host=h;Password={_secret}" };
        var scrubbed = SecretScrubber.Scrub($"could not use '{spec.ConnectionString}', nor '{_secret}' alone", spec);
        AssertNoSecret(scrubbed);
        Assert.Contains("Host=h;Password=***", scrubbed);
    }

    private void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(_secret, text);
        Assert.DoesNotContain("Password=", text.Replace("Password=***", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var client in _accepted) client.Dispose();
        _silent.Stop();
        return ValueTask.CompletedTask;
    }
}
