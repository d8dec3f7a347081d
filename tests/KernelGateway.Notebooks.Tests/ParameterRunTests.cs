using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;
using KernelGateway.Tests;

namespace KernelGateway.Notebooks.Tests;

/// <summary>
/// <c>kernelgateway run</c> with parameters from every source (-f YAML file, -y YAML text, -p typed, -r raw) on real
/// kernels — Debian's ipykernel and our C# kernel — each reading every value back; output notebooks validated by
/// Debian's nbformat.
/// </summary>
public sealed class ParameterRunTests
{
    private const string Yaml = """
        text: "it's \"quoted\" \\ back\nline\ttab ünï 😀 \x01 end $HOME `x`"
        nothing: null
        small: 42
        negative: -7
        wide: 9007199254740993
        huge: 1180591620717411303424
        ratio: 0.1
        whole: 3.0
        tiny: 1.0e-7
        nan: .nan
        up: .inf
        down: -.inf
        items: [1, two, null, [2.5]]
        settings: {k: v, nested: {flag: true}}
        """;

    private static string Notebook(string kernel, string language, string defaults, string reader) => new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = kernel, ["display_name"] = kernel, ["language"] = language } },
        ["cells"] = new JsonArray(
            new JsonObject { ["id"] = "p", ["cell_type"] = "code", ["metadata"] = new JsonObject { ["tags"] = new JsonArray("parameters") }, ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = defaults },
            new JsonObject { ["id"] = "r", ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = reader }),
    }.ToJsonString();

    private static async Task<NotebookDocument> RunAsync(string notebookJson)
    {
        var dir = TestEnvironment.TempDirectory("param-run");
        var input = Path.Combine(dir, "template.ipynb");
        var file = Path.Combine(dir, "params.yaml");
        var output = Path.Combine(dir, "out.ipynb");
        await File.WriteAllTextAsync(input, notebookJson);
        await File.WriteAllTextAsync(file, Yaml);
        var data = TestEnvironment.TempDirectory("param-run-data");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost,
            [TestEnvironment.KernelGatewayDll, "run", input, "-o", output, "-y", "small: 1\nraw: overridden", "-f", file, "-p", "yes", "True", "-p", "no", "False", "-r", "raw", "42"],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = data }, timeout: TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, stdout + stderr);
        var (valid, _, invalid) = await TestEnvironment.RunAsync(TestEnvironment.Python,
            ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", output]);
        Assert.True(valid == 0, invalid);
        return NotebookDocument.Load(output);
    }

    private static string Printed(NotebookDocument nb) =>
        nb.Cells.OfType<JsonObject>().Last()["outputs"]!.AsArray().OfType<JsonObject>().Single(o => o["output_type"]!.GetValue<string>() == "stream")["text"]!.GetValue<string>().Trim();

    private static string Expected()
    {
        var names = ParameterTests.Values.Keys.ToList();
        var expected = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(ParameterTests.Expected(names))!;
        var all = new Dictionary<string, object?>(expected.ToDictionary(p => p.Key, p => (object?)p.Value)) { ["raw"] = new Dictionary<string, object?> { ["str"] = "42" } };
        return System.Text.Json.JsonSerializer.Serialize(all);
    }

    private static IEnumerable<string> Names => [.. ParameterTests.Values.Keys, "raw"];

    [Fact]
    public async Task A_python_kernel_gets_every_value_type_from_every_source()
    {
        var reader = ParameterTests.PythonReader(Names);
        var nb = await RunAsync(Notebook("python3", "python", "text = 'default'\nsmall = 0", reader));
        Assert.Equal(Expected(), ParameterTests.Normalised(Printed(nb)));
        var injected = nb.Cells.OfType<JsonObject>().Single(c => NotebookDocument.HasTag(c, "injected-parameters"));
        Assert.Equal(1, nb.Cells.IndexOf(injected));
        Assert.StartsWith("# Parameters\n", NotebookDocument.Source(injected));
    }

    [Fact]
    public async Task The_csharp_kernel_gets_every_value_type_from_every_source()
    {
        var names = string.Join(", ", Names.Select(n => $"[\"{n}\"] = Canon({n})"));
        var reader = $$"""
            using System.Globalization;
            object? Canon(object? v) => v switch
            {
                null => null,
                bool b => new Dictionary<string, object?> { ["bool"] = b },
                int or long or System.Numerics.BigInteger => new Dictionary<string, object?> { ["int"] = Convert.ToString(v, CultureInfo.InvariantCulture) },
                double d => new Dictionary<string, object?> { ["float"] = d.ToString("R", CultureInfo.InvariantCulture) },
                string s => new Dictionary<string, object?> { ["str"] = s },
                System.Collections.IDictionary m => new Dictionary<string, object?> { ["map"] = m.Keys.Cast<object>().ToDictionary(k => (string)k, k => Canon(m[k])) },
                System.Collections.IEnumerable e => e.Cast<object?>().Select(Canon).ToList(),
                _ => new Dictionary<string, object?> { ["other"] = v.ToString() },
            };
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { {{names}} }));
            """;
        var nb = await RunAsync(Notebook(".net-csharp", "C#", "var text = \"default\";", reader));
        Assert.Equal(Expected(), ParameterTests.Normalised(Printed(nb)));
    }
}
