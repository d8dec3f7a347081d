using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Tests;

namespace KernelGateway.Notebooks.Tests;

/// <summary>
/// Scraps glued in C# cells, read back by Debian's nbformat and pandas as a scrapbook user reads them, and many runs'
/// parameters and scraps collected by <c>kernelgateway summarize</c>.
/// </summary>
public sealed class ScrapTests
{
    private static async Task<(int, string, string)> Cli(params string[] args) =>
        await TestEnvironment.RunAsync(TestEnvironment.DotnetHost, [TestEnvironment.KernelGatewayDll, .. args],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = TestEnvironment.TempDirectory("scrap-data") }, timeout: TimeSpan.FromMinutes(3));

    [Fact]
    public async Task Glued_values_and_tables_are_scrapbook_scraps_and_summarize_collects_them_across_runs()
    {
        var dir = TestEnvironment.TempDirectory("scraps");
        var input = Path.Combine(dir, "experiment.ipynb");
        await File.WriteAllTextAsync(input, new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["display_name"] = "C#", ["language"] = "C#" } },
            ["cells"] = new JsonArray(
                new JsonObject { ["id"] = "p", ["cell_type"] = "code", ["metadata"] = new JsonObject { ["tags"] = new JsonArray("parameters") }, ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = "var alpha = 0;" },
                new JsonObject { ["id"] = "g", ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = """
                    Glue("score", alpha * 1.5);
                    Glue("tags", new[] { "a", "b, \"c\"" });
                    Glue("meta", new Dictionary<string, object> { ["k"] = alpha }, display: true);
                    var frame = new Microsoft.Data.Analysis.DataFrame(
                        new Microsoft.Data.Analysis.Int32DataFrameColumn("n", new[] { 1, alpha }),
                        new Microsoft.Data.Analysis.StringDataFrameColumn("s", new[] { "x", "y" }));
                    Glue("table", frame);
                    """ },
                new JsonObject { ["id"] = "m", ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = "var answer = alpha * 21;\n%glue answer" }),
        }.ToJsonString());
        var grid = Path.Combine(dir, "grid.yaml");
        await File.WriteAllTextAsync(grid, "alpha: [1, 2]\n");
        var runs = Path.Combine(dir, "runs");
        var (exit, stdout, stderr) = await Cli("run", input, "--grid", grid, "--out", Path.Combine(runs, "{name}-{alpha}.ipynb"), "-j", "2");
        Assert.True(exit == 0, stdout + stderr);

        var (read, scraps, pyErr) = await TestEnvironment.RunAsync(TestEnvironment.Python, ["-c", """
            import io, json, sys, nbformat, pandas
            nb = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(nb)
            scraps, shown = {}, []
            for cell in nb.cells:
                for out in cell.get('outputs', []):
                    data = out.get('data', {})
                    if 'application/scrapbook.scrap.json+json' in data:
                        s = data['application/scrapbook.scrap.json+json']
                        assert out['metadata']['scrapbook'] == {'name': s['name'], 'data': True, 'display': False}
                        scraps[s['name']] = s['data']
                    elif out.get('metadata', {}).get('scrapbook', {}).get('display'):
                        shown.append(out['metadata']['scrapbook']['name'])
            table = pandas.read_json(io.StringIO(json.dumps(scraps['table'])), orient='table')
            print(json.dumps({'score': scraps['score'], 'tags': scraps['tags'], 'meta': scraps['meta'], 'answer': scraps['answer'], 'shown': shown,
                              'n': [int(v) for v in table['n']], 's': list(table['s'])}))
            """, Path.Combine(runs, "experiment-2.ipynb")]);
        Assert.True(read == 0, pyErr);
        Assert.Equal("""{"score": 3, "tags": ["a", "b, \"c\""], "meta": {"k": 2}, "answer": 42, "shown": ["meta"], "n": [1, 2], "s": ["x", "y"]}""", scraps.Trim());

        var (csvExit, csv, csvErr) = await Cli("summarize", Path.Combine(runs, "*.ipynb"), "--format", "csv");
        Assert.True(csvExit == 0, csvErr);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("path,status,duration_s,failing_cell,alpha,score,tags,meta,table,answer", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(",succeeded,", lines[1]);
        Assert.Contains(",,1,1.5,\"[\"\"a\"\",\"\"b, \\\"\"c\\\"\"\"\"]\",\"{\"\"k\"\":1}\",", lines[1]);

        var (jsonExit, json, jsonErr) = await Cli("summarize", Path.Combine(runs, "*.ipynb"), "--format", "json");
        Assert.True(jsonExit == 0, jsonErr);
        var rows = JsonNode.Parse(json)!.AsArray();
        Assert.Equal([1L, 2L], rows.Select(r => r!["alpha"]!.GetValue<long>()));
        Assert.Equal([1.5, 3.0], rows.Select(r => r!["score"]!.GetValue<double>()));
        Assert.All(rows, r => Assert.Null(r!["failing_cell"]));

        var (noneExit, _, noneErr) = await Cli("summarize", Path.Combine(dir, "nothing", "*.ipynb"));
        Assert.Equal(2, noneExit);
        Assert.Contains("no notebook matches", noneErr);
        // The same summary as a DataFrame in a C# cell.
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using (kernel)
        using (client)
        {
            var cell = await client.ExecuteAsync($"var runs = Jobs.Summarize(@\"{Path.Combine(runs, "*.ipynb")}\");\n$\"{{runs.Rows.Count}} {{runs[\"score\"][1]}} {{runs[\"status\"][0]}} {{runs.Columns[\"duration_s\"].DataType.Name}}\"",
                cancellationToken: KernelGateway.Tests.TestTime.Soon(120));
            Assert.True(cell.Status == "ok", cell.Reply.Content.ToString());
            var text = cell.OfType(KernelGateway.Protocol.MessageTypes.ExecuteResult).Single().Content.GetProperty("data").GetProperty("text/plain").GetString();
            Assert.Equal("2 3 succeeded Double", text);
        }
    }
}
