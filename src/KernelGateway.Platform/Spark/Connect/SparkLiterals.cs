using System.Collections;
using System.Globalization;
using Google.Protobuf;
using KernelGateway.Platform.Spark.Connect.Proto;
using Literal = KernelGateway.Platform.Spark.Connect.Proto.Expression.Types.Literal;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// C# values as Spark Connect literals (<c>Expression.Literal</c>), one literal kind per CLR type:
/// <list type="bullet">
/// <item>null → null (of Spark's NULL type); bool → boolean; sbyte → byte; byte and short → short; ushort and int →
/// integer; uint and long → long; ulong → decimal(20,0); float → float; double → double; decimal → decimal with
/// the value's own precision and scale; string, char and Guid → string; byte[] → binary;</item>
/// <item>DateOnly → date (days since 1970-01-01); DateTimeOffset → timestamp (µs since the epoch, UTC);
/// DateTime of kind Utc or Local → timestamp (the instant, Local converted to UTC); DateTime of kind Unspecified →
/// timestamp_ntz (a wall-clock time without time zone, as a <c>TIMESTAMP '...'</c> written in SQL: Spark reads it
/// in the session time zone where a zoned timestamp is needed); sub-microsecond ticks are dropped;</item>
/// <item>TimeSpan → day_time_interval (µs); arrays and other sequences → array (element type from the values);
/// dictionaries → map.</item>
/// </list>
/// </summary>
internal static class SparkLiterals
{
    private const int MaxDecimalPrecision = 38;
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>The literal of a value.</summary>
    /// <exception cref="ArgumentException">The value's type has no Spark literal, or a sequence mixes types.</exception>
    public static Literal From(object? value) => value switch
    {
        null or DBNull => new Literal { Null = new DataType { Null = new DataType.Types.NULL() } },
        bool b => new Literal { Boolean = b },
        sbyte v => new Literal { Byte = v },
        byte v => new Literal { Short = v },
        short v => new Literal { Short = v },
        ushort v => new Literal { Integer = v },
        int v => new Literal { Integer = v },
        uint v => new Literal { Long = v },
        long v => new Literal { Long = v },
        ulong v => new Literal { Decimal = new Literal.Types.Decimal { Value = v.ToString(CultureInfo.InvariantCulture), Precision = 20, Scale = 0 } },
        float v => new Literal { Float = v },
        double v => new Literal { Double = v },
        decimal v => Decimal(v),
        string s => new Literal { String = s },
        char c => new Literal { String = c.ToString() },
        Guid g => new Literal { String = g.ToString("D") },
        byte[] bytes => new Literal { Binary = ByteString.CopyFrom(bytes) },
        DateOnly d => new Literal { Date = d.DayNumber - EpochDayNumber },
        DateTimeOffset o => new Literal { Timestamp = Micros(o.UtcTicks) },
        DateTime { Kind: DateTimeKind.Unspecified } t => new Literal { TimestampNtz = Micros(t.Ticks) },
        DateTime t => new Literal { Timestamp = Micros(t.ToUniversalTime().Ticks) },
        TimeSpan span => new Literal { DayTimeInterval = span.Ticks / TimeSpan.TicksPerMicrosecond },
        IDictionary map => Map(map),
        IEnumerable sequence => Array(sequence),
        Enum e => throw new ArgumentException($"no Spark literal for the enum {e.GetType().Name}: pass its name or number"),
        _ => throw new ArgumentException($"no Spark literal for a value of type {value.GetType().Name}"),
    };

