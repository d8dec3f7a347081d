using System.Collections;
using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Writes a C# value as a Trino SQL literal, for binding parameters with <c>EXECUTE ... USING</c> (values are
/// never spliced into the user's SQL). A string becomes a quoted literal with its quotes doubled, the only escape
/// Trino's grammar has inside quotes, so no value can end the literal early: <c>'; drop table x; --</c> is the
/// string <c>'''; drop table x; --'</c>. Everything is culture-invariant.
/// </summary>
public static class TrinoLiterals
{
    private const int MaxDepth = 64;

    /// <summary>
    /// The literal of <paramref name="value"/>: <c>NULL</c>; <c>true</c>/<c>false</c>; integers typed by their
    /// range (<c>int</c> as is, <c>long</c> and <c>uint</c> as <c>BIGINT '...'</c>, <c>short</c> and <c>byte</c> as
    /// <c>SMALLINT '...'</c>, <c>sbyte</c> as <c>TINYINT '...'</c>; unsigned values beyond <see cref="long"/> and
    /// 128-bit or big integers as <c>DECIMAL '...'</c>); <c>REAL '1.5'</c> and <c>DOUBLE '1.5'</c> (shortest round-trip text;
    /// <c>nan()</c>, <c>infinity()</c>, <c>-infinity()</c>, cast to real for <see cref="float"/>);
    /// <c>DECIMAL '1.23'</c>; <c>'text'</c>; <c>X'0A0B'</c>; <c>DATE '2024-01-02'</c>;
    /// <c>TIMESTAMP '2024-01-02 03:04:05.1234567'</c> (trailing zero fractions left out; a <see cref="DateTime"/>
    /// of kind UTC gets <c> UTC</c>, a <see cref="DateTimeOffset"/> its offset); <c>TIME '03:04:05'</c> (and
    /// <c>TIME '03:04:05 +05:30'</c>); <c>INTERVAL '3 04:05:06.789' DAY TO SECOND</c>,
    /// <c>INTERVAL '1-2' YEAR TO MONTH</c> (negative ones as <c>INTERVAL -'...'</c>); <c>UUID '...'</c>;
    /// <c>IPADDRESS '...'</c>; an enum's name as a string; <c>ROW(...)</c> for a <see cref="TrinoRow"/>;
    /// <c>MAP(ARRAY[keys], ARRAY[values])</c> for a dictionary; <c>ARRAY[...]</c> for any other sequence.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The value (or one inside it) has no Trino literal (the message names its type), a string holds a NUL
    /// character or an unpaired surrogate, or values nest more than 64 deep.
    /// </exception>
    public static string Format(object? value)
    {
        var sql = new StringBuilder();
        Append(sql, value, 0);
        return sql.ToString();
    }

