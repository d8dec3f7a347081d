using System.Globalization;
using System.Numerics;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Results;

/// <summary>
/// Reads a DuckDB value into the form the Arrow columns take: the CLR primitive of the Spark type, a
/// <see cref="BigInteger"/> unscaled value for decimals, UTF-8 text as <see cref="string"/>, <see cref="byte"/>[] for
/// binary, days since the epoch (int) for dates, microseconds since the epoch (long) for timestamps and day-time
/// intervals; nested values arrive as JSON and are read by <see cref="JsonValues"/>.
/// </summary>
internal static class DuckValues
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly int EpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static Func<DuckDBDataReader, int, object?> Reader(DuckColumnType column) => column.Read switch
    {
        ReadAs.Json => (r, i) => r.IsDBNull(i) ? null : JsonValues.Parse(column.Type, r.GetString(i)),
        ReadAs.Interval => (r, i) => r.IsDBNull(i) ? null : IntervalMicros(r.GetFieldValue<DuckDBInterval>(i)),
        ReadAs.Text => (r, i) => r.IsDBNull(i) ? null : FromText(column.Type, r.GetString(i)),
        _ => Scalar(column.Type),
    };

    private static Func<DuckDBDataReader, int, object?> Scalar(SparkType type) => type.Kind switch
    {
        SparkKind.Integer => (r, i) => r.IsDBNull(i) ? null : Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture),
        SparkKind.Long => (r, i) => r.IsDBNull(i) ? null : ToLong(r.GetValue(i)),
        SparkKind.Double => (r, i) => r.IsDBNull(i) ? null : r.GetDouble(i),
        SparkKind.String => (r, i) => r.IsDBNull(i) ? null : r.GetString(i),
        _ => (r, i) => r.IsDBNull(i) ? null : Normalize(type, r.GetValue(i)),
    };

    /// <summary>A DuckDB.NET value as the Arrow column of <paramref name="type"/> takes it.</summary>
    public static object? Normalize(SparkType type, object? value) => value switch
    {
        null or DBNull => null,
        _ => type.Kind switch
        {
            SparkKind.Boolean => Convert.ToBoolean(value, CultureInfo.InvariantCulture),
            SparkKind.Byte => Convert.ToSByte(value, CultureInfo.InvariantCulture),
            SparkKind.Short => Convert.ToInt16(value, CultureInfo.InvariantCulture),
            SparkKind.Integer => Convert.ToInt32(value, CultureInfo.InvariantCulture),
            SparkKind.Long => ToLong(value),
            SparkKind.Float => Convert.ToSingle(value, CultureInfo.InvariantCulture),
            SparkKind.Double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            SparkKind.Decimal => Unscaled(value, type.Scale),
            SparkKind.String => Convert.ToString(value, CultureInfo.InvariantCulture),
            SparkKind.Binary => Bytes(value),
            SparkKind.Date => ((DateOnly)value).DayNumber - EpochDay,
            SparkKind.Timestamp or SparkKind.TimestampNtz => Micros(value),
            SparkKind.DayTimeInterval => value is TimeSpan t ? t.Ticks / 10 : IntervalMicros((DuckDBInterval)value),
            _ => null,
        },
    };

    /// <summary>Spark's bigint from any DuckDB integer; HUGEINT beyond bigint fails as Spark's overflowing sum does.</summary>
    private static long ToLong(object value)
    {
        if (value is not BigInteger big) return Convert.ToInt64(value, CultureInfo.InvariantCulture);
        if (big >= long.MinValue && big <= long.MaxValue) return (long)big;
        throw SparkError.Of("ARITHMETIC_OVERFLOW", JvmException.Arithmetic, new Dictionary<string, string>
        {
            ["message"] = "long overflow", ["alternative"] = " Use 'try_add' to tolerate overflow and return NULL instead.", ["config"] = "\"spark.sql.ansi.enabled\"",
        });
    }

    private static BigInteger Unscaled(object value, int scale) => value switch
    {
        decimal d => new BigInteger(decimal.Round(d * Pow10(scale))),
        BigInteger b => b * BigInteger.Pow(10, scale),
        _ => UnscaledText(Convert.ToString(value, CultureInfo.InvariantCulture)!, scale),
    };

    private static decimal Pow10(int scale)
    {
        var p = 1m;
        for (var i = 0; i < scale; i++) p *= 10m;
        return p;
    }

    /// <summary>The unscaled value of a decimal written as text (<c>-12.50</c> at scale 3 is -12500).</summary>
    public static BigInteger UnscaledText(string text, int scale)
    {
        text = text.Trim();
        if (text.Contains('e') || text.Contains('E'))
        {
            text = double.Parse(text, CultureInfo.InvariantCulture).ToString("F" + scale, CultureInfo.InvariantCulture);
        }
        var negative = text.StartsWith('-');
        var unsigned = text.TrimStart('-', '+');
        var dot = unsigned.IndexOf('.');
        var whole = dot < 0 ? unsigned : unsigned[..dot];
        var fraction = dot < 0 ? "" : unsigned[(dot + 1)..];
        fraction = fraction.Length >= scale ? fraction[..scale] : fraction.PadRight(scale, '0');
        var digits = (whole + fraction).TrimStart('0');
        var result = digits.Length == 0 ? BigInteger.Zero : BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        return negative ? -result : result;
    }

    private static object? FromText(SparkType type, string text) =>
        type.Kind == SparkKind.Decimal ? UnscaledText(text, type.Scale) : text;

    private static byte[] Bytes(object value)
    {
        switch (value)
        {
            case byte[] b:
                return b;
            case Stream s:
                using (var m = new MemoryStream())
                {
                    s.CopyTo(m);
                    return m.ToArray();
                }
            default:
                return System.Text.Encoding.UTF8.GetBytes(Convert.ToString(value, CultureInfo.InvariantCulture)!);
        }
    }

    private static long Micros(object value) => value switch
    {
        DateTime dt => (dt.Ticks - EpochTicks) / 10,
        DateTimeOffset dto => (dto.UtcTicks - EpochTicks) / 10,
        _ => throw new InvalidCastException($"not a timestamp: {value.GetType()}"),
    };

    /// <summary>Microseconds of a day-time interval; a month part has no day-time equivalent (DuckDB's single INTERVAL
    /// type holds both; Spark keeps year-month and day-time intervals apart).</summary>
    public static long IntervalMicros(DuckDBInterval interval)
    {
        if (interval.Months != 0)
        {
            throw SparkError.Internal("The fixture serves DuckDB INTERVAL as a day-time interval; this value has a month part: "
                + $"{interval.Months} months {interval.Days} days {interval.Micros} µs");
        }
        return interval.Days * 86_400_000_000L + (long)interval.Micros;
    }
}
