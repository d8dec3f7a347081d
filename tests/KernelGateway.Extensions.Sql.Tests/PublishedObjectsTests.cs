using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Tests;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary>
/// The objects an extension publishes (<c>Warehouse</c>, <c>Trino</c>) are declared by the chain's head, which a new
/// kernel compiles in the background from its start: before any cell has run they complete and inspect like
/// variables of an earlier cell, and the first cell uses them.
/// </summary>
public sealed class PublishedObjectsTests
{
    [Fact]
    public async Task A_new_kernel_completes_and_inspects_published_objects_before_any_cell_has_run()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync(environment: new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000" }, warm: false);
        await using var _ = kernel;
        using var __ = client;

        var code = "var n = Wareh";
        var complete = client.CreateRequest(MessageTypes.CompleteRequest, new CompleteRequest(code, code.Length), ProtocolJsonContext.Default.CompleteRequest);
        var completed = await client.RequestAsync(KernelChannel.Shell, complete, Soon());
        Assert.Equal("ok", completed.Content.GetProperty("status").GetString());
        Assert.Contains("Warehouse", completed.Content.GetProperty("matches").EnumerateArray().Select(m => m.GetString()));

        var inspect = client.CreateRequest(MessageTypes.InspectRequest, new InspectRequest("Warehouse", 4, 0), ProtocolJsonContext.Default.InspectRequest);
        var inspected = await client.RequestAsync(KernelChannel.Shell, inspect, Soon());
        Assert.True(inspected.Content.GetProperty("found").GetBoolean(), inspected.Content.ToString());
        Assert.Contains("WarehouseClient", inspected.Content.GetProperty("data").GetProperty("text/plain").GetString());

        var first = await client.ExecuteAsync("Warehouse.Connections.All.Any(c => c.Name == \"warehouse\")", cancellationToken: Soon());
        Assert.True(first.Status == "ok", first.Reply.Content.ToString());
        Assert.Equal("True", first.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());
    }
}
