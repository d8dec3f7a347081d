using KernelGateway.Protocol;
using KernelGateway.Tests;
using KernelGateway.Tests.Fixtures;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary><c>%%sql</c> on a real PostgreSQL cluster, through a real kernel process.</summary>
public sealed class PostgresSqlMagicTests : IAsyncLifetime
{
    private PostgresServer _pg = null!;
    private KernelProcessHandle _kernel = null!;
    private KernelClient _client = null!;

    public async Task InitializeAsync()
    {
        _pg = await PostgresServer.StartAsync();
        (_kernel, _client) = await KernelProcessHandle.StartAsync(environment: new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000" });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _kernel.DisposeAsync();
        await _pg.DisposeAsync();
    }

    private Task<RequestOutcome> Run(string code) => _client.ExecuteAsync(code, cancellationToken: Soon());

    [Fact]
    public async Task Sql_cells_run_on_postgres_with_bound_parameters_errors_and_interrupt()
    {
        var connect = await Run($"%connect pg kind=postgres connection_string=\"{_pg.ConnectionString}\"");
        Assert.True(connect.Status == "ok", connect.Reply.Content.ToString());
        Assert.DoesNotContain(_pg.Password, connect.StreamText());

        Assert.Equal("ok", (await Run("%%sql pg\nCREATE TABLE plays (id int, device text); INSERT INTO plays VALUES (1, 'tv'), (2, 'web'), (3, 'tv')")).Status);
        await Run("var wanted = \"tv\";");
        var result = await Run("%%sql pg --out plays\nSELECT id, device FROM plays WHERE device = $wanted ORDER BY id");
        Assert.True(result.Status == "ok", result.Reply.Content.ToString());
        var rows = Assert.Single(result.OfType(MessageTypes.DisplayData)).Content.GetProperty("data").GetProperty("application/vnd.dataresource+json").GetProperty("data");
        Assert.Equal([1, 3], rows.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        var count = await Run("plays.Rows.Count");
        Assert.Equal("2", count.OfType(MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString());

        var bad = await Run("%%sql pg\nSELECT nope FROM plays");
        Assert.Equal("SqlError", bad.Reply.Content.GetProperty("ename").GetString());
        Assert.Contains("nope", bad.Reply.Content.GetProperty("evalue").GetString());
        Assert.Contains("(line 1, column 8 of the statement)", bad.Reply.Content.GetProperty("evalue").GetString());
        var traceback = bad.Reply.Content.GetProperty("traceback").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Contains("cell line 2: SELECT nope FROM plays", traceback);
        Assert.Equal("cell line 2: SELECT ".Length, traceback[traceback.IndexOf("cell line 2: SELECT nope FROM plays") + 1].IndexOf('^'));

        var running = await _client.StartExecuteAsync("%%sql pg\nSELECT pg_sleep(60)", Soon());
        await _client.InterruptAsync(Soon());
        var interrupted = await running;
        Assert.Equal("OperationCanceledException", interrupted.Reply.Content.GetProperty("ename").GetString());
        Assert.Equal("ok", (await Run("%%sql pg\nSELECT 1 AS one")).Status);
    }
}