    /// <summary>The Spark type of a literal (decimal with its precision and scale, interval DAY TO SECOND).</summary>
    public static DataType TypeOf(Literal literal) => literal.LiteralTypeCase switch
    {
        Literal.LiteralTypeOneofCase.Null => literal.Null,
        Literal.LiteralTypeOneofCase.Boolean => new DataType { Boolean = new() },
        Literal.LiteralTypeOneofCase.Byte => new DataType { Byte = new() },
        Literal.LiteralTypeOneofCase.Short => new DataType { Short = new() },
        Literal.LiteralTypeOneofCase.Integer => new DataType { Integer = new() },
        Literal.LiteralTypeOneofCase.Long => new DataType { Long = new() },
        Literal.LiteralTypeOneofCase.Float => new DataType { Float = new() },
        Literal.LiteralTypeOneofCase.Double => new DataType { Double = new() },
        Literal.LiteralTypeOneofCase.Decimal => new DataType { Decimal = new() { Precision = literal.Decimal.Precision, Scale = literal.Decimal.Scale } },
        Literal.LiteralTypeOneofCase.String => new DataType { String = new() },
        Literal.LiteralTypeOneofCase.Binary => new DataType { Binary = new() },
        Literal.LiteralTypeOneofCase.Date => new DataType { Date = new() },
        Literal.LiteralTypeOneofCase.Timestamp => new DataType { Timestamp = new() },
        Literal.LiteralTypeOneofCase.TimestampNtz => new DataType { TimestampNtz = new() },
        Literal.LiteralTypeOneofCase.DayTimeInterval => new DataType { DayTimeInterval = new() { StartField = 0, EndField = 3 } },
        Literal.LiteralTypeOneofCase.Array => new DataType { Array = new() { ElementType = literal.Array.ElementType, ContainsNull = true } },
        Literal.LiteralTypeOneofCase.Map => new DataType { Map = new() { KeyType = literal.Map.KeyType, ValueType = literal.Map.ValueType, ValueContainsNull = true } },
        var other => throw new ArgumentException($"no Spark type for a {other} literal"),
    };

    /// <summary>A decimal with the precision and scale of its digits (<c>1.50</c> is decimal(3,2), <c>0.05</c> decimal(2,2)).</summary>
    private static Literal Decimal(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        var digits = text.Count(char.IsAsciiDigit) - text.TakeWhile(c => !char.IsAsciiDigit(c) || c == '0').Count(c => c == '0');
        int scale = value.Scale;
        return new Literal { Decimal = new Literal.Types.Decimal { Value = text, Precision = Math.Max(Math.Max(digits, scale), 1), Scale = scale } };
    }

    /// <summary>µs since the epoch, rounded toward negative infinity (a tick before the epoch is -1 µs, not 0).</summary>
    private static long Micros(long ticks)
    {
        var sinceEpoch = ticks - EpochTicks;
        var micros = sinceEpoch / TimeSpan.TicksPerMicrosecond;
        return sinceEpoch % TimeSpan.TicksPerMicrosecond < 0 ? micros - 1 : micros;
    }

    private static Literal Array(IEnumerable sequence)
    {
        var elements = sequence.Cast<object?>().Select(From).ToList();
        var array = new Literal.Types.Array { ElementType = ElementType(elements, sequence.GetType()) };
        array.Elements.AddRange(elements);
        return new Literal { Array = array };
    }

    private static Literal Map(IDictionary map)
    {
        var keys = new List<Literal>();
        var values = new List<Literal>();
        foreach (DictionaryEntry entry in map)
        {
            keys.Add(From(entry.Key));
            values.Add(From(entry.Value));
        }
        var literal = new Literal.Types.Map { KeyType = ElementType(keys, map.GetType()), ValueType = ElementType(values, map.GetType()) };
        literal.Keys.AddRange(keys);
        literal.Values.AddRange(values);
        return new Literal { Map = literal };
    }

    /// <summary>The one type of the non-null elements (decimals widened to hold them all); NULL when all are null.</summary>
    private static DataType ElementType(IReadOnlyList<Literal> elements, Type container)
    {
        var kinds = elements.Where(e => e.LiteralTypeCase != Literal.LiteralTypeOneofCase.Null).ToList();
        if (kinds.Count == 0) return new DataType { Null = new DataType.Types.NULL() };
        if (kinds.Select(k => k.LiteralTypeCase).Distinct().Count() > 1)
            throw new ArgumentException($"a {container.Name} becomes a Spark array or map of one type: its values are {string.Join(", ", kinds.Select(k => k.LiteralTypeCase).Distinct())}");
        if (kinds[0].LiteralTypeCase != Literal.LiteralTypeOneofCase.Decimal) return TypeOf(kinds[0]);
        var scale = kinds.Max(k => k.Decimal.Scale);
        var integerDigits = kinds.Max(k => k.Decimal.Precision - k.Decimal.Scale);
        return new DataType { Decimal = new() { Precision = Math.Min(MaxDecimalPrecision, integerDigits + scale), Scale = scale } };
    }
}
