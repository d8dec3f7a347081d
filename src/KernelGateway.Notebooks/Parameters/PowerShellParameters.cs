using System.Globalization;
using System.Numerics;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>
/// PowerShell: <c>$name = value</c>, <c>$null</c>, <c>$true</c>; integers beyond 64 bits <c>[bigint]'...'</c>;
/// <c>[double]::NaN</c>, <c>[double]::PositiveInfinity</c>; strings single-quoted (nothing expands in them; a
/// quote is doubled); lists <c>@(a, b)</c>; mappings <c>[ordered]@{ 'k' = v }</c>.
/// </summary>
internal sealed class PowerShellParameters : ParameterTranslator
{
    public override IReadOnlyList<string> Languages => ["PowerShell", "pwsh"];

    public override string Assign(string name, object? value) => $"${name} = {Literal(value)}";

    private protected override string Comment(string text) => "# " + text;

    private protected override string Null => "$null";

    private protected override string Bool(bool value) => value ? "$true" : "$false";

    private protected override string Integer(long value) =>
        value is >= int.MinValue and <= int.MaxValue ? value.ToString(CultureInfo.InvariantCulture) : $"[long]{value.ToString(CultureInfo.InvariantCulture)}";

    private protected override string BigInteger(BigInteger value) => $"[bigint]'{value.ToString(CultureInfo.InvariantCulture)}'";

    private protected override string NaN => "[double]::NaN";

    private protected override string Infinity(bool negative) => negative ? "[double]::NegativeInfinity" : "[double]::PositiveInfinity";

    /// <summary>Single-quoted: PowerShell also ends such a string at the typographic quotes U+2018, U+2019, U+201A and U+201B, so they are doubled too.</summary>
    private protected override string String(string value)
    {
        var sb = new System.Text.StringBuilder("'");
        foreach (var c in value) sb.Append(c is '\'' or '\u2018' or '\u2019' or '\u201a' or '\u201b' ? new string(c, 2) : c.ToString());
        return sb.Append('\'').ToString();
    }

    private protected override string List(IReadOnlyList<object?> values) => "@(" + string.Join(", ", values.Select(v => v is IReadOnlyList<object?> and not IReadOnlyDictionary<string, object?> ? "," + Literal(v) : Literal(v))) + ")";

    private protected override string Map(IReadOnlyDictionary<string, object?> values) =>
        "[ordered]@{ " + string.Join("; ", values.Select(p => $"{String(p.Key)} = {Literal(p.Value)}")) + " }";
}
