using System.Globalization;
using System.Numerics;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>
/// Scala: <c>val name = value</c>, <c>None</c> for null (as papermill writes it), integers as <c>Int</c> when they
/// fit, else <c>123L</c>, beyond 64 bits <c>BigInt("...")</c>; <c>Double.NaN</c>, <c>Double.PositiveInfinity</c>;
/// strings with Java escapes; <c>Seq(...)</c>; <c>Map("k" -&gt; v)</c>. Reserved words as names in back quotes.
/// </summary>
internal sealed class ScalaParameters : ParameterTranslator
{
    private static readonly HashSet<string> Reserved =
    [
        "abstract", "case", "catch", "class", "def", "do", "else", "extends", "false", "final", "finally", "for", "forSome", "if", "implicit",
        "import", "lazy", "match", "new", "null", "object", "override", "package", "private", "protected", "return", "sealed", "super", "this",
        "throw", "trait", "try", "true", "type", "val", "var", "while", "with", "yield", "given", "then", "enum", "export",
    ];

    public override IReadOnlyList<string> Languages => ["scala"];

    public override string Assign(string name, object? value) => $"val {name} = {Literal(value)}";

    private protected override string CheckName(string name) => Reserved.Contains(base.CheckName(name)) ? $"`{name}`" : name;

    private protected override string Comment(string text) => "// " + text;

    private protected override string Null => "None";

    private protected override string Integer(long value) =>
        value is >= int.MinValue and <= int.MaxValue ? value.ToString(CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture) + "L";

    private protected override string BigInteger(BigInteger value) => $"BigInt(\"{value.ToString(CultureInfo.InvariantCulture)}\")";

    private protected override string NaN => "Double.NaN";

    private protected override string Infinity(bool negative) => negative ? "Double.NegativeInfinity" : "Double.PositiveInfinity";

    private protected override string String(string value) => "\"" + CStyleEscaped(value, Hex4) + "\"";

    private protected override string List(IReadOnlyList<object?> values) => "Seq(" + string.Join(", ", values.Select(Literal)) + ")";

    private protected override string Map(IReadOnlyDictionary<string, object?> values) => "Map(" + string.Join(", ", values.Select(p => $"{String(p.Key)} -> {Literal(p.Value)}")) + ")";
}
