using System.Globalization;
using System.Numerics;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>
/// R: <c>name = value</c>, <c>NULL</c>, <c>TRUE</c>; integers that fit 32 bits as <c>123L</c>, wider ones as their digits, which R
/// reads as a double (R has no 64-bit integer: exact up to 2^53); <c>NaN</c>, <c>Inf</c>; strings double-quoted with escapes; lists and
/// mappings as <c>list(...)</c>, a mapping's names quoted. Names must be syntactic R names (a dot is allowed).
/// </summary>
internal sealed class RParameters : ParameterTranslator
{
    private static readonly HashSet<string> Reserved =
        ["if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "in"];

    public override IReadOnlyList<string> Languages => ["R"];

    public override string Assign(string name, object? value) => $"{name} = {Literal(value)}";

    private protected override string CheckName(string name)
    {
        var ok = name.Length > 0 && (char.IsAsciiLetter(name[0]) || (name[0] == '.' && (name.Length == 1 || !char.IsAsciiDigit(name[1]))))
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.') && !Reserved.Contains(name);
        return ok ? name : throw new ArgumentException($"parameter name '{name}' is not a syntactic R name");
    }

    private protected override string Comment(string text) => "# " + text;

    private protected override string Null => "NULL";

    private protected override string Bool(bool value) => value ? "TRUE" : "FALSE";

    private protected override string Integer(long value) =>
        value is >= -int.MaxValue and <= int.MaxValue ? value.ToString(CultureInfo.InvariantCulture) + "L" : value.ToString(CultureInfo.InvariantCulture);

    private protected override string BigInteger(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private protected override string NaN => "NaN";

    private protected override string Infinity(bool negative) => negative ? "-Inf" : "Inf";

    private protected override string String(string value) => "\"" + CStyleEscaped(value, c => "\\u{" + c.ToString("x4", CultureInfo.InvariantCulture) + "}") + "\"";

    private protected override string List(IReadOnlyList<object?> values) => "list(" + string.Join(", ", values.Select(Literal)) + ")";

    private protected override string Map(IReadOnlyDictionary<string, object?> values) => "list(" + string.Join(", ", values.Select(p => $"{String(p.Key)} = {Literal(p.Value)}")) + ")";
}
