using System.Globalization;
using System.Numerics;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>
/// C#: <c>var name = value;</c> (null as <c>object? name = null;</c>); integers as <c>int</c> when they fit, else
/// <c>123L</c>, beyond 64 bits <c>BigInteger.Parse</c>; floats with a <c>d</c> suffix, <c>double.NaN</c>,
/// <c>double.PositiveInfinity</c>; strings as regular literals; lists of one kind as typed arrays, mixed ones as
/// <c>object?[]</c>; mappings as <c>Dictionary&lt;string, object?&gt;</c>. Keywords as names get <c>@</c>.
/// </summary>
internal sealed class CSharpParameters : ParameterTranslator
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue", "decimal", "default",
        "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto",
        "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out",
        "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc",
        "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    ];

    public override IReadOnlyList<string> Languages => ["C#", "csharp", "c#-interactive"];

    public override string Assign(string name, object? value) => value is null ? $"object? {name} = null;" : $"var {name} = {Literal(value)};";

    private protected override string CheckName(string name) => Keywords.Contains(base.CheckName(name)) ? "@" + name : name;

    private protected override string Comment(string text) => "// " + text;

    private protected override string Null => "null";

    private protected override string Integer(long value) =>
        value is >= int.MinValue and <= int.MaxValue ? value.ToString(CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture) + "L";

    private protected override string BigInteger(BigInteger value) => $"System.Numerics.BigInteger.Parse(\"{value.ToString(CultureInfo.InvariantCulture)}\")";

    private protected override string NaN => "double.NaN";

    private protected override string Infinity(bool negative) => negative ? "double.NegativeInfinity" : "double.PositiveInfinity";

    private protected override string Float(double value) => FloatText(value) + "d";

    private protected override string String(string value) => "\"" + CStyleEscaped(value, Hex4).Replace("\0", "\\0", StringComparison.Ordinal) + "\"";

    private protected override string List(IReadOnlyList<object?> values)
    {
        var items = string.Join(", ", values.Select(Item(values)));
        return ElementType(values) is { } type ? $"new {type}[] {{ {items} }}" : $"new object?[] {{ {items} }}";
    }

    /// <summary>In a typed long array, every integer is written as a long.</summary>
    private Func<object?, string> Item(IReadOnlyList<object?> values) =>
        ElementType(values) == "long" ? v => Convert.ToInt64(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L" : Literal;

    /// <summary>The element type of a list whose values are all of one simple kind, else null.</summary>
    private static string? ElementType(IReadOnlyList<object?> values)
    {
        if (values.Count == 0 || values.Any(v => v is null)) return null;
        if (values.All(v => v is string)) return "string";
        if (values.All(v => v is bool)) return "bool";
        if (values.All(v => v is long or int)) return values.All(v => Convert.ToInt64(v, CultureInfo.InvariantCulture) is >= int.MinValue and <= int.MaxValue) ? "int" : "long";
        if (values.All(v => v is double)) return "double";
        return null;
    }

    private protected override string Map(IReadOnlyDictionary<string, object?> values) =>
        values.Count == 0 ? "new Dictionary<string, object?>()"
            : "new Dictionary<string, object?> { " + string.Join(", ", values.Select(p => $"[{String(p.Key)}] = {Literal(p.Value)}")) + " }";
}