    private static void Append(StringBuilder sql, object? value, int depth)
    {
        if (depth > MaxDepth) throw new ArgumentException($"values nest more than {MaxDepth} deep (a collection that contains itself?)", nameof(value));
        switch (value)
        {
            case null or DBNull: sql.Append("NULL"); break;
            case bool b: sql.Append(b ? "true" : "false"); break;
            // Each integer type binds as the Trino type of its range, so a long parameter is a bigint as in C#.
            case int or ushort: sql.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture)); break;
            case sbyte: Typed(sql, "TINYINT", ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture)); break;
            case byte or short: Typed(sql, "SMALLINT", ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture)); break;
            case uint or long: Typed(sql, "BIGINT", ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture)); break;
            case ulong u: AppendInteger(sql, u); break;
            case Int128 i128: AppendInteger(sql, i128); break;
            case UInt128 u128: AppendInteger(sql, u128); break;
            case BigInteger big: AppendInteger(sql, big); break;
            case float f: AppendReal(sql, f); break;
            case double d: AppendDouble(sql, d); break;
            case decimal m: sql.Append("DECIMAL '").Append(m.ToString(CultureInfo.InvariantCulture)).Append('\''); break;
            case string s: AppendString(sql, s); break;
            case char c: AppendString(sql, c.ToString()); break;
            case Enum e: AppendString(sql, e.ToString()); break;
            case byte[] bytes: sql.Append("X'").Append(Convert.ToHexString(bytes)).Append('\''); break;
            default: AppendTyped(sql, value, depth); break;
        }
    }

    /// <summary>Temporal, interval and Trino-specific values, and collections.</summary>
    private static void AppendTyped(StringBuilder sql, object value, int depth)
    {
        switch (value)
        {
            case DateOnly date: Typed(sql, "DATE", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTime dt: Typed(sql, "TIMESTAMP", TrinoText.FormatTimestamp(dt) + (dt.Kind == DateTimeKind.Utc ? " UTC" : "")); break;
            case DateTimeOffset dto: Typed(sql, "TIMESTAMP", TrinoText.FormatTimestamp(dto.DateTime) + " " + TrinoText.FormatOffset(dto.Offset)); break;
            case TimeOnly time: Typed(sql, "TIME", TrinoText.FormatTime(time)); break;
            case TrinoTimeWithTimeZone tz: Typed(sql, "TIME", TrinoText.FormatTime(tz.Time) + " " + TrinoText.FormatOffset(tz.Offset)); break;
            case TimeSpan span: AppendInterval(sql, span < TimeSpan.Zero, TrinoText.FormatDayToSecondMagnitude(span), "DAY TO SECOND"); break;
            case TrinoYearMonthInterval ym: AppendInterval(sql, ym.TotalMonths < 0, YearMonthMagnitude(ym), "YEAR TO MONTH"); break;
            case Guid g: Typed(sql, "UUID", g.ToString("D")); break;
            case IPAddress ip: Typed(sql, "IPADDRESS", ip.ToString()); break;
            case TrinoRow row: AppendList(sql, "ROW(", row.Values, ")", depth); break;
            case IDictionary map: AppendMap(sql, map.Keys, map.Values, depth); break;
            case IEnumerable items when GenericPairs.TryGet(items, out var keys, out var values): AppendMap(sql, keys, values, depth); break;
            case IEnumerable items: AppendList(sql, "ARRAY[", items, "]", depth); break;
            default: throw new ArgumentException($"a {value.GetType()} has no Trino literal", nameof(value));
        }
    }

    /// <summary>An integer literal; <see cref="long.MinValue"/> typed (its magnitude is no bigint literal); wider ones as decimals.</summary>
    private static void AppendInteger(StringBuilder sql, BigInteger value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        if (value >= int.MinValue && value <= int.MaxValue) sql.Append(text);
        else if (value >= long.MinValue && value <= long.MaxValue) sql.Append("BIGINT '").Append(text).Append('\'');
        else if (text.TrimStart('-').Length <= 38) sql.Append("DECIMAL '").Append(text).Append('\'');
        else throw new ArgumentException($"the integer {text} has more than 38 digits, beyond Trino's decimal", nameof(value));
    }

    private static void AppendReal(StringBuilder sql, float f)
    {
        if (float.IsFinite(f)) sql.Append("REAL '").Append(f.ToString("R", CultureInfo.InvariantCulture)).Append('\'');
        else sql.Append("CAST(").Append(NonFinite(f)).Append(" AS REAL)");
    }

    private static void AppendDouble(StringBuilder sql, double d)
    {
        if (double.IsFinite(d)) sql.Append("DOUBLE '").Append(d.ToString("R", CultureInfo.InvariantCulture)).Append('\'');
        else sql.Append(NonFinite(d));
    }

    private static string NonFinite(double d) => double.IsNaN(d) ? "nan()" : d > 0 ? "infinity()" : "-infinity()";

    /// <summary>A quoted string: quotes doubled; NUL and unpaired surrogates refused (they cannot reach the server intact).</summary>
    private static void AppendString(StringBuilder sql, string s)
    {
        if (s.Contains('\0')) throw new ArgumentException("a string with a NUL character has no Trino literal", "value");
        if (!IsWellFormed(s)) throw new ArgumentException("a string with an unpaired surrogate is not valid Unicode and has no Trino literal", "value");
        sql.Append('\'').Append(s.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
    }

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsSurrogate(s[i])) continue;
            if (!char.IsHighSurrogate(s[i]) || i + 1 == s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
            i++;
        }
        return true;
    }

    private static void Typed(StringBuilder sql, string type, string text) => sql.Append(type).Append(" '").Append(text).Append('\'');

    /// <summary>Trino puts an interval's sign before the quoted magnitude: <c>INTERVAL -'3 04:05:06' DAY TO SECOND</c>.</summary>
    private static void AppendInterval(StringBuilder sql, bool negative, string magnitude, string fields) =>
        sql.Append("INTERVAL ").Append(negative ? "-'" : "'").Append(magnitude).Append("' ").Append(fields);

    private static string YearMonthMagnitude(TrinoYearMonthInterval interval)
    {
        var months = Math.Abs((long)interval.TotalMonths);
        return string.Create(CultureInfo.InvariantCulture, $"{months / 12}-{months % 12}");
    }

    private static void AppendList(StringBuilder sql, string open, IEnumerable items, string close, int depth)
    {
        sql.Append(open);
        var first = true;
        foreach (var item in items)
        {
            if (!first) sql.Append(", ");
            first = false;
            Append(sql, item, depth + 1);
        }
        sql.Append(close);
    }

    private static void AppendMap(StringBuilder sql, IEnumerable keys, IEnumerable values, int depth)
    {
        sql.Append("MAP(");
        AppendList(sql, "ARRAY[", keys, "]", depth);
        sql.Append(", ");
        AppendList(sql, "ARRAY[", values, "]", depth);
        sql.Append(')');
    }

    /// <summary>Keys and values of a dictionary known only by its generic interface (<c>IReadOnlyDictionary&lt;K, V&gt;</c>).</summary>
    private static class GenericPairs
    {
        public static bool TryGet(IEnumerable items, out IEnumerable keys, out IEnumerable values)
        {
            var dictionary = items.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType
                && (i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IDictionary<,>)));
            keys = values = Array.Empty<object>();
            if (dictionary is null) return false;
            keys = (IEnumerable)dictionary.GetProperty("Keys")!.GetValue(items)!;
            values = (IEnumerable)dictionary.GetProperty("Values")!.GetValue(items)!;
            return true;
        }
    }
}
