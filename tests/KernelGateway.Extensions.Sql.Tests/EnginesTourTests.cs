using System.Text.Json.Nodes;
using KernelGateway.Tests;
using KernelGateway.Tests.Fixtures.Spark.Connect;
using KernelGateway.Tests.Fixtures.Spark.Livy;
using KernelGateway.Tests.Fixtures.Trino;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary>The engines tour notebook, executed by Debian's nbclient and by <c>kernelgateway run</c> against the Trino, Spark Connect and Livy protocol servers.</summary>
public sealed class EnginesTourTests : IAsyncLifetime
{
    /// <summary>The tour's Scala cell; the Livy fixture runs no Scala, so the test gives its answer (what Spark prints for it).</summary>
    private const string ScalaCell = "spark.range(1000).selectExpr(\"sum(id)\").first.getLong(0)";

    private TrinoProtocolServer _trino = null!;
    private SparkConnectServer _spark = null!;
    private LivyServer _livy = null!;

    private static string Tour => Path.Combine(TestEnvironment.RepositoryRoot, "notebooks", "engines-tour.ipynb");

    private string Connections => $$"""
        [ { "name": "trino", "kind": "trino", "connection_string": "trino://analyst@127.0.0.1:{{_trino.BaseUri.Port}}/tpch/tiny" },
          { "name": "spark", "kind": "spark", "connection_string": "{{_spark.ConnectionString}};user_id=analyst" },
          { "name": "livy", "kind": "livy", "connection_string": "http://127.0.0.1:{{_livy.BaseUri.Port}}" } ]
        """;

    public async Task InitializeAsync()
    {
        _trino = await TrinoProtocolServer.StartAsync();
        _spark = await SparkConnectServer.StartAsync();
        _livy = await LivyServer.StartAsync(new LivyServerOptions { Csrf = true });
        _livy.Scripts.Reply(ScalaCell, LivyReply.Text("res0: Long = 499500\n"));
    }

    public async Task DisposeAsync()
    {
        await _trino.DisposeAsync();
        await _spark.DisposeAsync();
        await _livy.DisposeAsync();
    }

    [Fact]
    public async Task Nbclient_executes_the_tour_without_errors()
    {
        var jupyter = TestEnvironment.TempDirectory("engines-jupyter");
        TestEnvironment.WriteKernelSpec(jupyter, ".net-csharp", Path.Combine(jupyter, "data"), new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000", ["KG_CONNECTIONS"] = Connections });
        var output = Path.Combine(jupyter, "tour-out.ipynb");
        Assert.Equal(0, await TestEnvironment.ExecuteWithNbclientAsync(Tour, jupyter, output));
        var cells = JsonNode.Parse(File.ReadAllText(output))!["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").ToList();
        var byRegion = cells[1]!["outputs"]!.AsArray().Last()!["data"]!;
        Assert.Equal(5, byRegion["application/vnd.dataresource+json"]!["data"]!.AsArray().Count);
        Assert.Equal("5 nations in ASIA: CHINA, INDIA, INDONESIA, JAPAN, VIETNAM\n", Text(cells[3]!));
        Assert.Equal("AFRICA, AMERICA, EUROPE, MIDDLE EAST\n", Text(cells[4]!));
        Assert.Matches(@"FINISHED, 25 rows; the longest name is UNITED KINGDOM", cells[5]!["outputs"]!.AsArray().Last()!["data"]!["text/plain"]!.ToString());
        Assert.Contains(_trino.Queries, q => q.Sql.StartsWith("EXECUTE", StringComparison.Ordinal)); // @region went as a parameter
        var overTen = cells[6]!["outputs"]!.AsArray().Last()!["data"]!["application/vnd.dataresource+json"]!["data"]!.AsArray();
        Assert.Equal(["edsger", "ada"], overTen.Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal(10.0, _spark.Executions.First(e => e.Query?.Contains(":minimum", StringComparison.Ordinal) == true).NamedArguments["minimum"]);
        Assert.Equal("2 above 10; after ada: edsger, grace\n", Text(cells[7]!));
        Assert.Equal("res0: Long = 499500\n", Text(cells[8]!));
        Assert.Contains(_livy.Requests, r => r.Method == "DELETE" && r.Path.StartsWith("/sessions/", StringComparison.Ordinal)); // deleted at shutdown
    }

    [Fact]
    public async Task The_runner_executes_the_tour_with_parameters()
    {
        var data = TestEnvironment.TempDirectory("engines-run");
        var output = Path.Combine(data, "out.ipynb");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost,
            [TestEnvironment.KernelGatewayDll, "run", Tour, "-o", output, "-p", "region", "EUROPE"],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = data, ["KG_WAREHOUSE_ROWS"] = "1000", ["JUPYTER_PATH"] = data, ["KG_CONNECTIONS"] = Connections },
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("5 nations in EUROPE: FRANCE, GERMANY, ROMANIA, RUSSIA, UNITED KINGDOM", File.ReadAllText(output));
    }

    private static string Text(JsonNode cell)
    {
        var stream = cell["outputs"]!.AsArray().First(o => o!["output_type"]!.GetValue<string>() == "stream")!["text"]!;
        return stream is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : stream.GetValue<string>();
    }
}
