using System.Globalization;
using System.Numerics;
using System.Text;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>
/// Writes parameter values as code of one language, as papermill's translators do: a comment line, then one
/// assignment per parameter. Each language says how to write null, booleans, integers (those beyond 64 bits too),
/// floats (NaN and infinities too), strings (every character escaped as the language needs), lists and mappings.
/// </summary>
public abstract class ParameterTranslator
{
    /// <summary>The kernel language names this translator serves (as <c>language_info.name</c> or the kernelspec's <c>language</c> spells them).</summary>
    public abstract IReadOnlyList<string> Languages { get; }

    /// <summary>The source of the injected-parameters cell.</summary>
    /// <exception cref="ArgumentException">A name is not an identifier of the language.</exception>
    public string Cell(IReadOnlyDictionary<string, object?> parameters)
    {
        var sb = new StringBuilder(Comment("Parameters"));
        foreach (var (name, value) in parameters) sb.Append('\n').Append(Assign(CheckName(name), value));
        return sb.ToString();
    }

    /// <summary>One assignment statement.</summary>
    public abstract string Assign(string name, object? value);

    /// <summary>A value as a literal (or expression) of the language.</summary>
    /// <exception cref="ArgumentException">The value is not one of <see cref="ParameterValues"/>' types.</exception>
    public string Literal(object? value) => value switch
    {
        null => Null,
        bool b => Bool(b),
        int i => Integer(i),
        long l => Integer(l),
        BigInteger big => big >= long.MinValue && big <= long.MaxValue ? Integer((long)big) : BigInteger(big),
        double d => double.IsNaN(d) ? NaN : double.IsPositiveInfinity(d) ? Infinity(negative: false) : double.IsNegativeInfinity(d) ? Infinity(negative: true) : Float(d),
        float f => Literal((double)f),
        decimal m => Float((double)m),
        string s => String(s),
        IReadOnlyDictionary<string, object?> map => Map(map),
        IReadOnlyList<object?> list => List(list),
        _ => throw new ArgumentException($"a parameter value cannot be a {value.GetType().Name}"),
    };

    private protected abstract string Comment(string text);

    private protected abstract string Null { get; }

    private protected virtual string Bool(bool value) => value ? "true" : "false";

    private protected virtual string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private protected abstract string BigInteger(BigInteger value);

    private protected abstract string NaN { get; }

    private protected abstract string Infinity(bool negative);

    /// <summary>A finite float: the shortest text that reads back as the same double, with a decimal point or exponent.</summary>
    private protected virtual string Float(double value) => FloatText(value);

    private protected abstract string String(string value);

    private protected abstract string List(IReadOnlyList<object?> values);

    private protected abstract string Map(IReadOnlyDictionary<string, object?> values);

    /// <summary>Checks a parameter name; the default accepts <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    private protected virtual string CheckName(string name) =>
        IsPlainIdentifier(name) ? name : throw new ArgumentException($"parameter name '{name}' is not an identifier (letters, digits and _, not starting with a digit)");

    private protected static bool IsPlainIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary><c>1.5</c>, <c>3.0</c>, <c>1e+16</c>, <c>1.2345678901234568e-07</c>: round-trip text, lower-case exponent, never a bare integer.</summary>
    private protected static string FloatText(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>Escapes for C-family double-quoted strings: backslash, quote, the named control characters, other controls as <c>\uXXXX</c>.</summary>
    private protected static string CStyleEscaped(string value, Func<int, string> control)
    {
        var sb = new StringBuilder(value.Length + 2);
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => control(c),
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    private protected static string Hex4(int c) => "\\u" + c.ToString("x4", CultureInfo.InvariantCulture);
}
