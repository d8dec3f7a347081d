using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;
using KernelGateway.Tests;

namespace KernelGateway.Notebooks.Tests;

/// <summary><c>kernelgateway run --grid</c>: every combination run on python3 kernels, two at once, one output notebook each, a summary table.</summary>
public sealed class GridRunTests
{
    [Fact]
    public async Task A_grid_runs_every_combination_into_its_own_notebook_and_summarises_them()
    {
        var dir = TestEnvironment.TempDirectory("grid");
        var input = Path.Combine(dir, "template.ipynb");
        await File.WriteAllTextAsync(input, new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = "python3", ["display_name"] = "Python 3", ["language"] = "python" } },
            ["cells"] = new JsonArray(
                new JsonObject { ["id"] = "p", ["cell_type"] = "code", ["metadata"] = new JsonObject { ["tags"] = new JsonArray("parameters") }, ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = "alpha = 0\nlabel = ''\nscale = 1" },
                new JsonObject { ["id"] = "w", ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["execution_count"] = null, ["outputs"] = new JsonArray(),
                    ["source"] = "assert not (alpha == 2 and label == 'a'), 'bad combination'\nprint(alpha * scale, label)" }),
        }.ToJsonString());
        var grid = Path.Combine(dir, "grid.yaml");
        await File.WriteAllTextAsync(grid, "alpha: [1, 2]\nlabel: [a, b/c]\n");
        var data = TestEnvironment.TempDirectory("grid-data");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost,
            [TestEnvironment.KernelGatewayDll, "run", input, "--grid", grid, "--out", Path.Combine(dir, "runs", "{name}-{alpha}-{label}.ipynb"), "-j", "2", "-p", "scale", "10"],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = data }, timeout: TimeSpan.FromMinutes(3));
        Assert.Equal(1, exit);

        var expected = new[] { ("1", "a", true), ("1", "b_c", true), ("2", "a", false), ("2", "b_c", true) };
        foreach (var (alpha, label, ok) in expected)
        {
            var path = Path.Combine(dir, "runs", $"template-{alpha}-{label}.ipynb");
            var nb = NotebookDocument.Load(path);
            Assert.Equal(ok ? "succeeded" : "failed", nb.Root["metadata"]!["kernelgateway"]!["run"]!["status"]!.GetValue<string>());
            var parameters = nb.Root["metadata"]!["papermill"]!["parameters"]!;
            Assert.Equal((int.Parse(alpha, System.Globalization.CultureInfo.InvariantCulture), 10), (parameters["alpha"]!.GetValue<long>(), parameters["scale"]!.GetValue<long>()));
            if (ok) Assert.Contains($"{int.Parse(alpha, System.Globalization.CultureInfo.InvariantCulture) * 10} {label.Replace('_', '/')}", nb.ToJson());
        }
        var lines = stdout.Split('\n');
        Assert.Contains(lines, l => l.Contains('2') && l.Contains("'a'") && l.Contains("failed") && l.Contains("template-2-a.ipynb"));
        Assert.Equal(3, lines.Count(l => l.Contains("succeeded") && l.Contains(".ipynb")));
        Assert.Contains("3 of 4 runs succeeded", stdout);
        Assert.Contains("[3] ", stderr);
    }

    [Fact]
    public async Task A_template_that_gives_two_runs_one_path_is_refused_before_anything_runs()
    {
        var dir = TestEnvironment.TempDirectory("grid-clash");
        var grid = Path.Combine(dir, "grid.yaml");
        await File.WriteAllTextAsync(grid, "alpha: [1, 2]\n");
        var (exit, _, stderr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost,
            [TestEnvironment.KernelGatewayDll, "run", Path.Combine(TestEnvironment.RepositoryRoot, "notebooks", "hello-csharp.ipynb"), "--grid", grid, "--out", Path.Combine(dir, "same.ipynb")],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = TestEnvironment.TempDirectory("grid-clash-data") });
        Assert.Equal(2, exit);
        Assert.Contains("the same path", stderr);
        Assert.Empty(Directory.GetFiles(dir, "*.ipynb"));
    }
}
