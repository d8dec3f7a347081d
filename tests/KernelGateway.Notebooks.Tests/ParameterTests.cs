using System.Globalization;
using System.Numerics;
using System.Text.Json;
using KernelGateway.Notebooks.Parameters;
using KernelGateway.Tests;

namespace KernelGateway.Notebooks.Tests;

/// <summary>
/// Parameters as papermill types and injects them, checked where the languages can run here: Python (Debian's
/// python3), Bash, F# (<c>dotnet fsi</c>) read the translated values back and print them in one canonical JSON
/// form, compared with the values the test gave. PowerShell, R and Scala cannot run here: their text is compared
/// with literals written by hand from each language's syntax.
/// </summary>
public sealed class ParameterTests
{
    internal static readonly Dictionary<string, object?> Values = new()
    {
        ["text"] = "it's \"quoted\" \\ back\nline\ttab ünï 😀 \u0001 end $HOME `x`",
        ["nothing"] = null,
        ["yes"] = true,
        ["no"] = false,
        ["small"] = 42L,
        ["negative"] = -7L,
        ["wide"] = 9007199254740993L,
        ["huge"] = BigInteger.Pow(2, 70),
        ["ratio"] = 0.1,
        ["whole"] = 3.0,
        ["tiny"] = 1e-7,
        ["nan"] = double.NaN,
        ["up"] = double.PositiveInfinity,
        ["down"] = double.NegativeInfinity,
        ["items"] = new List<object?> { 1L, "two", null, new List<object?> { 2.5 } },
        ["settings"] = new Dictionary<string, object?> { ["k"] = "v", ["nested"] = new Dictionary<string, object?> { ["flag"] = true } },
    };

    /// <summary>The canonical form the readers print: null, {"bool"}, {"int": text}, {"float": text}, {"str"}, lists, {"map"}.</summary>
    internal static object? Canonical(object? v) => v switch
    {
        null => null,
        bool b => new Dictionary<string, object?> { ["bool"] = b },
        long or BigInteger => new Dictionary<string, object?> { ["int"] = Convert.ToString(v, CultureInfo.InvariantCulture) },
        double d => new Dictionary<string, object?> { ["float"] = FloatKey(d) },
        string s => new Dictionary<string, object?> { ["str"] = s },
        IReadOnlyDictionary<string, object?> m => new Dictionary<string, object?> { ["map"] = m.ToDictionary(p => p.Key, p => Canonical(p.Value)) },
        IReadOnlyList<object?> l => l.Select(Canonical).ToList(),
        _ => throw new ArgumentException(v.GetType().Name),
    };

    /// <summary>A float as every reader's text compares: nan, inf, -inf, else the round-trip value.</summary>
    internal static string FloatKey(double d) =>
        double.IsNaN(d) ? "nan" : double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reads a reader's printed JSON, normalising its float texts (Python's repr, .NET's R format) through double.</summary>
    internal static string Normalised(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(Normalise(doc.RootElement));
    }

