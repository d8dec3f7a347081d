using System.Globalization;
using System.Numerics;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>
/// Parameter values as papermill types them. A value is one of: null, <see cref="bool"/>, <see cref="long"/>,
/// <see cref="BigInteger"/> (integers beyond 64 bits), <see cref="double"/> (NaN and infinities included),
/// <see cref="string"/>, a list (<see cref="IReadOnlyList{T}"/> of values) or a mapping
/// (<see cref="IReadOnlyDictionary{TKey, TValue}"/> from string keys to values, in order).
/// </summary>
public static class ParameterValues
{
    /// <summary>
    /// A <c>-p name value</c> value typed as papermill's command line types it: <c>True</c>/<c>False</c> → bool,
    /// <c>None</c> → null, what Python's <c>int()</c> reads → integer, what <c>float()</c> reads (<c>1e3</c>,
    /// <c>nan</c>, <c>-inf</c>) → float, anything else → the string as given.
    /// </summary>
    public static object? FromCommandLine(string text)
    {
        switch (text)
        {
            case "True": return true;
            case "False": return false;
            case "None": return null;
        }
        if (PythonInt(text) is { } integer) return integer;
        if (PythonFloat(text) is { } number) return number;
        return text;
    }

    /// <summary>What Python's <c>int(text)</c> reads: optional sign, decimal digits with single <c>_</c> between them, surrounding spaces.</summary>
    private static object? PythonInt(string text)
    {
        var t = text.Trim();
        var body = t.TrimStart('+', '-');
        if (t.Length - body.Length > 1 || body.Length == 0 || !char.IsAsciiDigit(body[0]) || !char.IsAsciiDigit(body[^1]) || body.Contains("__", StringComparison.Ordinal)) return null;
        if (body.Any(c => !char.IsAsciiDigit(c) && c != '_')) return null;
        var digits = (t[0] == '-' ? "-" : "") + body.Replace("_", "", StringComparison.Ordinal);
        return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? (object)l : BigInteger.Parse(digits, CultureInfo.InvariantCulture);
    }

    /// <summary>What Python's <c>float(text)</c> reads: decimal and exponent forms, <c>nan</c>, <c>inf</c>, <c>infinity</c> (any case, signed).</summary>
    private static double? PythonFloat(string text)
    {
        var t = text.Trim();
        var body = t.TrimStart('+', '-');
        if (t.Length - body.Length > 1 || body.Length == 0) return null;
        var negative = t[0] == '-';
        switch (body.ToLowerInvariant())
        {
            case "nan": return double.NaN;
            case "inf" or "infinity": return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }
        if (body.Any(c => !(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-' or '_')) || !body.Any(char.IsAsciiDigit)) return null;
        if (body.Contains("__", StringComparison.Ordinal) || body.StartsWith('_') || body.EndsWith('_')) return null;
        return double.TryParse(t.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    /// <summary>A value as a short display text (for logs and summaries): JSON-like.</summary>
    public static string Display(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => "'" + s + "'",
        double d => double.IsNaN(d) ? "nan" : double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : d.ToString("R", CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(", ", map.Select(p => $"'{p.Key}': {Display(p.Value)}")) + "}",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Display)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
