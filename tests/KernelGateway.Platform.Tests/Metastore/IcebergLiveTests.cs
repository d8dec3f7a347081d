using KernelGateway.Platform.Iceberg;
using KernelGateway.Platform.Metastore;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// Against a real Iceberg REST catalog when <c>KG_TEST_ICEBERG_URL</c> is set: an iceberg connection string
/// (<c>https://host/base;Warehouse=w;Credential=id:secret</c>), or a bare catalog URL with <c>KG_TEST_ICEBERG_TOKEN</c>
/// (and <c>KG_TEST_ICEBERG_WAREHOUSE</c>) beside it. Read-only: every namespace listed, the first table found described.
/// </summary>
public sealed class IcebergLiveTests
{
    [SkippableFact]
    public async Task A_live_catalog_lists_and_describes_read_only()
    {
        var url = Environment.GetEnvironmentVariable("KG_TEST_ICEBERG_URL");
        Skip.If(string.IsNullOrEmpty(url), "set KG_TEST_ICEBERG_URL (and KG_TEST_ICEBERG_TOKEN) to an Iceberg REST catalog to run this against it");
        var connectionString = url;
        if (Environment.GetEnvironmentVariable("KG_TEST_ICEBERG_WAREHOUSE") is { Length: > 0 } warehouse) connectionString += ";Warehouse=" + Uri.EscapeDataString(warehouse);
        if (Environment.GetEnvironmentVariable("KG_TEST_ICEBERG_TOKEN") is { Length: > 0 } token) connectionString += ";Token=" + Uri.EscapeDataString(token);
        using var client = new IcebergRestClient(IcebergOptions.Parse(connectionString));
        var provider = new IcebergMetastoreProvider("live", () => client);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var catalog = Assert.Single(await provider.ListCatalogsAsync(cancel.Token));
        var schemas = await provider.ListSchemasAsync(catalog.Name, cancel.Token);
        Skip.If(schemas.Count == 0, "the live catalog has no namespaces");
        foreach (var schema in schemas)
        {
            if ((await provider.ListTablesAsync(catalog.Name, schema.Name, cancel.Token)).FirstOrDefault(t => t.Kind == MetastoreTableKind.Table) is not { } first) continue;
            var described = await provider.DescribeAsync(catalog.Name, schema.Name, first.Name, cancel.Token);
            Assert.NotNull(described);
            Assert.NotEmpty(described.Columns);
            Assert.Equal(described.Snapshots.OrderBy(s => s.Timestamp).Select(s => s.Id), described.Snapshots.Select(s => s.Id));
            return;
        }
        Skip.If(true, "the live catalog's namespaces hold no tables");
    }
}
