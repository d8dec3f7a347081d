using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace KernelGateway.Platform.Trino;

/// <summary>The outcome of parsing a value's text when the CLR type has a narrower range than Trino's.</summary>
internal enum TextParse : byte
{
    /// <summary>Parsed into the CLR value.</summary>
    Ok,

    /// <summary>Well formed, but outside what the CLR type holds (a year beyond 1-9999, a huge interval): keep the text.</summary>
    OutOfRange,

    /// <summary>Not text of the type at all.</summary>
    Invalid,
}

/// <summary>
/// Trino's text forms of temporal values, parsed straight from UTF-8 and formatted back: dates
/// (<c>2024-01-02</c>, proleptic Gregorian, years may be signed or longer than four digits), times
/// (<c>03:04:05.123</c>), timestamps (<c>2024-01-02 03:04:05.123</c>), zones (<c>UTC</c>, <c>+05:30</c>, an IANA
/// id), and intervals (<c>3 04:05:06.789</c>, <c>1-2</c>). Nothing here allocates on the common paths.
/// </summary>
internal static class TrinoText
{
    /// <summary>The day number (<see cref="DateOnly.DayNumber"/>) of 1970-01-01.</summary>
    internal const int UnixEpochDayNumber = 719162;

    private const long DaysPer400Years = 146097;

    private static readonly long[] FractionScale = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    // ------------------------------------------------------------------ numbers

    /// <summary>A whole-text integer.</summary>
    internal static bool TryParseInt64(ReadOnlySpan<byte> s, out long value) =>
        Utf8Parser.TryParse(s, out value, out var used) && used == s.Length;

    /// <summary>A whole-text decimal number, keeping its scale (<c>1.50</c> stays 1.50).</summary>
    internal static bool TryParseDecimal(ReadOnlySpan<byte> s, out decimal value) =>
        Utf8Parser.TryParse(s, out value, out var used) && used == s.Length;

