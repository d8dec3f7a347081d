using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Tests;

/// <summary>One small seeded warehouse (100k sessions) shared by the tests of a class.</summary>
public sealed class SmallWarehouse : IAsyncLifetime
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "kg-wh-" + Guid.NewGuid().ToString("N"));
    public WarehouseClient Client { get; private set; } = null!;
    public SeedManifest Manifest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var embedded = new EmbeddedWarehouse(DataDirectory, sessionRows: 100_000);
        Manifest = await embedded.EnsureSeededAsync();
        Client = new WarehouseClient(new ConnectionRegistry(), embedded);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(DataDirectory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed record SessionRow(long SessionId, int MemberId, string Device, int SecondsWatched);

public sealed class EmbeddedWarehouseTests(SmallWarehouse warehouse) : IClassFixture<SmallWarehouse>
{
    [Fact]
    public void Seeding_writes_every_table_and_a_manifest_with_row_counts()
    {
        Assert.Equal(100_000, warehouse.Manifest.Tables["sessions"]);
        Assert.Equal(20_000, warehouse.Manifest.Tables["titles"]);
        Assert.Equal(10_000, warehouse.Manifest.Tables["members"]);
        Assert.All(EmbeddedWarehouse.Tables, t => Assert.True(File.Exists(warehouse.Client.Embedded.TablePath(t))));
        Assert.Empty(Directory.GetFiles(warehouse.Client.Embedded.Directory, "*.tmp"));
    }

    [Fact]
    public async Task Typed_queries_map_columns_to_properties_and_bind_parameters()
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        var rows = await warehouse.Client.QueryAsync<SessionRow>(
            "SELECT session_id, member_id, device, seconds_watched FROM sessions WHERE device = $device ORDER BY session_id LIMIT 5",
            new { device = "tv" });
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal("tv", r.Device));
        Assert.True(rows.SequenceEqual(rows.OrderBy(r => r.SessionId)));
    }

    [Fact]
    public async Task A_parameter_holding_sql_is_data_not_code()
    {
        var evil = "'; DROP VIEW sessions; --";
        var count = await warehouse.Client.QueryAsync<long>("SELECT count(*) FROM sessions WHERE device = $device", new { device = evil });
        Assert.Equal(0, count.Single());
        var still = await warehouse.Client.QueryAsync<long>("SELECT count(*) FROM sessions");
        Assert.Equal(100_000, still.Single());
    }

    [Fact]
    public async Task A_streaming_reader_reads_rows_as_consumed_and_closes_its_connection()
    {
        long seen = 0;
        await using (var reader = await warehouse.Client.ReadAsync("SELECT session_id FROM sessions"))
        {
            while (await reader.ReadAsync()) seen++;
        }
        Assert.Equal(100_000, seen);
    }

    [Fact]
    public async Task Cancelling_stops_a_long_query_in_the_engine()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            warehouse.Client.QueryAsync<long>("SELECT count(*) FROM range(10000000000) a, range(10) b", cancellationToken: cts.Token));
        Assert.Equal(1, (await warehouse.Client.QueryAsync<int>("SELECT 1")).Single());
    }

    [Fact]
    public async Task A_timeout_cancels_too()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            warehouse.Client.QueryAsync<long>("SELECT count(*) FROM range(10000000000) a, range(10) b", timeout: TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Bad_sql_is_an_error_with_the_engines_message()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => warehouse.Client.QueryAsync<int>("SELEC 1"));
        Assert.Contains("syntax error", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Extensions_that_are_not_built_in_fail_clearly_without_a_download()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => warehouse.Client.ExecuteAsync("LOAD spatial"));
        Assert.Contains("spatial", e.Message);
    }

    [Fact]
    public async Task Several_connections_query_at_the_same_time()
    {
        var tasks = Enumerable.Range(0, 4).Select(i => warehouse.Client.QueryAsync<long>(
            "SELECT count(*) FROM sessions s JOIN titles t USING (title_id) WHERE s.member_id % 4 = $k", new { k = i })).ToList();
        var counts = (await Task.WhenAll(tasks)).Select(r => r.Single()).ToList();
        Assert.Equal(100_000, counts.Sum());
    }

    [Fact]
    public async Task Unknown_connections_name_the_known_ones()
    {
        var e = await Assert.ThrowsAsync<KeyNotFoundException>(() => warehouse.Client.QueryAsync<int>("SELECT 1", connection: "nope"));
        Assert.Contains("warehouse", e.Message);
    }
}

public sealed class SeedingTests
{
    [Fact]
    public async Task Concurrent_seeders_produce_one_seed_and_all_see_it()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kg-wh-seed-" + Guid.NewGuid().ToString("N"));
        try
        {
            var manifests = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => new EmbeddedWarehouse(dir, 50_000).EnsureSeededAsync()));
            Assert.Single(manifests.Select(m => m.Created).Distinct());
            Assert.All(manifests, m => Assert.Equal(50_000, m.Tables["sessions"]));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

public sealed class DataFrameTests(SmallWarehouse warehouse) : IClassFixture<SmallWarehouse>
{
    [Fact]
    public async Task DuckDB_results_become_typed_DataFrame_columns_through_arrow()
    {
        var df = await warehouse.Client.QueryDataFrameAsync("""
            SELECT 1::INTEGER AS i, 9000000000::BIGINT AS big, 1.5::DOUBLE AS d, 12.345::DECIMAL(10,3) AS dec, DATE '2024-02-29' AS day,
                   TIMESTAMP '2024-01-02 03:04:05' AS ts, 'héllo' AS s, true AS b, NULL::INTEGER AS n
            UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 7
            """);
        Assert.Equal(2, df.Rows.Count);
        Assert.IsType<Microsoft.Data.Analysis.Int32DataFrameColumn>(df.Columns["i"]);
        Assert.IsType<Microsoft.Data.Analysis.Int64DataFrameColumn>(df.Columns["big"]);
        Assert.IsType<Microsoft.Data.Analysis.DecimalDataFrameColumn>(df.Columns["dec"]);
        Assert.Equal(12.345m, df.Columns["dec"][0]);
        Assert.Equal(new DateTime(2024, 2, 29), df.Columns["day"][0]);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), df.Columns["ts"][0]);
        Assert.Equal("héllo", df.Columns["s"][0]);
        Assert.Equal(true, df.Columns["b"][0]);
        Assert.Null(df.Columns["big"][1]);
        Assert.Null(df.Columns["n"][0]);
        Assert.Equal(7, df.Columns["n"][1]);
    }

    [Fact]
    public async Task A_large_result_keeps_every_row_and_value()
    {
        var df = await warehouse.Client.QueryDataFrameAsync("SELECT session_id, seconds_watched, device FROM sessions ORDER BY session_id");
        Assert.Equal(100_000, df.Rows.Count);
        var expected = (await warehouse.Client.QueryAsync<long>("SELECT sum(seconds_watched)::BIGINT FROM sessions")).Single();
        Assert.Equal(expected, ((Microsoft.Data.Analysis.Int32DataFrameColumn)df.Columns["seconds_watched"]).Sum(v => (long)(v ?? 0)));
        Assert.Equal(100_000L, df.Columns["session_id"][99_999]);
    }

    [Fact]
    public async Task Parameters_bind_on_the_arrow_path()
    {
        var df = await warehouse.Client.QueryDataFrameAsync("SELECT count(*) AS n FROM sessions WHERE device = $device",
            new Dictionary<string, object?> { ["device"] = "'; DROP VIEW sessions; --" });
        Assert.Equal(0L, df.Columns["n"][0]);
    }
}