    private static object? Normalise(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Array => e.EnumerateArray().Select(Normalise).ToList(),
        JsonValueKind.Object when e.TryGetProperty("float", out var f) => new Dictionary<string, object?> { ["float"] = FloatKey(ParseFloat(f.GetString()!)) },
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => Normalise(p.Value)),
        JsonValueKind.True or JsonValueKind.False => e.GetBoolean(),
        _ => e.GetString(),
    };

    private static double ParseFloat(string text) => text switch
    {
        "nan" or "NaN" => double.NaN,
        "inf" or "Infinity" or "∞" => double.PositiveInfinity,
        "-inf" or "-Infinity" or "-∞" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>Python that prints the named variables in the canonical form (see <see cref="Canonical"/>).</summary>
    internal static string PythonReader(IEnumerable<string> names) => $$$"""
        import json
        def canon(v):
            if v is None: return None
            if isinstance(v, bool): return {"bool": v}
            if isinstance(v, int): return {"int": str(v)}
            if isinstance(v, float): return {"float": repr(v)}
            if isinstance(v, str): return {"str": v}
            if isinstance(v, list): return [canon(x) for x in v]
            if isinstance(v, dict): return {"map": {k: canon(x) for k, x in v.items()}}
            return {"other": repr(v)}
        print(json.dumps({n: canon(globals()[n]) for n in {{{JsonSerializer.Serialize(names)}}}}))
        """;

    internal static string Expected(IEnumerable<string> names) =>
        JsonSerializer.Serialize(names.ToDictionary(n => n, n => Canonical(Values[n])));

    [Theory]
    [InlineData("True", true)]
    [InlineData("False", false)]
    [InlineData("true", "true")]
    [InlineData("12", 12L)]
    [InlineData("-3", -3L)]
    [InlineData("1_000", 1000L)]
    [InlineData("2.5", 2.5)]
    [InlineData("1e3", 1000.0)]
    [InlineData("0x10", "0x10")]
    [InlineData("Grace", "Grace")]
    [InlineData("", "")]
    public void Command_line_values_are_typed_as_papermill_types_them(string text, object expected) =>
        Assert.Equal(expected, ParameterValues.FromCommandLine(text));

    [Fact]
    public void Command_line_none_nan_infinities_and_huge_integers()
    {
        Assert.Null(ParameterValues.FromCommandLine("None"));
        Assert.True(double.IsNaN((double)ParameterValues.FromCommandLine("nan")!));
        Assert.Equal(double.NegativeInfinity, ParameterValues.FromCommandLine("-inf"));
        Assert.Equal(BigInteger.Pow(10, 30), ParameterValues.FromCommandLine("1" + new string('0', 30)));
    }

    [Fact]
    public void Yaml_is_typed_as_pyyaml_safe_load_types_it()
    {
        var p = YamlParameters.Parse("""
            a: yes
            b: "yes"
            c: 0x1F
            d: .nan
            e: -.inf
            f: ~
            g: 1.5e3
            h: [1, two, {k: null}]
            i: 123456789012345678901234
            j: '007'
            k: 007
            """);
        Assert.Equal(true, p["a"]);
        Assert.Equal("yes", p["b"]);
        Assert.Equal(31L, p["c"]);
        Assert.True(double.IsNaN((double)p["d"]!));
        Assert.Equal(double.NegativeInfinity, p["e"]);
        Assert.Null(p["f"]);
        Assert.Equal(1500.0, p["g"]);
        var h = Assert.IsType<List<object?>>(p["h"]);
        Assert.Equal([1L, "two"], h.Take(2));
        Assert.Null(Assert.IsType<Dictionary<string, object?>>(h[2])["k"]);
        Assert.Equal(BigInteger.Parse("123456789012345678901234", CultureInfo.InvariantCulture), p["i"]);
        Assert.Equal("007", p["j"]);
        Assert.Equal(7L, p["k"]);
        Assert.Contains("line 1", Assert.Throws<FormatException>(() => YamlParameters.Parse("- a\n- b", "p.yaml")).Message);
        Assert.Contains("not YAML", Assert.Throws<FormatException>(() => YamlParameters.Parse("a: [1, 2", "p.yaml")).Message);
    }

    [Fact]
    public async Task Python_reads_every_value_back()
    {
        var cell = ParameterTranslators.For("python").Cell(Values);
        var program = cell + "\n\n" + PythonReader(Values.Keys);
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python, ["-c", program]);
        Assert.True(exit == 0, stderr + "\n" + cell);
        Assert.Equal(Expected(Values.Keys), Normalised(stdout));
    }

    [Fact]
    public async Task Bash_reads_strings_numbers_arrays_and_associative_arrays_back_without_expanding_anything()
    {
        var scalars = new[] { "text", "nothing", "yes", "small", "wide", "huge", "ratio" };
        var cell = ParameterTranslators.For("bash").Cell(Values);
        var program = cell + "\n" + string.Concat(scalars.Select(n => $"printf '%s\\0' \"${n}\"\n"))
            + "printf '%s\\0' \"${#items[@]}\" \"${items[1]}\" \"${items[2]}\" \"${items[3]}\" \"${settings[k]}\" \"${settings[nested]}\"\n";
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync("/bin/bash", ["-c", program]);
        Assert.True(exit == 0, stderr + "\n" + cell);
        Assert.Equal(
            [(string)Values["text"]!, "", "true", "42", "9007199254740993", BigInteger.Pow(2, 70).ToString(CultureInfo.InvariantCulture), "0.1",
             "4", "two", "", "[2.5]", "v", "{\"flag\":true}"],
            stdout.Split('\0')[..^1]);
    }

    [Fact]
    public async Task Fsharp_interactive_reads_every_value_back()
    {
        var cell = ParameterTranslators.For("F#").Cell(Values);
        var names = string.Join("; ", Values.Keys.Select(k => $"(\"{k}\", box {k})"));
        var script = cell + "\n" + $$"""

            open System.Globalization
            let rec canon (v: obj) : obj =
                match v with
                | null -> null
                | :? bool as b -> box (dict [ "bool", box b ])
                | :? int | :? int64 | :? bigint -> box (dict [ "int", box (System.Convert.ToString(v, CultureInfo.InvariantCulture)) ])
                | :? float as d -> box (dict [ "float", box (d.ToString("R", CultureInfo.InvariantCulture)) ])
                | :? string as s -> box (dict [ "str", box s ])
                | :? System.Collections.Generic.IDictionary<string, obj> as m -> box (dict [ "map", box (dict [ for KeyValue(k, x) in m -> k, canon x ]) ])
                | :? System.Collections.IEnumerable as e -> box [ for x in e -> canon x ]
                | _ -> box (dict [ "other", box (string v) ])
            printfn "%s" (System.Text.Json.JsonSerializer.Serialize(dict [ for (n, v) in [ {{names}} ] -> n, canon v ]))
            """;
        var dir = TestEnvironment.TempDirectory("fsi");
        var file = Path.Combine(dir, "params.fsx");
        await File.WriteAllTextAsync(file, script);
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost, ["fsi", "--quiet", file], timeout: TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, stderr + "\n" + cell);
        Assert.Equal(Expected(Values.Keys), Normalised(stdout.Trim()));
    }

    [Fact]
    public void Powershell_r_and_scala_write_the_literals_their_syntax_needs()
    {
        var values = new Dictionary<string, object?>
        {
            ["s"] = "it's \"q\"\n\u2019", ["n"] = null, ["t"] = true, ["i"] = 42L, ["w"] = 9007199254740993L, ["x"] = 0.5, ["nan"] = double.NaN,
            ["inf"] = double.NegativeInfinity, ["l"] = new List<object?> { 1L, "a" }, ["m"] = new Dictionary<string, object?> { ["k"] = 2L },
        };
        Assert.Equal("""
            # Parameters
            $s = 'it''s "q"
            ’’'
            $n = $null
            $t = $true
            $i = 42
            $w = [long]9007199254740993
            $x = 0.5
            $nan = [double]::NaN
            $inf = [double]::NegativeInfinity
            $l = @(1, 'a')
            $m = [ordered]@{ 'k' = 2 }
            """.ReplaceLineEndings("\n"), ParameterTranslators.For("powershell").Cell(values));
        Assert.Equal("""
            # Parameters
            s = "it's \"q\"\n’"
            n = NULL
            t = TRUE
            i = 42L
            w = 9007199254740993
            x = 0.5
            nan = NaN
            inf = -Inf
            l = list(1L, "a")
            m = list("k" = 2L)
            """.ReplaceLineEndings("\n"), ParameterTranslators.For("R").Cell(values));
        Assert.Equal("""
            // Parameters
            val s = "it's \"q\"\n’"
            val n = None
            val t = true
            val i = 42
            val w = 9007199254740993L
            val x = 0.5
            val nan = Double.NaN
            val inf = Double.NegativeInfinity
            val l = Seq(1, "a")
            val m = Map("k" -> 2)
            """.ReplaceLineEndings("\n"), ParameterTranslators.For("scala").Cell(values));
    }

    [Fact]
    public void Names_a_language_cannot_take_are_refused_or_escaped()
    {
        Assert.Contains("keyword", Assert.Throws<ArgumentException>(() => ParameterTranslators.For("python").Cell(new Dictionary<string, object?> { ["class"] = 1L })).Message);
        Assert.Contains("not an identifier", Assert.Throws<ArgumentException>(() => ParameterTranslators.For("bash").Cell(new Dictionary<string, object?> { ["a-b"] = 1L })).Message);
        Assert.Equal("// Parameters\nvar @class = 1;", ParameterTranslators.For("C#").Cell(new Dictionary<string, object?> { ["class"] = 1L }));
        Assert.Contains("no parameter translator for the language 'cobol'", Assert.Throws<NotSupportedException>(() => ParameterTranslators.For("cobol")).Message);
    }
}
