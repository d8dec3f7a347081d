using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace KernelGateway.Tests.Fixtures.Trino.Types;

/// <summary>
/// Writes one value the way Trino encodes it in <c>data</c> (JsonDecodingUtils.java; python mapper.py): numbers
/// as JSON numbers except decimal (a string) and NaN/±Infinity (strings); varbinary as base64; datetime types as
/// text with exactly the type's precision; intervals as <c>1-2</c> / <c>3 04:05:06.789</c>; arrays as arrays,
/// maps as objects with text keys, rows as positional arrays. Values come from DuckDB.NET (typed) or, for the
/// DuckDB types that reader cannot hold exactly (TIMESTAMP_NS, TIME_NS, INTERVAL), as DuckDB's own text.
/// </summary>
internal sealed class TrinoValueWriter(TimeZoneInfo zone, string zoneName)
{
    public void Write(Utf8JsonWriter w, TrinoType type, object? value)
    {
        if (value is null or DBNull)
        {
            w.WriteNullValue();
            return;
        }
        switch (type.Base)
        {
            case "boolean": w.WriteBooleanValue((bool)value); break;
            case "tinyint" or "smallint" or "integer" or "bigint": w.WriteNumberValue(value is BigInteger big ? (long)big : Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case "real" or "double": WriteFloat(w, Convert.ToDouble(value, CultureInfo.InvariantCulture), type.Base == "real"); break;
            case "decimal": w.WriteStringValue(Decimal(value, (int)type.Numbers[1])); break;
            case "varbinary": w.WriteBase64StringValue(Bytes(value)); break;
            case "char": w.WriteStringValue(Text(value).PadRight(type.Precision)); break;
            case "date": w.WriteStringValue(value is DateOnly d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Text(value)); break;
            case "timestamp": w.WriteStringValue(Timestamp(value, type.Precision)); break;
            case "timestamp with time zone": w.WriteStringValue(ZonedTimestamp(value, type.Precision)); break;
            case "time": w.WriteStringValue(Time(value, type.Precision)); break;
            case "time with time zone": w.WriteStringValue(ZonedTime(value, type.Precision)); break;
            case "interval day to second": w.WriteStringValue(DaySecond(DuckInterval.From(value))); break;
            case "interval year to month": w.WriteStringValue(YearMonth(DuckInterval.From(value))); break;
            case "uuid": w.WriteStringValue(value is Guid g ? g.ToString("D") : Text(value)); break;
            case "array": WriteArray(w, type.Fields[0].Type, (IEnumerable)value); break;
            case "map": WriteMap(w, type, (IDictionary)value); break;
            case "row": WriteRow(w, type, value); break;
            default: w.WriteStringValue(Text(value)); break;
        }
    }

    private static void WriteFloat(Utf8JsonWriter w, double v, bool real)
    {
        if (double.IsNaN(v)) w.WriteStringValue("NaN");
        else if (double.IsPositiveInfinity(v)) w.WriteStringValue("Infinity");
        else if (double.IsNegativeInfinity(v)) w.WriteStringValue("-Infinity");
        else if (real) w.WriteNumberValue((float)v);
        else w.WriteNumberValue(v);
    }

    private static string Decimal(object value, int scale) => value switch
    {
        decimal m => m.ToString("F" + scale, CultureInfo.InvariantCulture),
        BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static byte[] Bytes(object value)
    {
        if (value is byte[] b) return b;
        using var ms = new MemoryStream();
        ((Stream)value).CopyTo(ms);
        return ms.ToArray();
    }

    private static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    /// <summary>".ddd" with exactly <paramref name="precision"/> digits (none for 0), from up to 9 digits of nanoseconds; digits past nanoseconds are 0.</summary>
    private static void Fraction(StringBuilder sb, long nanos, int precision)
    {
        if (precision == 0) return;
        var digits = nanos.ToString("D9", CultureInfo.InvariantCulture);
        sb.Append('.').Append(digits, 0, Math.Min(precision, 9));
        if (precision > 9) sb.Append('0', precision - 9);
    }

    private static long Nanos(string fraction) => fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(9, '0')[..9], CultureInfo.InvariantCulture);

    /// <summary>Splits DuckDB text "2024-01-02 03:04:05.123456789" or "03:04:05.1" into the whole seconds part and nanoseconds.</summary>
    private static (string Whole, long Nanos) SplitFraction(string text)
    {
        var dot = text.LastIndexOf('.');
        return dot < 0 ? (text, 0) : (text[..dot], Nanos(text[(dot + 1)..]));
    }

    private static string Timestamp(object value, int precision)
    {
        var sb = new StringBuilder(32);
        if (value is DateTime dt)
        {
            sb.Append(dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            Fraction(sb, dt.Ticks % TimeSpan.TicksPerSecond * 100, precision);
        }
        else
        {
            var (whole, nanos) = SplitFraction(Text(value));
            sb.Append(whole);
            Fraction(sb, nanos, precision);
        }
        return sb.ToString();
    }

    private string ZonedTimestamp(object value, int precision)
    {
        var utc = value is DateTimeOffset o ? o.UtcDateTime : DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        return Timestamp(local, precision) + " " + zoneName;
    }

    private static string Time(object value, int precision)
    {
        var sb = new StringBuilder(24);
        var ticks = value switch
        {
            TimeOnly t => t.Ticks,
            TimeSpan s => s.Ticks,
            DateTime dt => dt.TimeOfDay.Ticks,
            _ => -1,
        };
        if (ticks >= 0)
        {
            sb.Append(new TimeOnly(ticks).ToString("HH:mm:ss", CultureInfo.InvariantCulture));
            Fraction(sb, ticks % TimeSpan.TicksPerSecond * 100, precision);
        }
        else
        {
            var (whole, nanos) = SplitFraction(Text(value));
            sb.Append(whole);
            Fraction(sb, nanos, precision);
        }
        return sb.ToString();
    }

    private static string ZonedTime(object value, int precision)
    {
        if (value is DateTimeOffset o)
        {
            var offset = o.Offset;
            var sign = offset < TimeSpan.Zero ? '-' : '+';
            return Time(o.TimeOfDay, precision) + sign + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
        }
        var text = Text(value);
        var at = text.LastIndexOfAny(['+', '-']);
        var zonePart = text[at..];
        if (zonePart.Length == 3) zonePart += ":00";
        return Time(text[..at], precision) + zonePart;
    }

    private static string DaySecond(DuckInterval i)
    {
        var micros = i.Micros + (i.Days + i.Months * 30L) * 86_400_000_000L;
        var sign = micros < 0 ? "-" : "";
        micros = Math.Abs(micros);
        var days = micros / 86_400_000_000L;
        var rest = TimeSpan.FromTicks(micros % 86_400_000_000L * 10);
        return $"{sign}{days} {rest.Hours:D2}:{rest.Minutes:D2}:{rest.Seconds:D2}.{rest.Milliseconds:D3}";
    }

    private static string YearMonth(DuckInterval i)
    {
        var sign = i.Months < 0 ? "-" : "";
        var months = Math.Abs(i.Months);
        return $"{sign}{months / 12}-{months % 12}";
    }

    private void WriteArray(Utf8JsonWriter w, TrinoType element, IEnumerable values)
    {
        w.WriteStartArray();
        foreach (var v in values) Write(w, element, v);
        w.WriteEndArray();
    }

    private void WriteMap(Utf8JsonWriter w, TrinoType type, IDictionary values)
    {
        w.WriteStartObject();
        foreach (DictionaryEntry e in values)
        {
            w.WritePropertyName(KeyText(type.Fields[0].Type, e.Key));
            Write(w, type.Fields[1].Type, e.Value);
        }
        w.WriteEndObject();
    }

    private string KeyText(TrinoType keyType, object key)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var kw = new Utf8JsonWriter(buffer)) Write(kw, keyType, key);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.ValueKind == JsonValueKind.String ? doc.RootElement.GetString()! : doc.RootElement.GetRawText();
    }

    private void WriteRow(Utf8JsonWriter w, TrinoType type, object value)
    {
        w.WriteStartArray();
        var i = 0;
        foreach (var v in value is IDictionary<string, object?> d ? d.Values : (IEnumerable)value)
        {
            Write(w, type.Fields[Math.Min(i++, type.Fields.Count - 1)].Type, v);
        }
        w.WriteEndArray();
    }
}
