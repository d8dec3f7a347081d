using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;
using KernelGateway.Tests;

namespace KernelGateway.Notebooks.Tests;

/// <summary>The notebook model: refused with the place and field when it breaks nbformat 4, kept whole through a run, upgraded to 4.5.</summary>
public sealed class NotebookModelTests
{
    private static string Nb(string cells, int minor = 5) =>
        $$"""{"nbformat": 4, "nbformat_minor": {{minor}}, "metadata": {}, "cells": [{{cells}}]}""";

    [Theory]
    [InlineData("""{"id": "a", "cell_type": "code", "metadata": {}, "source": "x", "execution_count": null}""", "cell 1 (id 'a'): 'outputs' must be an array")]
    [InlineData("""{"id": "a", "cell_type": "cod", "metadata": {}, "source": "x"}""", "cell 1 (id 'a'): 'cell_type' must be one of code, markdown, raw")]
    [InlineData("""{"id": "a", "cell_type": "markdown", "metadata": {}, "source": 3}""", "cell 1 (id 'a'): 'source' must be a string or a list of strings")]
    [InlineData("""{"cell_type": "markdown", "metadata": {}, "source": ""}""", "cell 1: 'id' is required from nbformat 4.5")]
    [InlineData("""{"id": "a b", "cell_type": "markdown", "metadata": {}, "source": ""}""", "cell 1 (id 'a b'): 'id' must be 1 to 64 letters, digits, '-' or '_'")]
    [InlineData("""{"id": "a", "cell_type": "raw", "metadata": {}, "source": ""}, {"id": "a", "cell_type": "raw", "metadata": {}, "source": ""}""", "cell 2 (id 'a'): 'id' repeats an earlier cell's id")]
    [InlineData("""{"id": "a", "cell_type": "code", "metadata": {}, "source": "", "execution_count": "1", "outputs": []}""", "cell 1 (id 'a'): 'execution_count' must be an integer or null")]
    [InlineData("""{"id": "a", "cell_type": "code", "metadata": {}, "source": "", "execution_count": 1, "outputs": [{"output_type": "stream", "name": "stdout"}]}""", "cell 1 (id 'a'), output 1: a stream's 'text' must be a string or a list of strings")]
    [InlineData("""{"id": "a", "cell_type": "code", "metadata": {}, "source": "", "execution_count": 1, "outputs": [{"output_type": "display"}]}""", "cell 1 (id 'a'), output 1: 'output_type' must be one of stream, display_data, execute_result, error")]
    [InlineData("""{"id": "a", "cell_type": "markdown", "metadata": {}, "source": "", "attachments": []}""", "cell 1 (id 'a'): 'attachments' must be an object")]
    public void A_notebook_that_breaks_the_schema_is_refused_naming_the_cell_and_field(string cells, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => NotebookDocument.Parse(Nb(cells), "t.ipynb"));
        Assert.Contains(problem, e.Message);
        Assert.StartsWith("t.ipynb: not a valid nbformat 4 notebook", e.Message);
    }

    [Fact]
    public async Task A_run_keeps_what_it_does_not_know_and_upgrades_a_4_4_notebook_to_4_5_with_ids()
    {
        var dir = TestEnvironment.TempDirectory("model");
        var input = Path.Combine(dir, "in.ipynb");
        var output = Path.Combine(dir, "out.ipynb");
        await File.WriteAllTextAsync(input, """
            {"nbformat": 4, "nbformat_minor": 4,
             "metadata": {"kernelspec": {"name": ".net-csharp", "display_name": "C#", "language": "C#"}, "team": {"owner": "ann", "tags": ["a"]}},
             "cells": [
              {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}}, "source": ["# Title\n", "![x](attachment:x.png)"],
               "attachments": {"x.png": {"image/png": "iVBORw0KGgo="}}},
              {"cell_type": "raw", "metadata": {"format": "text/restructuredtext"}, "source": ".. note:: kept"},
              {"cell_type": "code", "metadata": {"collapsed": true, "custom": {"n": 1}}, "execution_count": null, "outputs": [], "source": "Console.WriteLine(6 * 7);"}
             ]}
            """);
        var data = TestEnvironment.TempDirectory("model-data");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost, [TestEnvironment.KernelGatewayDll, "run", input, "-o", output],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = data }, timeout: TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, stdout + stderr);
        var (valid, ids, invalid) = await TestEnvironment.RunAsync(TestEnvironment.Python, ["-c", """
            import sys, nbformat
            nb = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(nb)
            print(nb.nbformat_minor, ' '.join(c.id for c in nb.cells))
            """, output]);
        Assert.True(valid == 0, invalid);
        var parts = ids.Trim().Split(' ');
        Assert.Equal("5", parts[0]);
        Assert.Equal(3, parts[1..].Distinct().Count());

        var nb = JsonNode.Parse(await File.ReadAllTextAsync(output))!;
        Assert.Equal("""{"owner":"ann","tags":["a"]}""", nb["metadata"]!["team"]!.ToJsonString());
        var cells = nb["cells"]!.AsArray();
        Assert.Equal("iVBORw0KGgo=", cells[0]!["attachments"]!["x.png"]!["image/png"]!.GetValue<string>());
        Assert.Equal("slide", cells[0]!["metadata"]!["slideshow"]!["slide_type"]!.GetValue<string>());
        Assert.Equal(("raw", ".. note:: kept", "text/restructuredtext"),
            (cells[1]!["cell_type"]!.GetValue<string>(), cells[1]!["source"]!.GetValue<string>(), cells[1]!["metadata"]!["format"]!.GetValue<string>()));
        Assert.Equal(("""{"n":1}""", true), (cells[2]!["metadata"]!["custom"]!.ToJsonString(), cells[2]!["metadata"]!["collapsed"]!.GetValue<bool>()));
        Assert.Equal("42\n", cells[2]!["outputs"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("id", cells[2]!.AsObject().First().Key);
    }
}
