using KernelGateway.Protocol;
using KernelGateway.Tests;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary>A kernel started with bad connection entries beside good ones, as a new user writes them.</summary>
public sealed class ConnectionEntriesTests
{
    [Fact]
    public async Task A_bad_entry_never_stops_the_kernel_and_using_it_says_what_is_wrong()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync(environment: new Dictionary<string, string>
        {
            ["KG_WAREHOUSE_ROWS"] = "1000",
            ["KG_CONNECTIONS"] = """
                [ { "name": "legacy", "kind": "oracle", "connection_string": "Data Source=x" },
                  { "name": "lake", "kind": "trino", "connection_string": "trino://lake-host:8080" },
                  { "name": "nowhere", "kind": "postgres", "connection_string": "Host=127.0.0.1;Port=1;Username=x;Password=secret1;Timeout=3" },
                  { "name": "scratch", "kind": "duckdb", "connection_string": "DataSource=:memory:" } ]
                """,
        });
        await using var _ = kernel;
        using var __ = client;

        var list = await client.ExecuteAsync("%connect", cancellationToken: Soon());
        Assert.Equal("ok", list.Status);
        var text = list.StreamText();
        Assert.Contains("scratch (duckdb)", text);
        Assert.Contains("legacy from KG_CONNECTIONS (entry 1): connection 'legacy': unknown kind 'oracle'", text);
        Assert.Contains("lake from KG_CONNECTIONS (entry 2)", text);
        Assert.Contains("no user", text);
        Assert.DoesNotContain("secret1", text);

        var good = await client.ExecuteAsync("%%sql scratch\nSELECT 42 AS answer", cancellationToken: Soon());
        Assert.Equal("ok", good.Status);

        var bad = await client.ExecuteAsync("%%sql legacy\nSELECT 1", cancellationToken: Soon());
        Assert.Equal("error", bad.Status);
        Assert.Contains("connection 'legacy' cannot be used", bad.Reply.Content.GetProperty("evalue").GetString());
        Assert.Contains("unknown kind 'oracle'", bad.Reply.Content.GetProperty("evalue").GetString());

        var trino = await client.ExecuteAsync("%%trino\nSELECT 1", cancellationToken: Soon());
        Assert.Equal("error", trino.Status);
        Assert.Contains("no trino connection", trino.Reply.Content.GetProperty("evalue").GetString());
        Assert.Contains("lake", trino.Reply.Content.GetProperty("evalue").GetString());

        var unreachable = await client.ExecuteAsync("%%sql nowhere\nSELECT 1", cancellationToken: Soon());
        Assert.Equal("error", unreachable.Status);
        Assert.Equal("SqlError", unreachable.Reply.Content.GetProperty("ename").GetString());
        Assert.Contains("nowhere", string.Join("\n", unreachable.Reply.Content.GetProperty("traceback").EnumerateArray().Select(l => l.GetString())));
        Assert.DoesNotContain("secret1", unreachable.Reply.Content.ToString());

        var who = await client.ExecuteAsync("var mine = 1;\n%who", cancellationToken: Soon());
        Assert.Contains("mine", who.StreamText());
        Assert.DoesNotContain("Warehouse", who.StreamText());
        Assert.DoesNotContain("secret1", kernel.Stderr);
        Assert.False(kernel.Process.HasExited);
    }
}
