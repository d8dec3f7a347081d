using System.Globalization;
using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;
using KernelGateway.Tests;

namespace KernelGateway.Notebooks.Tests;

/// <summary><c>kernelgateway run</c> end to end: a real kernel process, the sample notebook, nbformat validation by Python's nbformat.</summary>
public sealed class RunCommandTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args)
    {
        var data = TestEnvironment.TempDirectory("run-data");
        return await TestEnvironment.RunAsync(TestEnvironment.DotnetHost, [TestEnvironment.KernelGatewayDll, "run", .. args],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = data, ["JUPYTER_PATH"] = data }, timeout: TimeSpan.FromMinutes(3));
    }

    private static async Task AssertValidNotebook(string path)
    {
        var (exit, _, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python,
            ["-c", "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print(len(nb.cells))", path]);
        Assert.True(exit == 0, stderr);
    }

    [Fact]
    public async Task On_a_terminal_the_run_draws_a_progress_display_and_in_a_pipe_plain_lines()
    {
        var dir = TestEnvironment.TempDirectory("run-progress");
        var input = Path.Combine(dir, "three.ipynb");
        File.WriteAllText(input, new JsonObject
        {
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = "python3", ["display_name"] = "Python 3", ["language"] = "python" } },
            ["cells"] = new JsonArray(
                new JsonObject { ["id"] = "p", ["cell_type"] = "code", ["metadata"] = new JsonObject { ["tags"] = new JsonArray("parameters") }, ["source"] = "n = 1", ["outputs"] = new JsonArray(), ["execution_count"] = null },
                new JsonObject { ["id"] = "o", ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["source"] = "print(n * 2)", ["outputs"] = new JsonArray(), ["execution_count"] = null }),
        }.ToJsonString());

        // util-linux's script gives the command a pseudo-terminal: Spectre.Console's live display, cells done of the total.
        var tty = Path.Combine(dir, "tty.ipynb");
        var command = $"{TestEnvironment.DotnetHost} {TestEnvironment.KernelGatewayDll} run {input} -o {tty} -p n 21";
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync("script", ["-qec", command, "/dev/null"],
            new Dictionary<string, string> { ["TERM"] = "xterm", ["KG_DATA_DIR"] = dir }, timeout: TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("3/3 cells", stdout);
        Assert.Contains("100%", stdout);
        Assert.DoesNotContain("cell 1/3 running", stdout);
        Assert.Contains("42", string.Concat(NotebookDocument.Load(tty).Cells.OfType<JsonObject>().Select(c => c["outputs"]?.ToJsonString())));

        var piped = await Run(input, "-o", Path.Combine(dir, "piped.ipynb"), "-p", "n", "21");
        Assert.True(piped.Exit == 0, piped.Stdout + piped.Stderr);
        Assert.Contains("cell 1/3 running", piped.Stderr);
        Assert.DoesNotContain("100%", piped.Stderr);
    }

    [Fact]
    public async Task Runs_the_sample_notebook_with_parameters_into_a_new_valid_output_notebook()
    {
        var output = Path.Combine(TestEnvironment.TempDirectory("run"), "out.ipynb");
        var sample = Path.Combine(TestEnvironment.RepositoryRoot, "notebooks", "hello-csharp.ipynb");
        var (exit, stdout, stderr) = await Run(sample, "-o", output, "-p", "name", "Grace", "-p", "count", "4");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("succeeded", stdout);
        await AssertValidNotebook(output);

        var nb = NotebookDocument.Load(output);
        var cells = nb.Cells.OfType<JsonObject>().ToList();
        var injected = Assert.Single(cells, c => NotebookDocument.HasTag(c, "injected-parameters"));
        Assert.Equal(cells.FindIndex(c => NotebookDocument.HasTag(c, "parameters")) + 1, cells.IndexOf(injected));
        Assert.Contains("var name = \"Grace\";", NotebookDocument.Source(injected));
        var all = string.Join('\n', cells.Select(c => c["outputs"]?.ToJsonString() ?? ""));
        Assert.Contains("Hello, Grace!", all);
        Assert.Contains("line 4", all);
        Assert.Contains("done: 4 squares computed", all);   // update_display_data applied in place
        Assert.DoesNotContain("starting...", all);
        Assert.Equal("succeeded", nb.Root["metadata"]!["kernelgateway"]!["run"]!["status"]!.GetValue<string>());
        var ran = cells.Where(c => c["cell_type"]!.GetValue<string>() == "code" && NotebookDocument.Source(c).Trim().Length > 0).ToList();
        Assert.All(ran, c => Assert.NotNull(c["execution_count"]));

        // The run recorded as papermill records it: typed parameters, paths, times; each cell's status and kernel times.
        var papermill = nb.Root["metadata"]!["papermill"]!;
        Assert.Equal("""{"name":"Grace","count":4}""", papermill["parameters"]!.ToJsonString());
        Assert.Equal((sample, output), (papermill["input_path"]!.GetValue<string>(), papermill["output_path"]!.GetValue<string>()));
        Assert.Null(papermill["exception"]);
        Assert.True(papermill["duration"]!.GetValue<double>() > 0);
        Assert.True(DateTime.Parse(papermill["end_time"]!.GetValue<string>(), CultureInfo.InvariantCulture) >= DateTime.Parse(papermill["start_time"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.All(ran, c =>
        {
            Assert.Equal("completed", c["metadata"]!["papermill"]!["status"]!.GetValue<string>());
            Assert.False(c["metadata"]!["papermill"]!["exception"]!.GetValue<bool>());
            var times = c["metadata"]!["execution"]!.AsObject();
            Assert.Equal(["iopub.execute_input", "iopub.status.busy", "iopub.status.idle", "shell.execute_reply"], times.Select(t => t.Key).Order());
        });
    }

    [Fact]
    public async Task A_failing_cell_stops_the_run_marks_it_failed_and_still_writes_the_output()
    {
        var dir = TestEnvironment.TempDirectory("run-fail");
        var input = Path.Combine(dir, "fails.ipynb");
        File.WriteAllText(input, """
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": ".net-csharp", "display_name": "C#", "language": "C#"}},
             "cells": [
              {"id": "a", "cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": "Console.WriteLine(\"before\");"},
              {"id": "b", "cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": "throw new InvalidOperationException(\"no data for today\");"},
              {"id": "c", "cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": "Console.WriteLine(\"after\");"}
             ]}
            """);
        var output = Path.Combine(dir, "out.ipynb");
        var (exit, stdout, stderr) = await Run(input, "-o", output);
        Assert.Equal(1, exit);
        Assert.Contains("no data for today", stderr);
        await AssertValidNotebook(output);
        var nb = NotebookDocument.Load(output);
        Assert.Equal("failed", nb.Root["metadata"]!["kernelgateway"]!["run"]!["status"]!.GetValue<string>());
        var code = nb.Cells.OfType<JsonObject>().Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();
        var outputs = code.Select(c => c["outputs"]!.AsArray()).ToList();
        Assert.Equal("before\n", outputs[0][0]!["text"]!.GetValue<string>());
        Assert.Equal("error", outputs[1][0]!["output_type"]!.GetValue<string>());
        Assert.Empty(outputs[2]);
        Assert.Contains("FAILED", stdout);

        // As papermill marks a failure: cell statuses, the exception flag, a banner first linking to an anchor before the failing cell.
        Assert.Equal(["completed", "failed", "pending"], code.Select(c => c["metadata"]!["papermill"]!["status"]!.GetValue<string>()));
        Assert.True(nb.Root["metadata"]!["papermill"]!["exception"]!.GetValue<bool>());
        var cells = nb.Cells.OfType<JsonObject>().ToList();
        Assert.True(NotebookDocument.HasTag(cells[0], "papermill-error-cell-tag"));
        Assert.Contains($"<a href=\"#papermill-error-cell\">In [{code[1]["execution_count"]}]</a>", NotebookDocument.Source(cells[0]));
        var anchor = cells[cells.IndexOf(code[1]) - 1];
        Assert.True(NotebookDocument.HasTag(anchor, "papermill-error-cell-tag"));
        Assert.Contains("id=\"papermill-error-cell\"", NotebookDocument.Source(anchor));
    }

    [Fact]
    public async Task An_existing_output_file_is_never_overwritten()
    {
        var dir = TestEnvironment.TempDirectory("run-exists");
        var output = Path.Combine(dir, "out.ipynb");
        File.WriteAllText(output, "precious");
        var (exit, _, stderr) = await Run(Path.Combine(TestEnvironment.RepositoryRoot, "notebooks", "hello-csharp.ipynb"), "-o", output);
        Assert.Equal(2, exit);
        Assert.Contains("never overwritten", stderr);
        Assert.Equal("precious", File.ReadAllText(output));
    }

    [Fact]
    public async Task A_file_that_is_not_a_notebook_is_a_clear_error()
    {
        var dir = TestEnvironment.TempDirectory("run-bad");
        var input = Path.Combine(dir, "bad.ipynb");
        File.WriteAllText(input, "{\"nbformat\": 3, \"cells\": []}");
        var (exit, _, stderr) = await Run(input);
        Assert.Equal(2, exit);
        Assert.Contains("nbformat 4", stderr);
    }
}
