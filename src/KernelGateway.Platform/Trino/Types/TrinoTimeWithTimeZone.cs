using System.Globalization;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// A Trino <c>time with time zone</c>: a time of day and the UTC offset it was taken in. Its text is Trino's,
/// the time then the offset with no space: <c>03:04:05.123+05:30</c> (trailing zero fractions left out).
/// </summary>
/// <param name="Time">The local time of day.</param>
/// <param name="Offset">The offset from UTC of that local time.</param>
public readonly record struct TrinoTimeWithTimeZone(TimeOnly Time, TimeSpan Offset)
{
    /// <summary>The same moment of the day in UTC (wrapping around midnight).</summary>
    public TimeOnly UtcTime => Time.Add(-Offset);

    /// <summary>Trino's text: <c>03:04:05.123+05:30</c>.</summary>
    public override string ToString() =>
        TrinoText.FormatTime(Time) + TrinoText.FormatOffset(Offset);

    /// <summary>Parses Trino's text (<c>03:04:05.123+05:30</c>), or Presto's (<c>03:04:05.123 +05:30</c>, <c>03:04:05.123 UTC</c>).</summary>
    /// <exception cref="FormatException">The text is not a time followed by an offset or zone.</exception>
    public static TrinoTimeWithTimeZone Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TrinoText.TryParseTimeWithTimeZone(System.Text.Encoding.UTF8.GetBytes(text), out var value)
            ? value
            : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a time with time zone (expected e.g. 03:04:05.123+05:30)"));
    }
}