    /// <summary>A whole-text double, or Trino's <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    internal static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        if (s.SequenceEqual("NaN"u8)) value = double.NaN;
        else if (s.SequenceEqual("Infinity"u8)) value = double.PositiveInfinity;
        else if (s.SequenceEqual("-Infinity"u8)) value = double.NegativeInfinity;
        else return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        return true;
    }

    /// <summary>A whole-text float, or Trino's <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    internal static bool TryParseSingle(ReadOnlySpan<byte> s, out float value)
    {
        if (s.SequenceEqual("NaN"u8)) value = float.NaN;
        else if (s.SequenceEqual("Infinity"u8)) value = float.PositiveInfinity;
        else if (s.SequenceEqual("-Infinity"u8)) value = float.NegativeInfinity;
        else return float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        return true;
    }

    /// <summary>A whole-text boolean (<c>true</c>/<c>false</c>, any case, as the Java client accepts).</summary>
    internal static bool TryParseBoolean(ReadOnlySpan<byte> s, out bool value)
    {
        value = Ascii.EqualsIgnoreCase(s, "true"u8);
        return value || Ascii.EqualsIgnoreCase(s, "false"u8);
    }

    // ------------------------------------------------------------------ dates

    /// <summary>A date; <see cref="TextParse.OutOfRange"/> for a valid date outside years 1-9999.</summary>
    internal static TextParse ParseDate(ReadOnlySpan<byte> s, out DateOnly value)
    {
        value = default;
        if (!TryParseCivilDate(s, out var year, out var month, out var day, out var length) || length != s.Length) return TextParse.Invalid;
        if (year is < 1 or > 9999) return TextParse.OutOfRange;
        value = new DateOnly((int)year, month, day);
        return TextParse.Ok;
    }

    /// <summary>Days since 1970-01-01 of a date in any year Trino holds.</summary>
    internal static bool TryParseEpochDay(ReadOnlySpan<byte> s, out long epochDay)
    {
        epochDay = 0;
        if (!TryParseCivilDate(s, out var year, out var month, out var day, out var length) || length != s.Length) return false;
        epochDay = EpochDay(year, month, day);
        return true;
    }

    /// <summary>
    /// Days since 1970-01-01 of a proleptic Gregorian date: the calendar repeats every 400 years (146,097 days),
    /// so the year is moved into 2000-2399 by whole cycles and <see cref="DateOnly"/> counts the rest.
    /// </summary>
    internal static long EpochDay(long year, int month, int day)
    {
        var cycles = FloorDivide(year - 2000, 400);
        var inCycle = new DateOnly((int)(year - cycles * 400), month, day);
        return inCycle.DayNumber - UnixEpochDayNumber + cycles * DaysPer400Years;
    }

    private static long FloorDivide(long a, long b) => a >= 0 ? a / b : (a - b + 1) / b;

    /// <summary><c>[+-]yyyy[y...]-MM-dd</c> at the start of <paramref name="s"/>; validates the day of the month.</summary>
    private static bool TryParseCivilDate(ReadOnlySpan<byte> s, out long year, out int month, out int day, out int length)
    {
        year = 0;
        month = day = length = 0;
        var i = s.Length > 0 && (s[0] == '-' || s[0] == '+') ? 1 : 0;
        var start = i;
        for (; i < s.Length && IsDigit(s[i]); i++)
        {
            if (i - start == 12) return false;
            year = year * 10 + (s[i] - '0');
        }
        if (i - start < 4 || i + 6 > s.Length || s[i] != '-' || s[i + 3] != '-') return false;
        if (s[0] == '-') year = -year;
        if (!TryDigits(s.Slice(i + 1, 2), out month) || !TryDigits(s.Slice(i + 4, 2), out day)) return false;
        var yearInCycle = (int)(year - FloorDivide(year - 2000, 400) * 400);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(yearInCycle, month)) return false;
        length = i + 6;
        return true;
    }

    // ------------------------------------------------------------------ times

    /// <summary>A time of day with at most 100 ns precision (<c>HH:mm:ss[.fffffff]</c>).</summary>
    internal static bool TryParseTime(ReadOnlySpan<byte> s, out TimeOnly value)
    {
        value = default;
        if (!TryParseTimeOfDay(s, out var ticks, out var length) || length != s.Length) return false;
        value = new TimeOnly(ticks);
        return true;
    }

    /// <summary>
    /// <c>HH:mm:ss</c> and an optional fraction at the start of <paramref name="s"/>, in ticks. Digits past the
    /// seventh must be zeros: a finer value is not silently truncated.
    /// </summary>
    private static bool TryParseTimeOfDay(ReadOnlySpan<byte> s, out long ticks, out int length)
    {
        ticks = 0;
        length = 0;
        if (s.Length < 8 || s[2] != ':' || s[5] != ':') return false;
        if (!TryDigits(s[..2], out var hour) || !TryDigits(s.Slice(3, 2), out var minute) || !TryDigits(s.Slice(6, 2), out var second)) return false;
        if (hour > 23 || minute > 59 || second > 59) return false;
        var i = 8;
        long fraction = 0;
        if (i < s.Length && s[i] == '.')
        {
            var start = ++i;
            for (; i < s.Length && IsDigit(s[i]); i++)
            {
                var position = i - start;
                if (position < FractionScale.Length) fraction += (s[i] - '0') * FractionScale[position];
                else if (s[i] != '0') return false;
            }
            if (i == start) return false;
        }
        ticks = hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute + second * TimeSpan.TicksPerSecond + fraction;
        length = i;
        return true;
    }

    /// <summary>
    /// Trino's <c>03:04:05.123+05:30</c>, or Presto's <c>03:04:05.123 +05:30</c> / <c>03:04:05.123 America/New_York</c>
    /// (a zone id takes its offset on 1970-01-01, the day Presto computes such values on).
    /// </summary>
    internal static bool TryParseTimeWithTimeZone(ReadOnlySpan<byte> s, out TrinoTimeWithTimeZone value)
    {
        value = default;
        if (!TryParseTimeOfDay(s, out var ticks, out var length)) return false;
        var zone = s[length..];
        if (zone.Length > 0 && zone[0] == ' ') zone = zone[1..];
        if (!TryParseOffset(zone, out var offset))
        {
            if (FindZone(zone) is not { } info) return false;
            offset = info.GetUtcOffset(new DateTime(DateTime.UnixEpoch.Ticks + ticks, DateTimeKind.Unspecified));
        }
        value = new TrinoTimeWithTimeZone(new TimeOnly(ticks), offset);
        return true;
    }

    // ------------------------------------------------------------------ timestamps

    /// <summary>A timestamp without zone (<c>2024-01-02 03:04:05.123</c>), <see cref="DateTimeKind.Unspecified"/>.</summary>
    internal static TextParse ParseTimestamp(ReadOnlySpan<byte> s, out DateTime value)
    {
        value = default;
        if (!TryParseCivilTimestamp(s, out var year, out var month, out var day, out var ticks, out var length) || length != s.Length) return TextParse.Invalid;
        if (year is < 1 or > 9999) return TextParse.OutOfRange;
        value = new DateTime(new DateOnly((int)year, month, day).DayNumber * TimeSpan.TicksPerDay + ticks, DateTimeKind.Unspecified);
        return TextParse.Ok;
    }

    /// <summary>
    /// A timestamp with its zone after the last space: <c>UTC</c>, an offset, or a zone id resolved with
    /// <see cref="TimeZoneInfo"/> at that local time. An offset that is not whole minutes (old local mean times)
    /// gives the same instant in UTC, since <see cref="DateTimeOffset"/> only holds whole minutes (.NET's zone data
    /// on Linux already rounds such historical offsets to minutes, so an instant before about 1900 in such a zone
    /// may differ by seconds from the server's).
    /// </summary>
    internal static TextParse ParseTimestampWithTimeZone(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        var space = s.LastIndexOf((byte)' ');
        if (space < 0) return TextParse.Invalid;
        var zone = s[(space + 1)..];
        var parsed = ParseTimestamp(s[..space], out var local);
        if (parsed != TextParse.Ok) return parsed == TextParse.OutOfRange && IsZone(zone) ? TextParse.OutOfRange : TextParse.Invalid;
        if (!TryParseOffset(zone, out var offset))
        {
            if (FindZone(zone) is not { } info) return TextParse.Invalid;
            offset = OffsetAt(info, local);
        }
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks) return TextParse.OutOfRange;
        value = offset.Ticks % TimeSpan.TicksPerMinute == 0 && offset.Duration() <= TimeSpan.FromHours(14)
            ? new DateTimeOffset(local, offset)
            : new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return TextParse.Ok;
    }

    /// <summary>
    /// The offset of a zone at a local time; a time the clocks pass twice (the hour after daylight saving ends)
    /// takes the earlier instant's offset, as Java's <c>ZonedDateTime</c> and Python's <c>zoneinfo</c> do.
    /// </summary>
    private static TimeSpan OffsetAt(TimeZoneInfo zone, DateTime local) =>
        zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);

    /// <summary>
    /// Microseconds since 1970-01-01 UTC of a timestamp's text in any year Trino holds, with or without a zone;
    /// used for values outside <see cref="DateTime"/>'s years, where a zone id counts with its standard offset.
    /// </summary>
    internal static bool TryParseEpochMicros(ReadOnlySpan<byte> s, bool withZone, out long micros)
    {
        micros = 0;
        var zoneOffset = TimeSpan.Zero;
        if (withZone)
        {
            var space = s.LastIndexOf((byte)' ');
            if (space < 0) return false;
            var zone = s[(space + 1)..];
            if (!TryParseOffset(zone, out zoneOffset))
            {
                if (FindZone(zone) is not { } info) return false;
                zoneOffset = info.BaseUtcOffset;
            }
            s = s[..space];
        }
        if (!TryParseCivilTimestamp(s, out var year, out var month, out var day, out var ticks, out var length) || length != s.Length) return false;
        var total = (Int128)EpochDay(year, month, day) * 86_400_000_000L + (ticks - zoneOffset.Ticks) / 10;
        if (total < long.MinValue || total > long.MaxValue) return false; // beyond Trino's own range (±292,000 years)
        micros = (long)total;
        return true;
    }

    private static bool TryParseCivilTimestamp(ReadOnlySpan<byte> s, out long year, out int month, out int day, out long ticks, out int length)
    {
        ticks = 0;
        length = 0;
        if (!TryParseCivilDate(s, out year, out month, out day, out var dateLength) || dateLength + 1 >= s.Length || s[dateLength] != ' ') return false;
        if (!TryParseTimeOfDay(s[(dateLength + 1)..], out ticks, out var timeLength)) return false;
        length = dateLength + 1 + timeLength;
        return true;
    }

    // ------------------------------------------------------------------ zones

    private sealed record ZoneEntry(byte[] Id, TimeZoneInfo? Zone);

    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Zones = new(StringComparer.Ordinal);
    private static ZoneEntry? _lastZone; // a result page usually carries one zone: skip the dictionary then

    /// <summary><c>UTC</c>, <c>Z</c>, or <c>+HH:MM</c> / <c>-HH:MM</c>.</summary>
    private static bool TryParseOffset(ReadOnlySpan<byte> s, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (s.SequenceEqual("UTC"u8) || s.SequenceEqual("Z"u8)) return true;
        if (s.Length != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return false;
        if (!TryDigits(s.Slice(1, 2), out var hours) || !TryDigits(s.Slice(4, 2), out var minutes) || minutes > 59) return false;
        offset = new TimeSpan(hours, minutes, 0);
        if (s[0] == '-') offset = -offset;
        return true;
    }

    private static bool IsZone(ReadOnlySpan<byte> s) => TryParseOffset(s, out _) || FindZone(s) is not null;

    /// <summary>A zone by IANA (or Windows) id, cached; null when the system does not know it.</summary>
    private static TimeZoneInfo? FindZone(ReadOnlySpan<byte> id)
    {
        if (id.IsEmpty) return null;
        var last = _lastZone;
        if (last is not null && id.SequenceEqual(last.Id)) return last.Zone;
        var name = Encoding.UTF8.GetString(id);
        var zone = Zones.GetOrAdd(name, static n => TimeZoneInfo.TryFindSystemTimeZoneById(n, out var z) ? z : null);
        _lastZone = new ZoneEntry(id.ToArray(), zone);
        return zone;
    }

    // ------------------------------------------------------------------ intervals

    /// <summary><c>[-]D HH:mm:ss[.fff]</c>; <see cref="TextParse.OutOfRange"/> beyond <see cref="TimeSpan"/>'s ±10,675,199 days.</summary>
    internal static TextParse ParseDayToSecond(ReadOnlySpan<byte> s, out TimeSpan value)
    {
        value = default;
        var negative = s.Length > 0 && s[0] == '-';
        var i = negative ? 1 : 0;
        var start = i;
        long days = 0;
        for (; i < s.Length && IsDigit(s[i]); i++)
        {
            if (i - start == 18) return TextParse.Invalid;
            days = days * 10 + (s[i] - '0');
        }
        if (i == start || i >= s.Length || s[i] != ' ') return TextParse.Invalid;
        if (!TryParseTimeOfDay(s[(i + 1)..], out var ticks, out var length) || i + 1 + length != s.Length) return TextParse.Invalid;
        if (days > TimeSpan.MaxValue.Days) return TextParse.OutOfRange;
        var total = (Int128)days * TimeSpan.TicksPerDay + ticks;
        if (negative) total = -total;
        if (total > TimeSpan.MaxValue.Ticks || total < TimeSpan.MinValue.Ticks) return TextParse.OutOfRange;
        value = new TimeSpan((long)total);
        return TextParse.Ok;
    }

    /// <summary><c>[-]years-months</c> (months 0-11) into total months.</summary>
    internal static bool TryParseYearMonth(ReadOnlySpan<byte> s, out int months)
    {
        months = 0;
        var negative = s.Length > 0 && s[0] == '-';
        var body = negative ? s[1..] : s;
        var dash = body.IndexOf((byte)'-');
        if (dash <= 0 || dash > 10 || body.Length - dash - 1 is < 1 or > 2) return false;
        if (!TryParseInt64(body[..dash], out var years) || !TryDigits(body[(dash + 1)..], out var rest) || rest > 11 || years < 0) return false;
        var total = years * 12 + rest;
        if (negative) total = -total;
        if (total is < int.MinValue or > int.MaxValue) return false;
        months = (int)total;
        return true;
    }

    // ------------------------------------------------------------------ formatting

    /// <summary><c>HH:mm:ss</c> and the fraction without trailing zeros.</summary>
    internal static string FormatTime(TimeOnly time) =>
        time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> and the fraction without trailing zeros.</summary>
    internal static string FormatTimestamp(DateTime value) =>
        value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');

    /// <summary><c>+05:30</c>, <c>-08:00</c>, <c>+00:00</c>.</summary>
    internal static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    /// <summary>The magnitude of a day-to-second interval, <c>3 04:05:06.789</c> (fraction without trailing zeros).</summary>
    internal static string FormatDayToSecondMagnitude(TimeSpan value)
    {
        var ticks = value.Ticks;
        var magnitude = ticks < 0 ? (ulong)(-(ticks + 1)) + 1 : (ulong)ticks; // TimeSpan.MinValue too
        var days = magnitude / TimeSpan.TicksPerDay;
        var time = new TimeOnly((long)(magnitude % TimeSpan.TicksPerDay));
        return days.ToString(CultureInfo.InvariantCulture) + " " + FormatTime(time);
    }

    // ------------------------------------------------------------------ digits

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            if (!IsDigit(b)) return false;
            value = value * 10 + (b - '0');
        }
        return !s.IsEmpty;
    }
}
