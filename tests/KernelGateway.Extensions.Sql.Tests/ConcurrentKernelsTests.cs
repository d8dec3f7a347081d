using KernelGateway.Protocol;
using KernelGateway.Tests;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary>Two kernel processes on one data directory: one seeds, both query the warehouse at the same time.</summary>
public sealed class ConcurrentKernelsTests
{
    [Fact]
    public async Task Two_kernels_seed_once_and_query_the_warehouse_at_the_same_time()
    {
        var data = TestEnvironment.TempDirectory("two-kernels");
        var env = new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "300000" };
        var a = await KernelProcessHandle.StartAsync(dataDir: data, environment: env);
        var b = await KernelProcessHandle.StartAsync(dataDir: data, environment: env);
        await using var _ = a.Kernel;
        await using var __ = b.Kernel;
        using var ca = a.Client;
        using var cb = b.Client;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        const string query = "%%sql\nSELECT count(*) AS n, sum(seconds_watched) AS s FROM sessions";
        var results = await Task.WhenAll(ca.ExecuteAsync(query, cancellationToken: cts.Token), cb.ExecuteAsync(query, cancellationToken: cts.Token));
        foreach (var r in results)
        {
            Assert.True(r.Status == "ok", r.Reply.Content.ToString());
            var row = Assert.Single(r.OfType(MessageTypes.DisplayData)).Content.GetProperty("data").GetProperty("application/vnd.dataresource+json").GetProperty("data")[0];
            Assert.Equal(300_000, row.GetProperty("n").GetInt64());
        }
        var sums = results.Select(r => r.OfType(MessageTypes.DisplayData).Single().Content.GetProperty("data").GetProperty("application/vnd.dataresource+json").GetProperty("data")[0].GetProperty("s").GetRawText()).Distinct();
        Assert.Single(sums);
        Assert.Single(Directory.GetFiles(Path.Combine(data, "warehouse"), "seed.json"));
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "warehouse"), "*.tmp"));
    }
}
