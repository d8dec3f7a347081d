using System.Text.Json.Nodes;
using KernelGateway.Tests;

namespace KernelGateway.Notebooks.Tests;

/// <summary>The job templates of notebooks/, run as their introductions say: the audit as a grid over the warehouse's tables, the experiment as a grid over its coefficients, the failing check.</summary>
public sealed class TemplateNotebookTests
{
    private static string Notebook(string name) => Path.Combine(TestEnvironment.RepositoryRoot, "notebooks", name);

    private static async Task<(int Exit, string Stdout, string Stderr)> Cli(string data, params string[] args) =>
        await TestEnvironment.RunAsync(TestEnvironment.DotnetHost, [TestEnvironment.KernelGatewayDll, .. args],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = data, ["KG_WAREHOUSE_ROWS"] = "2000" }, timeout: TimeSpan.FromMinutes(4));

    private static async Task<JsonArray> SummaryAsync(string data, string pattern)
    {
        var (exit, json, stderr) = await Cli(data, "summarize", pattern, "--format", "json");
        Assert.True(exit == 0, stderr);
        return JsonNode.Parse(json)!.AsArray();
    }

    [Fact]
    public async Task The_audit_runs_once_per_table_and_its_summary_counts_rows_and_nulls()
    {
        var data = TestEnvironment.TempDirectory("audit-data");
        var runs = TestEnvironment.TempDirectory("audit-runs");
        var (exit, stdout, stderr) = await Cli(data, "run", Notebook("data-quality-audit.ipynb"), "--grid", Notebook("data-quality-audit.grid.yaml"),
            "--out", Path.Combine(runs, "audit-{table}.ipynb"), "-j", "3");
        Assert.True(exit == 0, stdout + stderr);
        var rows = await SummaryAsync(data, Path.Combine(runs, "audit-*.ipynb"));
        Assert.Equal(["members", "sessions", "titles"], rows.Select(r => r!["table"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.Equal("succeeded", r!["status"]!.GetValue<string>()));
        Assert.Equal(2000, rows.Single(r => r!["table"]!.GetValue<string>() == "sessions")!["rows"]!.GetValue<long>());
        Assert.All(rows, r => Assert.True(r!["columns"]!.GetValue<long>() > 1));
        Assert.All(rows, r => Assert.Equal(System.Text.Json.JsonValueKind.Object, JsonValueKind(r!["nulls_by_column"])));
    }

    private static System.Text.Json.JsonValueKind JsonValueKind(JsonNode? node) => node?.GetValueKind() ?? System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task The_experiment_grid_is_compared_by_its_glued_error()
    {
        var data = TestEnvironment.TempDirectory("experiment-data");
        var runs = TestEnvironment.TempDirectory("experiment-runs");
        var (exit, stdout, stderr) = await Cli(data, "run", Notebook("experiment.ipynb"), "--grid", Notebook("experiment.grid.yaml"),
            "--out", Path.Combine(runs, "experiment-{alpha}-{beta}.ipynb"), "-j", "3");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("6 of 6 runs succeeded", stdout);
        var rows = await SummaryAsync(data, Path.Combine(runs, "experiment-*.ipynb"));
        var best = rows.MinBy(r => r!["rmse"]!.GetValue<double>())!;
        Assert.Equal((2.0, 1.0), (best["alpha"]!.GetValue<double>(), best["beta"]!.GetValue<double>()));
    }

    [Fact]
    public async Task The_failing_check_fails_at_its_check_cell_with_a_banner()
    {
        var data = TestEnvironment.TempDirectory("failing-data");
        var output = Path.Combine(TestEnvironment.TempDirectory("failing-runs"), "failed.ipynb");
        var (exit, _, stderr) = await Cli(data, "run", Notebook("failing-check.ipynb"), "-o", output, "-p", "threshold", "0.5");
        Assert.Equal(1, exit);
        Assert.Contains("quality check failed: ratio 0.9 is above the threshold 0.5", stderr);
        var row = Assert.Single(await SummaryAsync(data, output));
        Assert.Equal(("failed", 4L, 0.9), (row!["status"]!.GetValue<string>(), row["failing_cell"]!.GetValue<long>(), row["ratio"]!.GetValue<double>()));
    }
}
