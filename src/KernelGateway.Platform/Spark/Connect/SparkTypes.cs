using Apache.Arrow;
using Apache.Arrow.Types;
using KernelGateway.Platform.Spark.Connect.Proto;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// Spark's data types (as <c>AnalyzePlan</c> and <c>ExecutePlanResponse.schema</c> describe them) as the Arrow types
/// Spark sends their values in (Spark's <c>ArrowUtils.toArrowType</c>): byte/short/integer/long → Int8/16/32/64,
/// float/double → Float/Double, string/char/varchar → Utf8, binary → Binary, decimal(p,s) → Decimal128(p,s), date →
/// Date32, timestamp → Timestamp(µs, "UTC") (Spark uses the session's zone; every zone names the same instants),
/// timestamp_ntz → Timestamp(µs) without zone, day-time interval → Duration(µs), year-month interval →
/// Interval(YearMonth), calendar interval → Interval(MonthDayNanosecond), array → List, struct → Struct, map → Map,
/// variant → Struct(value, metadata binary), a user-defined type → its SQL type.
/// </summary>
internal static class SparkTypes
{
    /// <summary>The Arrow schema of a row type (a struct; any other type becomes one column named <c>value</c>).</summary>
    public static Schema ToArrowSchema(DataType type)
    {
        var fields = type.KindCase == DataType.KindOneofCase.Struct
            ? type.Struct.Fields.Select(f => new Field(f.Name, ToArrow(f.DataType), f.Nullable)).ToList()
            : [new Field("value", ToArrow(type), nullable: true)];
        return new Schema(fields, metadata: null);
    }

    /// <summary>The Arrow type of a Spark type.</summary>
    /// <exception cref="FormatException">The type is empty or unknown to this client.</exception>
    public static IArrowType ToArrow(DataType type) => type.KindCase switch
    {
        DataType.KindOneofCase.Null => NullType.Default,
        DataType.KindOneofCase.Boolean => BooleanType.Default,
        DataType.KindOneofCase.Byte => Int8Type.Default,
        DataType.KindOneofCase.Short => Int16Type.Default,
        DataType.KindOneofCase.Integer => Int32Type.Default,
        DataType.KindOneofCase.Long => Int64Type.Default,
        DataType.KindOneofCase.Float => FloatType.Default,
        DataType.KindOneofCase.Double => DoubleType.Default,
        DataType.KindOneofCase.Decimal => new Decimal128Type(type.Decimal.HasPrecision ? type.Decimal.Precision : 10, type.Decimal.HasScale ? type.Decimal.Scale : 0),
        DataType.KindOneofCase.String or DataType.KindOneofCase.Char or DataType.KindOneofCase.VarChar or DataType.KindOneofCase.Unparsed => StringType.Default,
        DataType.KindOneofCase.Binary => BinaryType.Default,
        DataType.KindOneofCase.Date => Date32Type.Default,
        DataType.KindOneofCase.Timestamp => new TimestampType(TimeUnit.Microsecond, "UTC"),
        DataType.KindOneofCase.TimestampNtz => new TimestampType(TimeUnit.Microsecond, (string?)null),
        DataType.KindOneofCase.DayTimeInterval => DurationType.Microsecond,
        DataType.KindOneofCase.YearMonthInterval => new IntervalType(IntervalUnit.YearMonth),
        DataType.KindOneofCase.CalendarInterval => new IntervalType(IntervalUnit.MonthDayNanosecond),
        DataType.KindOneofCase.Array => new ListType(new Field("element", ToArrow(type.Array.ElementType), type.Array.ContainsNull)),
        DataType.KindOneofCase.Struct => new StructType(type.Struct.Fields.Select(f => new Field(f.Name, ToArrow(f.DataType), f.Nullable)).ToList()),
        DataType.KindOneofCase.Map => new MapType(new Field("key", ToArrow(type.Map.KeyType), false), new Field("value", ToArrow(type.Map.ValueType), type.Map.ValueContainsNull)),
        DataType.KindOneofCase.Variant => new StructType([new Field("value", BinaryType.Default, false), new Field("metadata", BinaryType.Default, false)]),
        DataType.KindOneofCase.Udt when type.Udt.SqlType is { } sql => ToArrow(sql),
        DataType.KindOneofCase.Udt => BinaryType.Default,
        _ => throw new FormatException($"unknown Spark data type {type.KindCase}"),
    };
}
