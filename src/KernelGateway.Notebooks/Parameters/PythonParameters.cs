using System.Globalization;
using System.Numerics;
using System.Text;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>Python: <c>name = value</c>, <c>None</c>, <c>True</c>, <c>float('nan')</c>, <c>float('-inf')</c>, strings with every control character escaped, lists, dicts.</summary>
internal sealed class PythonParameters : ParameterTranslator
{
    private static readonly HashSet<string> Keywords =
    [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
        "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
        "while", "with", "yield",
    ];

    public override IReadOnlyList<string> Languages => ["python", "python3"];

    public override string Assign(string name, object? value) => $"{name} = {Literal(value)}";

    private protected override string CheckName(string name) =>
        Keywords.Contains(base.CheckName(name)) ? throw new ArgumentException($"parameter name '{name}' is a Python keyword") : name;

    private protected override string Comment(string text) => "# " + text;

    private protected override string Null => "None";

    private protected override string Bool(bool value) => value ? "True" : "False";

    private protected override string BigInteger(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private protected override string NaN => "float('nan')";

    private protected override string Infinity(bool negative) => negative ? "float('-inf')" : "float('inf')";

    private protected override string String(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var rune in value.EnumerateRunes())
        {
            var c = rune.Value;
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < 0x20 or 0x7f => "\\x" + c.ToString("x2", CultureInfo.InvariantCulture),
                _ when Rune.GetUnicodeCategory(rune) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Control or UnicodeCategory.Surrogate
                    => "\\u" + c.ToString("x4", CultureInfo.InvariantCulture),
                _ => rune.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    private protected override string List(IReadOnlyList<object?> values) => "[" + string.Join(", ", values.Select(Literal)) + "]";

    private protected override string Map(IReadOnlyDictionary<string, object?> values) => "{" + string.Join(", ", values.Select(p => $"{String(p.Key)}: {Literal(p.Value)}")) + "}";
}
