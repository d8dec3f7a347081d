using System.Globalization;
using System.Text.Json;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Results;

/// <summary>
/// Reads a nested value from DuckDB's <c>to_json</c> text into the form the Arrow columns take (see
/// <see cref="DuckValues"/>): arrays as lists, structs as field arrays, maps as key/value pairs (DuckDB writes map keys
/// as JSON object names, so keys are read back by their type). Binary values inside nested types are their text bytes.
/// </summary>
internal static class JsonValues
{
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    public static object? Parse(SparkType type, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Read(type, doc.RootElement);
    }

    private static object? Read(SparkType type, JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null) return null;
        return type.Kind switch
        {
            SparkKind.Array => e.EnumerateArray().Select(x => Read(type.Element!, x)).ToList(),
            SparkKind.Struct => type.Fields!.Select(f => e.TryGetProperty(f.Name, out var v) ? Read(f.Type, v) : null).ToArray(),
            SparkKind.Map => e.EnumerateObject().Select(p => new KeyValuePair<object, object?>(FromText(type.Key!, p.Name)!, Read(type.Value!, p.Value))).ToList(),
            _ => e.ValueKind == JsonValueKind.String ? FromText(type, e.GetString()!) : FromText(type, e.GetRawText()),
        };
    }

    /// <summary>A scalar written as text (a JSON string or a number's digits) as its column takes it.</summary>
    private static object? FromText(SparkType type, string text) => type.Kind switch
    {
        SparkKind.Boolean => bool.Parse(text),
        SparkKind.Byte => sbyte.Parse(text, CultureInfo.InvariantCulture),
        SparkKind.Short => short.Parse(text, CultureInfo.InvariantCulture),
        SparkKind.Integer => int.Parse(text, CultureInfo.InvariantCulture),
        SparkKind.Long => long.Parse(text, CultureInfo.InvariantCulture),
        SparkKind.Float => float.Parse(text, CultureInfo.InvariantCulture),
        SparkKind.Double => double.Parse(text, CultureInfo.InvariantCulture),
        SparkKind.Decimal => DuckValues.UnscaledText(text, type.Scale),
        SparkKind.Binary => System.Text.Encoding.UTF8.GetBytes(text),
        SparkKind.Date => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber - DateOnly.FromDateTime(Epoch).DayNumber,
        SparkKind.Timestamp => (DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcTicks - Epoch.Ticks) / 10,
        SparkKind.TimestampNtz => (DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None).Ticks - Epoch.Ticks) / 10,
        SparkKind.DayTimeInterval => IntervalText(text),
        SparkKind.Null => null,
        _ => text,
    };

    /// <summary>Microseconds of DuckDB's interval text (<c>2 days 03:04:05.5</c>, <c>1 day</c>, <c>-00:00:01</c>).</summary>
    private static long IntervalText(string text)
    {
        long micros = 0;
        foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Chunk(2))
        {
            if (part[0].Contains(':'))
            {
                var negative = part[0].StartsWith('-');
                var t = TimeSpan.Parse(part[0].TrimStart('-'), CultureInfo.InvariantCulture);
                micros += (negative ? -1 : 1) * t.Ticks / 10;
                if (part.Length > 1) micros += IntervalText(part[1]);
                continue;
            }
            var n = long.Parse(part[0], CultureInfo.InvariantCulture);
            micros += part.Length > 1 && part[1].StartsWith("day", StringComparison.Ordinal) ? n * 86_400_000_000L
                : throw new FormatException($"interval with a month or year part: {text}");
        }
        return micros;
    }
}
