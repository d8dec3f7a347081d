using System.Globalization;
using System.Numerics;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>
/// Bash: <c>name=value</c> with every value a single-quoted word (a quote written <c>'\''</c>), so nothing expands;
/// null as the empty string, booleans <c>true</c>/<c>false</c>, numbers as their text (<c>nan</c>, <c>inf</c>);
/// a list as an indexed array <c>name=('a' 'b')</c>, a mapping as an associative array
/// <c>declare -A name=(['k']='v')</c>; values nested inside those as their JSON text.
/// </summary>
internal sealed class BashParameters : ParameterTranslator
{
    public override IReadOnlyList<string> Languages => ["bash", "sh"];

    public override string Assign(string name, object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => $"declare -A {name}=(" + string.Join(" ", map.Select(p => $"[{String(p.Key)}]={Word(p.Value)}")) + ")",
        IReadOnlyList<object?> list => $"{name}=(" + string.Join(" ", list.Select(Word)) + ")",
        _ => $"{name}={Literal(value)}",
    };

    private protected override string Comment(string text) => "# " + text;

    private protected override string Null => "''";

    private protected override string BigInteger(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private protected override string NaN => "nan";

    private protected override string Infinity(bool negative) => negative ? "-inf" : "inf";

    private protected override string String(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private protected override string List(IReadOnlyList<object?> values) => String(Json(values));

    private protected override string Map(IReadOnlyDictionary<string, object?> values) => String(Json(values));

    /// <summary>An array element: a scalar as its text, a nested list or mapping as its JSON.</summary>
    private string Word(object? value) => value is IReadOnlyList<object?> or IReadOnlyDictionary<string, object?> ? String(Json(value)) : Literal(value);

    private static string Json(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => System.Text.Json.JsonSerializer.Serialize(s),
        double d when !double.IsFinite(d) => System.Text.Json.JsonSerializer.Serialize(d.ToString(CultureInfo.InvariantCulture)),
        double d => FloatText(d),
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(",", map.Select(p => $"{System.Text.Json.JsonSerializer.Serialize(p.Key)}:{Json(p.Value)}")) + "}",
        IReadOnlyList<object?> list => "[" + string.Join(",", list.Select(Json)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => System.Text.Json.JsonSerializer.Serialize(value.ToString()),
    };
}
