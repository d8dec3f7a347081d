using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary>
/// Name completion and inspection in <c>%%trino</c> and <c>%%presto</c> cells, from the metastore's Trino provider,
/// through the real kernel against the Trino protocol fixture (session catalog <c>tpch</c>, schema <c>tiny</c>).
/// </summary>
public sealed class TrinoCompletionTests(TrinoKernelFixture fixture) : IClassFixture<TrinoKernelFixture>
{
    private async Task Warm(params string[] cells)
    {
        foreach (var cell in cells)
        {
            var outcome = await fixture.Client.ExecuteAsync(cell, cancellationToken: Soon());
            Assert.True(outcome.Status == "ok", outcome.Reply.Content.ToString());
        }
    }

    private async Task<List<string>> Complete(string code, string cursorAfter)
    {
        var cursor = code.IndexOf(cursorAfter, StringComparison.Ordinal) + cursorAfter.Length;
        var reply = await fixture.Client.RequestAsync(KernelChannel.Shell,
            fixture.Client.CreateRequest(MessageTypes.CompleteRequest, new CompleteRequest(code, cursor), ProtocolJsonContext.Default.CompleteRequest), Soon());
        return reply.Content.GetProperty("matches").EnumerateArray().Select(m => m.GetString()!).ToList();
    }

    [Fact]
    public async Task Trino_cells_complete_tables_of_the_session_schema_catalogs_and_columns_of_an_alias()
    {
        await Warm("%metastore tables trino.tpch.tiny", "%metastore describe trino.tpch.tiny.nation", "%metastore schemas trino.tpch");
        Assert.Equal(["nation"], await Complete("%%trino\nSELECT * FROM na", "FROM na"));
        Assert.Contains("tpch", await Complete("%%trino\nSELECT * FROM ", "FROM "));
        Assert.Equal(["tiny"], await Complete("%%trino\nSELECT * FROM tpch.", "tpch."));
        Assert.Equal(["comment", "name", "nationkey", "regionkey"], (await Complete("%%trino\nSELECT n. FROM nation n", "n.")).Order().ToList());
        Assert.Equal(["regionkey"], await Complete("%%trino trino\nSELECT * FROM tpch.tiny.nation WHERE regi", "regi"));
    }

    [Fact]
    public async Task Presto_cells_complete_from_the_presto_connection_and_inspect_a_table()
    {
        await Warm("%metastore tables presto.tpch.tiny", "%metastore describe presto.tpch.tiny.region");
        Assert.Equal(["region"], await Complete("%%presto\nSELECT * FROM reg", "FROM reg"));
        const string Code = "%%presto\nSELECT * FROM region";
        var reply = await fixture.Client.RequestAsync(KernelChannel.Shell,
            fixture.Client.CreateRequest(MessageTypes.InspectRequest, new InspectRequest(Code, Code.Length - 2, 0), ProtocolJsonContext.Default.InspectRequest), Soon());
        Assert.True(reply.Content.GetProperty("found").GetBoolean(), reply.Content.ToString());
        var text = reply.Content.GetProperty("data").GetProperty("text/plain").GetString()!;
        Assert.Contains("presto.tpch.tiny.region (table)", text);
        Assert.Contains("regionkey", text);
    }
}
