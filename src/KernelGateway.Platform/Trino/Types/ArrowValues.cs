using System.Buffers;
using System.Text;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Decoded values as Arrow stores them: days and microseconds since 1970-01-01, times of day in µs or ns, and the
/// UTF-8 text of values kept as text. A date or timestamp that came as text because it is outside .NET's years is
/// counted from its text, so Arrow keeps it exactly.
/// </summary>
internal static class ArrowValues
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>date32: days since 1970-01-01.</summary>
    public static int EpochDay(object value) => value switch
    {
        DateOnly date => date.DayNumber - TrinoText.UnixEpochDayNumber,
        DateTime dt => DateOnly.FromDateTime(dt).DayNumber - TrinoText.UnixEpochDayNumber,
        string text when TrinoText.TryParseEpochDay(Encoding.UTF8.GetBytes(text), out var day) => checked((int)day),
        _ => throw NotA("date", value),
    };

    /// <summary>time64[us]: microseconds since midnight.</summary>
    public static long Microseconds(object value) => value switch
    {
        TimeOnly time => time.Ticks / 10,
        TimeSpan span => span.Ticks / 10,
        _ => throw NotA("time", value),
    };

    /// <summary>time64[ns]: nanoseconds since midnight.</summary>
    public static long Nanoseconds(object value) => value switch
    {
        TimeOnly time => time.Ticks * 100,
        TimeSpan span => span.Ticks * 100,
        _ => throw NotA("time", value),
    };

    /// <summary>timestamp[us]: microseconds since 1970-01-01 (UTC for a timestamp with time zone, the wall clock for one without).</summary>
    public static long EpochMicros(object value, bool withZone) => value switch
    {
        DateTime dt => (dt.Ticks - UnixEpochTicks) / 10,
        DateTimeOffset dto => ((withZone ? dto.UtcTicks : dto.Ticks) - UnixEpochTicks) / 10,
        string text when TrinoText.TryParseEpochMicros(Encoding.UTF8.GetBytes(text), withZone, out var micros) => micros,
        _ => throw NotA("timestamp", value),
    };

    /// <summary>Appends the UTF-8 of a string, or of the Trino text of any other value.</summary>
    public static void AppendUtf8(object value, ArrowBytes bytes)
    {
        var text = value as string ?? TrinoValueText.Format(value);
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            bytes.Append(buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ArgumentException NotA(string what, object value) =>
        new($"a {value.GetType().Name} ('{value}') is not a {what} for an Arrow {what} column");
}
