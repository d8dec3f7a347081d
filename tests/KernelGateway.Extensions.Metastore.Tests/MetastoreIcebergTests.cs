using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Tests;
using KernelGateway.Tests.Fixtures.Iceberg;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Metastore.Tests;

/// <summary>A real kernel with an iceberg connection (KG_CONNECTIONS) to the Iceberg REST catalog fixture.</summary>
public sealed class MetastoreIcebergTests : IAsyncLifetime
{
    private const long FirstSnapshotRows = 250;
    private IcebergRestServer _catalog = null!;
    private KernelProcessHandle _kernel = null!;
    private KernelClient _client = null!;
    private readonly string _token = "kit-" + Guid.NewGuid().ToString("N");

    public async Task InitializeAsync()
    {
        _catalog = await IcebergRestServer.StartAsync(new IcebergServerOptions { RequiredToken = _token });
        _catalog.CreateNamespace(["analytics"], new Dictionary<string, string> { ["comment"] = "curated" });
        _catalog.CreateTable(["analytics"], "daily plays", [new("day", "date", Required: true), new("plays", "long", Doc: "plays that day")],
            [new("day", "month")], new Dictionary<string, string> { ["comment"] = "plays per day" });
        _catalog.AppendSnapshot(["analytics"], "daily plays", "append", $"SELECT DATE '2026-11-01' + range::INTEGER AS day, range * 10 AS plays FROM range({FirstSnapshotRows})");
        var connections = JsonSerializer.Serialize(new[]
        {
            new Dictionary<string, string>
            {
                ["name"] = "ice", ["kind"] = "iceberg",
                ["connection_string"] = $"{_catalog.BaseUri};Warehouse=lake;Token={_token};AllowInsecure=true",
            },
        });
        (_kernel, _client) = await KernelProcessHandle.StartAsync(environment: new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000", ["KG_CONNECTIONS"] = connections });
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_kernel is not null) await _kernel.DisposeAsync();
        if (_catalog is not null) await _catalog.DisposeAsync();
    }

    private async Task<RequestOutcome> Ok(string code)
    {
        var outcome = await _client.ExecuteAsync(code, cancellationToken: Soon());
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        return outcome;
    }

    private static List<JsonElement> Resources(RequestOutcome outcome) => outcome.OfType(MessageTypes.DisplayData)
        .Select(m => m.Content.GetProperty("data")).Where(d => d.TryGetProperty("application/vnd.dataresource+json", out _))
        .Select(d => d.GetProperty("application/vnd.dataresource+json")).ToList();

    [Fact]
    public async Task Metastore_browses_an_iceberg_catalog_and_describes_a_table_with_its_snapshots_and_sql_cells_say_it_is_catalog_only()
    {
        var schemas = Assert.Single(Resources(await Ok("%metastore schemas ice.lake")));
        var analytics = Assert.Single(schemas.GetProperty("data").EnumerateArray());
        Assert.Equal(("analytics", "curated"), (analytics.GetProperty("schema").GetString(), analytics.GetProperty("comment").GetString()));

        var described = Resources(await Ok("%metastore describe ice.lake.analytics.\"daily plays\""));
        var columns = described[0].GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["day", "plays"], columns.Select(c => c.GetProperty("column").GetString()));
        Assert.Equal([true, false], columns.Select(c => c.GetProperty("partition_key").GetBoolean()));
        var snapshots = described.Single(r => r.GetProperty("schema").GetProperty("fields")[0].GetProperty("name").GetString() == "id");
        var snapshot = Assert.Single(snapshots.GetProperty("data").EnumerateArray());
        Assert.Equal(JsonValueKind.String, snapshot.GetProperty("id").ValueKind);
        Assert.Equal("append", snapshot.GetProperty("operation").GetString());
        Assert.Contains($"\"total-records\":\"{FirstSnapshotRows}\"", snapshot.GetProperty("summary").GetString());

        var typed = await Ok("""(await Metastore.DescribeAsync("ice.lake.analytics.\"daily plays\"")).PartitionSpec""");
        Assert.Equal("month(day)", typed.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());

        foreach (var cell in new[] { "%%sql ice\nSELECT 1", "%%sql -c ice\nSELECT 1", "%%spark -c ice\nSELECT 1" })
        {
            var refused = await _client.ExecuteAsync(cell, cancellationToken: Soon());
            Assert.Equal("error", refused.Status);
            Assert.Contains("connection 'ice' is a catalog-only connection", refused.Reply.Content.GetProperty("evalue").GetString());
            Assert.DoesNotContain(_token, refused.Reply.Content.ToString());
        }
        Assert.All(_catalog.Calls, c => Assert.Equal(IcebergAuth.StaticToken, c.Auth));
    }
}
