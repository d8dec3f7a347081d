using Apache.Arrow;
using Apache.Arrow.Types;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// The Arrow type of each Trino type. Exact where Arrow and .NET agree; utf8 text where a value would lose
/// something (intervals, <c>time with time zone</c>, values kept as text) or has no Arrow type of its own.
/// Timestamps are microseconds: a nanosecond timestamp only spans 1677-2262 and would fail on
/// <c>9999-12-31</c>, so <c>timestamp(7)</c> is text too.
/// </summary>
internal static class TrinoArrowTypes
{
    /// <summary>The largest precision of Arrow's decimal128.</summary>
    private const int MaxDecimal128Precision = 38;

    public static IArrowType For(TrinoType type) => type.Kind switch
    {
        TrinoKind.Boolean => BooleanType.Default,
        TrinoKind.TinyInt => Int8Type.Default,
        TrinoKind.SmallInt => Int16Type.Default,
        TrinoKind.Integer => Int32Type.Default,
        TrinoKind.BigInt => Int64Type.Default,
        TrinoKind.Real => FloatType.Default,
        TrinoKind.Double => DoubleType.Default,
        TrinoKind.Decimal or TrinoKind.DecimalText when (type.Precision ?? MaxDecimal128Precision) <= MaxDecimal128Precision
            => new Decimal128Type(type.Precision ?? MaxDecimal128Precision, type.Scale ?? 0),
        TrinoKind.Binary => BinaryType.Default,
        TrinoKind.Date => Date32Type.Default,
        TrinoKind.Time => new Time64Type(Precision(type) <= 6 ? TimeUnit.Microsecond : TimeUnit.Nanosecond),
        TrinoKind.Timestamp when Precision(type) <= 6 => new TimestampType(TimeUnit.Microsecond, (string?)null),
        TrinoKind.TimestampWithTimeZone when Precision(type) <= 6 => new TimestampType(TimeUnit.Microsecond, "UTC"),
        TrinoKind.Array => new ListType(new Field("item", type.ElementType!.ArrowType, nullable: true)),
        TrinoKind.Row => new StructType([.. type.Shape!.Names.Select((name, i) => new Field(name, type.FieldTypes[i].ArrowType, nullable: true))]),
        TrinoKind.Map => new MapType(new Field("key", type.KeyType!.ArrowType, nullable: false), new Field("value", type.ValueType!.ArrowType, nullable: true)),
        _ => StringType.Default,
    };

    private static int Precision(TrinoType type) => type.Precision ?? TrinoKinds.DefaultTemporalPrecision;
}
