using System.Globalization;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using KernelGateway.Tests.Fixtures.Spark.Connect.Results;
using Literal = KernelGateway.Tests.Fixtures.Spark.Connect.Proto.Expression.Types.Literal;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

/// <summary>
/// A Spark Connect literal: its Spark type, the value to bind as a DuckDB parameter (never written into SQL text),
/// the DuckDB SQL spelling used where a DataFrame plan holds the literal, and the text Spark shows for it in a
/// generated column name (<c>5</c>, <c>abc</c>, <c>NULL</c>, <c>true</c>).
/// </summary>
internal sealed record LiteralValue(SparkType Type, object? Value, string Sql, string Shown)
{
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    /// <summary>The value as the fixture records it for tests (the parameter value; NULL as null).</summary>
    public object? Recorded => Value is DBNull ? null : Value;

    public static LiteralValue Of(Literal l) => l.LiteralTypeCase switch
    {
        Literal.LiteralTypeOneofCase.Null => Typed(ProtoTypes.FromProto(l.Null), DBNull.Value, null, "NULL"),
        Literal.LiteralTypeOneofCase.Binary => new(SparkType.Of(SparkKind.Binary), l.Binary.ToByteArray(),
            $"from_hex('{Convert.ToHexString(l.Binary.Span)}')", "X'" + Convert.ToHexString(l.Binary.Span) + "'"),
        Literal.LiteralTypeOneofCase.Boolean => new(SparkType.Of(SparkKind.Boolean), l.Boolean, l.Boolean ? "true" : "false", l.Boolean ? "true" : "false"),
        Literal.LiteralTypeOneofCase.Byte => Number(SparkKind.Byte, (sbyte)l.Byte, l.Byte),
        Literal.LiteralTypeOneofCase.Short => Number(SparkKind.Short, (short)l.Short, l.Short),
        Literal.LiteralTypeOneofCase.Integer => Number(SparkKind.Integer, l.Integer, l.Integer),
        Literal.LiteralTypeOneofCase.Long => Number(SparkKind.Long, l.Long, l.Long),
        Literal.LiteralTypeOneofCase.Float => Typed(SparkType.Of(SparkKind.Float), l.Float, Text(l.Float), Text(l.Float)),
        Literal.LiteralTypeOneofCase.Double => Typed(SparkType.Of(SparkKind.Double), l.Double, Text(l.Double), Text(l.Double)),
        Literal.LiteralTypeOneofCase.Decimal => Decimal(l.Decimal),
        Literal.LiteralTypeOneofCase.String => new(SparkType.Of(SparkKind.String), l.String, SparkSqlRewriter.Literal(l.String), l.String),
        Literal.LiteralTypeOneofCase.Date => Date(l.Date),
        Literal.LiteralTypeOneofCase.Timestamp => Timestamp(l.Timestamp, zoned: true),
        Literal.LiteralTypeOneofCase.TimestampNtz => Timestamp(l.TimestampNtz, zoned: false),
        Literal.LiteralTypeOneofCase.DayTimeInterval => new(SparkType.Of(SparkKind.DayTimeInterval), TimeSpan.FromTicks(l.DayTimeInterval * 10),
            $"to_microseconds({l.DayTimeInterval})", $"INTERVAL '{TimeSpan.FromTicks(l.DayTimeInterval * 10)}' DAY TO SECOND"),
        Literal.LiteralTypeOneofCase.Array => Array(l.Array),
        _ => throw SparkError.Internal($"The fixture does not support {l.LiteralTypeCase} literals."),
    };

    private static LiteralValue Number(SparkKind kind, object value, long shown)
    {
        var type = SparkType.Of(kind);
        var text = shown.ToString(CultureInfo.InvariantCulture);
        return new(type, value, $"CAST({text} AS {ProtoTypes.DuckName(type)})", text + (kind == SparkKind.Long && (shown > int.MaxValue || shown < int.MinValue) ? "L" : ""));
    }

    private static LiteralValue Typed(SparkType type, object value, string? text, string shown) =>
        new(type, value, $"CAST({(text is null ? "NULL" : SparkSqlRewriter.Literal(text))} AS {ProtoTypes.DuckName(type)})", shown);

    private static string Text(double d) => d switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => d.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Text(float f) => Text((double)f) is var s && float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) : s;

    /// <summary>A decimal binds as its text, cast to DECIMAL(p,s); p and s default to the digits written, as Spark's do.</summary>
    private static LiteralValue Decimal(Literal.Types.Decimal d)
    {
        var unsigned = d.Value.TrimStart('-', '+');
        var dot = unsigned.IndexOf('.');
        var scale = d.HasScale ? d.Scale : dot < 0 ? 0 : unsigned.Length - dot - 1;
        var precision = d.HasPrecision ? d.Precision : Math.Max(scale, unsigned.Replace(".", "").TrimStart('0').Length);
        var type = SparkType.Decimal(Math.Max(1, precision), scale);
        return Typed(type, d.Value, d.Value, d.Value);
    }

    private static LiteralValue Date(int days)
    {
        var date = DateOnly.FromDateTime(Epoch).AddDays(days);
        var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new(SparkType.Of(SparkKind.Date), date, $"DATE '{text}'", $"DATE '{text}'");
    }

    private static LiteralValue Timestamp(long micros, bool zoned)
    {
        var at = Epoch.AddTicks(micros * 10);
        var text = at.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        return zoned
            ? new(SparkType.Of(SparkKind.Timestamp), new DateTimeOffset(at, TimeSpan.Zero),
                $"(TIMESTAMPTZ '1970-01-01 00:00:00+00' + to_microseconds({micros}))", $"TIMESTAMP '{text}'")
            : new(SparkType.Of(SparkKind.TimestampNtz), DateTime.SpecifyKind(at, DateTimeKind.Unspecified),
                $"make_timestamp({micros})", $"TIMESTAMP_NTZ '{text}'");
    }

    /// <summary>Arrays of scalars bind as typed lists (what DuckDB.NET binds as a LIST parameter).</summary>
    private static LiteralValue Array(Literal.Types.Array a)
    {
        var elements = a.Elements.Select(Of).ToList();
        var elementType = a.ElementType is { } t ? ProtoTypes.FromProto(t) : elements.FirstOrDefault()?.Type ?? SparkType.Of(SparkKind.Null);
        var type = SparkType.ArrayOf(elementType);
        var sql = $"CAST([{string.Join(", ", elements.Select(e => e.Sql))}] AS {ProtoTypes.DuckName(type)})";
        return new(type, TypedList(elementType, elements), sql, $"ARRAY({string.Join(", ", elements.Select(e => e.Shown))})");
    }

    private static object TypedList(SparkType element, List<LiteralValue> items) => element.Kind switch
    {
        SparkKind.Integer => items.Select(i => i.Recorded as int?).ToList(),
        SparkKind.Long => items.Select(i => i.Recorded as long?).ToList(),
        SparkKind.Double => items.Select(i => i.Recorded as double?).ToList(),
        SparkKind.Boolean => items.Select(i => i.Recorded as bool?).ToList(),
        SparkKind.String => items.Select(i => i.Recorded as string).ToList(),
        _ => throw SparkError.Internal($"The fixture binds array parameters of int, bigint, double, boolean and string only, not {element.SqlName}."),
    };
}
