using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Tests;

namespace KernelGateway.Extensions.Sql.Tests;

/// <summary>The warehouse tour notebook, executed by a real Jupyter client (Debian's nbclient) and by <c>kernelgateway run</c>.</summary>
public sealed class TourNotebookTests
{
    private static string Tour => Path.Combine(TestEnvironment.RepositoryRoot, "notebooks", "warehouse-tour.ipynb");

    [Fact]
    public async Task Nbclient_executes_the_tour_without_errors()
    {
        var jupyter = TestEnvironment.TempDirectory("tour-jupyter");
        TestEnvironment.WriteKernelSpec(jupyter, ".net-csharp", Path.Combine(jupyter, "data"), new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "200000" });
        var output = Path.Combine(jupyter, "tour-out.ipynb");
        Assert.Equal(0, await TestEnvironment.ExecuteWithNbclientAsync(Tour, jupyter, output));
        var nb = JsonNode.Parse(File.ReadAllText(output))!;
        var outputs = nb["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").Select(c => c!["outputs"]!.AsArray()).ToList();
        var deviceTable = outputs[1].Single()!["data"]!;
        Assert.NotNull(deviceTable["application/vnd.dataresource+json"]);
        Assert.NotNull(deviceTable["text/html"]);
        var text = outputs[3].Single()!["text"]!; // nbformat writes multi-line strings as a list of lines
        Assert.Contains("titles on tv", text is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : text.GetValue<string>());
    }

    [Fact]
    public async Task The_runner_executes_the_tour_with_parameters()
    {
        var data = TestEnvironment.TempDirectory("tour-run");
        var output = Path.Combine(data, "out.ipynb");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost,
            [TestEnvironment.KernelGatewayDll, "run", Tour, "-o", output, "-p", "device", "mobile", "-p", "top", "3"],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = data, ["KG_WAREHOUSE_ROWS"] = "200000", ["JUPYTER_PATH"] = data }, timeout: TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("3 titles on mobile", File.ReadAllText(output));
    }
}
