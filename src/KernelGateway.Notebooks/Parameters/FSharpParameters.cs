using System.Globalization;
using System.Numerics;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>
/// F#: <c>let name = value</c> (null as <c>let name : obj = null</c>); integers as <c>int</c> when they fit, else
/// <c>123L</c>, beyond 64 bits <c>123I</c>; <c>nan</c>, <c>infinity</c>; lists <c>[ a; b ]</c> (values of mixed kinds
/// boxed); mappings <c>dict [ ("k", box v) ]</c>. Keywords as names are written <c>``name``</c>.
/// </summary>
internal sealed class FSharpParameters : ParameterTranslator
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "and", "as", "assert", "base", "begin", "class", "default", "delegate", "do", "done", "downcast", "downto", "elif", "else",
        "end", "exception", "extern", "false", "finally", "fixed", "for", "fun", "function", "global", "if", "in", "inherit", "inline",
        "interface", "internal", "lazy", "let", "match", "member", "module", "mutable", "namespace", "new", "not", "null", "of", "open", "or",
        "override", "private", "public", "rec", "return", "select", "sig", "static", "struct", "then", "to", "true", "try", "type", "upcast",
        "use", "val", "void", "when", "while", "with", "yield", "const",
    ];

    public override IReadOnlyList<string> Languages => ["F#", "fsharp"];

    public override string Assign(string name, object? value) => value is null ? $"let {name} : obj = null" : $"let {name} = {Literal(value)}";

    private protected override string CheckName(string name) => Keywords.Contains(base.CheckName(name)) ? $"``{name}``" : name;

    private protected override string Comment(string text) => "// " + text;

    private protected override string Null => "null";

    private protected override string Integer(long value) =>
        value is >= int.MinValue and <= int.MaxValue ? value.ToString(CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture) + "L";

    private protected override string BigInteger(BigInteger value) => value.ToString(CultureInfo.InvariantCulture) + "I";

    private protected override string NaN => "nan";

    private protected override string Infinity(bool negative) => negative ? "-infinity" : "infinity";

    private protected override string String(string value) => "\"" + CStyleEscaped(value, Hex4) + "\"";

    private protected override string List(IReadOnlyList<object?> values)
    {
        var mixed = values.Any(v => v is null) || values.Select(Kind).Distinct().Count() > 1;
        return "[ " + string.Join("; ", values.Select(v => mixed ? Boxed(v) : Literal(v))) + " ]";
    }

    private protected override string Map(IReadOnlyDictionary<string, object?> values) =>
        "dict [ " + string.Join("; ", values.Select(p => $"({String(p.Key)}, {Boxed(p.Value)})")) + " ]";

    private string Boxed(object? value) => value is null ? "null" : $"box ({Literal(value)})";

    /// <summary>Values F# can hold in one list without boxing: integers that fit an int, wider ones, floats, ...</summary>
    private static string Kind(object? value) => value switch
    {
        long l => l is >= int.MinValue and <= int.MaxValue ? "int" : "long",
        _ => value?.GetType().Name ?? "null",
    };
}
