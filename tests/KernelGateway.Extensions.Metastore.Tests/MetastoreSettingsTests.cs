using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Tests;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Metastore.Tests;

/// <summary>The <c>KG_METASTORE_*</c> settings as a kernel reads them from its environment.</summary>
public sealed class MetastoreSettingsTests
{
    private static async Task<List<string>> TablesAsync(KernelGateway.Zmq.KernelClient client)
    {
        var outcome = await client.ExecuteAsync("%metastore tables warehouse.memory.main", cancellationToken: Soon());
        Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        var resource = outcome.OfType(MessageTypes.DisplayData).Select(m => m.Content.GetProperty("data"))
            .Single(d => d.TryGetProperty("application/vnd.dataresource+json", out _)).GetProperty("application/vnd.dataresource+json");
        return resource.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("table").GetString()!).ToList();
    }

    [Fact]
    public async Task A_time_to_live_of_zero_shows_a_new_table_without_a_refresh_and_a_bad_value_keeps_the_defaults_with_a_warning()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync(environment: new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000", ["KG_METASTORE_TTL"] = "0" });
        await using (kernel)
        using (client)
        {
            Assert.DoesNotContain("fresh_one", await TablesAsync(client));
            Assert.Equal("ok", (await client.ExecuteAsync("%%sql\nCREATE TABLE fresh_one (x INTEGER)", cancellationToken: Soon())).Status);
            Assert.Contains("fresh_one", await TablesAsync(client));
        }

        var (cached, cachedClient) = await KernelProcessHandle.StartAsync(environment: new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000", ["KG_METASTORE_TTL"] = "soon" });
        await using (cached)
        using (cachedClient)
        {
            Assert.DoesNotContain("fresh_two", await TablesAsync(cachedClient));
            Assert.Equal("ok", (await cachedClient.ExecuteAsync("%%sql\nCREATE TABLE fresh_two (x INTEGER)", cancellationToken: Soon())).Status);
            Assert.DoesNotContain("fresh_two", await TablesAsync(cachedClient)); // the default: cached for 5 minutes
            await cached.WaitForStderrAsync(s => s.Contains("KG_METASTORE_TTL=soon", StringComparison.Ordinal), Soon());
        }
    }
}
