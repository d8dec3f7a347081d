using System.Buffers;
using System.Text.Json;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// JSON values of a page read straight into what an Arrow column stores, without a CLR object in between. Each
/// reader declines (returns false, reader untouched) what it does not read in place — null, a number sent as a
/// string, an escaped string, a date outside .NET's years — and the column then decodes the value the general way.
/// </summary>
internal static class ArrowJsonValues
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>Reads the value the reader is on into <paramref name="value"/>, or declines.</summary>
    public delegate bool Reader<T>(ref Utf8JsonReader reader, out T value);

    public static bool Int64(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
    }

    public static bool Int32(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
    }

    public static bool Int16(ref Utf8JsonReader reader, out short value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt16(out value);
    }

    public static bool SByte(ref Utf8JsonReader reader, out sbyte value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetSByte(out value);
    }

    public static bool Double(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
    }

    public static bool Single(ref Utf8JsonReader reader, out float value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetSingle(out value);
    }

    /// <summary>date32: days since 1970-01-01.</summary>
    public static bool EpochDay(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        if (!IsPlainString(ref reader) || TrinoText.ParseDate(reader.ValueSpan, out var date) != TextParse.Ok) return false;
        value = date.DayNumber - TrinoText.UnixEpochDayNumber;
        return true;
    }

    /// <summary>time64[us].</summary>
    public static bool Microseconds(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (!IsPlainString(ref reader) || !TrinoText.TryParseTime(reader.ValueSpan, out var time)) return false;
        value = time.Ticks / 10;
        return true;
    }

    /// <summary>time64[ns].</summary>
    public static bool Nanoseconds(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (!IsPlainString(ref reader) || !TrinoText.TryParseTime(reader.ValueSpan, out var time)) return false;
        value = time.Ticks * 100;
        return true;
    }

    /// <summary>timestamp[us] of a timestamp without zone: the wall clock's microseconds since 1970-01-01.</summary>
    public static bool EpochMicros(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (!IsPlainString(ref reader) || TrinoText.ParseTimestamp(reader.ValueSpan, out var timestamp) != TextParse.Ok) return false;
        value = (timestamp.Ticks - UnixEpochTicks) / 10;
        return true;
    }

    /// <summary>timestamp[us, UTC] of a timestamp with time zone: microseconds since 1970-01-01 UTC.</summary>
    public static bool EpochMicrosWithZone(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (!IsPlainString(ref reader) || TrinoText.ParseTimestampWithTimeZone(reader.ValueSpan, out var instant) != TextParse.Ok) return false;
        value = (instant.UtcTicks - UnixEpochTicks) / 10;
        return true;
    }

    /// <summary>A string token whose bytes are in one piece and unescaped: its value is <see cref="Utf8JsonReader.ValueSpan"/>.</summary>
    public static bool IsPlainString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped;

    /// <summary>Appends the unescaped UTF-8 of the string token the reader is on.</summary>
    public static void AppendString(ref Utf8JsonReader reader, ArrowBytes bytes)
    {
        if (IsPlainString(ref reader))
        {
            bytes.Append(reader.ValueSpan);
            return;
        }
        var length = checked((int)(reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length));
        var buffer = ArrayPool<byte>.Shared.Rent(length); // unescaping never lengthens
        try
        {
            bytes.Append(buffer.AsSpan(0, reader.CopyString(buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
