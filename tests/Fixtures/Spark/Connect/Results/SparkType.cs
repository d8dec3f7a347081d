using Apache.Arrow;
using Apache.Arrow.Types;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Results;

/// <summary>The Spark SQL types the fixture produces.</summary>
internal enum SparkKind
{
    Null, Boolean, Byte, Short, Integer, Long, Float, Double, Decimal, String, Binary, Date, Timestamp, TimestampNtz, DayTimeInterval, Array, Struct, Map,
}

/// <summary>
/// A Spark data type: the kind, and for decimals precision and scale, for arrays the element, for maps key and value,
/// for structs the fields. Converts to Spark Connect's <see cref="DataType"/> (DataTypeProtoConverter) and to the
/// Arrow type Spark uses for it (ArrowUtils.toArrowType: Timestamp in µs with the session time zone, TimestampNTZ
/// without one, Decimal128, Date32, Duration(µs) for day-time intervals, List "element", Map "entries"/"key"/"value").
/// </summary>
internal sealed record SparkType(SparkKind Kind, int Precision = 0, int Scale = 0, SparkType? Element = null, SparkType? Key = null,
    SparkType? Value = null, IReadOnlyList<SparkField>? Fields = null)
{
    public static SparkType Of(SparkKind kind) => new(kind);

    public static SparkType Decimal(int precision, int scale) => new(SparkKind.Decimal, precision, scale);

    public static SparkType ArrayOf(SparkType element) => new(SparkKind.Array, Element: element);

    public static SparkType MapOf(SparkType key, SparkType value) => new(SparkKind.Map, Key: key, Value: value);

    public static SparkType StructOf(IReadOnlyList<SparkField> fields) => new(SparkKind.Struct, Fields: fields);

    public bool IsNested => Kind is SparkKind.Array or SparkKind.Struct or SparkKind.Map;

    public DataType ToProto() => Kind switch
    {
        SparkKind.Null => new DataType { Null = new DataType.Types.NULL() },
        SparkKind.Boolean => new DataType { Boolean = new DataType.Types.Boolean() },
        SparkKind.Byte => new DataType { Byte = new DataType.Types.Byte() },
        SparkKind.Short => new DataType { Short = new DataType.Types.Short() },
        SparkKind.Integer => new DataType { Integer = new DataType.Types.Integer() },
        SparkKind.Long => new DataType { Long = new DataType.Types.Long() },
        SparkKind.Float => new DataType { Float = new DataType.Types.Float() },
        SparkKind.Double => new DataType { Double = new DataType.Types.Double() },
        SparkKind.Decimal => new DataType { Decimal = new DataType.Types.Decimal { Precision = Precision, Scale = Scale } },
        SparkKind.String => new DataType { String = new DataType.Types.String() },
        SparkKind.Binary => new DataType { Binary = new DataType.Types.Binary() },
        SparkKind.Date => new DataType { Date = new DataType.Types.Date() },
        SparkKind.Timestamp => new DataType { Timestamp = new DataType.Types.Timestamp() },
        SparkKind.TimestampNtz => new DataType { TimestampNtz = new DataType.Types.TimestampNTZ() },
        SparkKind.DayTimeInterval => new DataType { DayTimeInterval = new DataType.Types.DayTimeInterval { StartField = 0, EndField = 3 } },
        SparkKind.Array => new DataType { Array = new DataType.Types.Array { ElementType = Element!.ToProto(), ContainsNull = true } },
        SparkKind.Map => new DataType { Map = new DataType.Types.Map { KeyType = Key!.ToProto(), ValueType = Value!.ToProto(), ValueContainsNull = true } },
        _ => new DataType { Struct = StructProto(Fields!) },
    };

    /// <summary>The schema of a result: a struct whose fields are the columns (as Spark sends it in ExecutePlanResponse.schema).</summary>
    public static DataType.Types.Struct StructProto(IReadOnlyList<SparkField> fields)
    {
        var s = new DataType.Types.Struct();
        foreach (var f in fields) s.Fields.Add(new DataType.Types.StructField { Name = f.Name, DataType = f.Type.ToProto(), Nullable = f.Nullable });
        return s;
    }

    public IArrowType ToArrow(string timeZone) => Kind switch
    {
        SparkKind.Null => NullType.Default,
        SparkKind.Boolean => BooleanType.Default,
        SparkKind.Byte => Int8Type.Default,
        SparkKind.Short => Int16Type.Default,
        SparkKind.Integer => Int32Type.Default,
        SparkKind.Long => Int64Type.Default,
        SparkKind.Float => FloatType.Default,
        SparkKind.Double => DoubleType.Default,
        SparkKind.Decimal => new Decimal128Type(Precision, Scale),
        SparkKind.String => StringType.Default,
        SparkKind.Binary => BinaryType.Default,
        SparkKind.Date => Date32Type.Default,
        SparkKind.Timestamp => new TimestampType(TimeUnit.Microsecond, timeZone),
        SparkKind.TimestampNtz => new TimestampType(TimeUnit.Microsecond, (string?)null),
        SparkKind.DayTimeInterval => DurationType.Microsecond,
        SparkKind.Array => new ListType(new Field("element", Element!.ToArrow(timeZone), true)),
        SparkKind.Map => new MapType(new Field("entries", new StructType([new Field("key", Key!.ToArrow(timeZone), false),
            new Field("value", Value!.ToArrow(timeZone), true)]), false)),
        _ => new StructType(Fields!.Select(f => new Field(f.Name, f.Type.ToArrow(timeZone), f.Nullable)).ToList()),
    };

    /// <summary>Spark's <c>typeName</c>, as <c>printSchema</c> (treeString) shows a type: integer, long, decimal(10,2), array…</summary>
    public string TypeName => Kind switch
    {
        SparkKind.Null => "void",
        SparkKind.Decimal => $"decimal({Precision},{Scale})",
        SparkKind.TimestampNtz => "timestamp_ntz",
        SparkKind.DayTimeInterval => "interval day to second",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Spark's SQL spelling of a type (<c>sql</c>), as it appears in generated column names: INT, BIGINT, ARRAY&lt;INT&gt;…</summary>
    public string SqlName => Kind switch
    {
        SparkKind.Null => "VOID",
        SparkKind.Byte => "TINYINT",
        SparkKind.Short => "SMALLINT",
        SparkKind.Integer => "INT",
        SparkKind.Long => "BIGINT",
        SparkKind.Decimal => $"DECIMAL({Precision},{Scale})",
        SparkKind.TimestampNtz => "TIMESTAMP_NTZ",
        SparkKind.DayTimeInterval => "INTERVAL DAY TO SECOND",
        SparkKind.Array => $"ARRAY<{Element!.SqlName}>",
        SparkKind.Map => $"MAP<{Key!.SqlName}, {Value!.SqlName}>",
        SparkKind.Struct => "STRUCT<" + string.Join(", ", Fields!.Select(f => $"{f.Name}: {f.Type.SqlName}")) + ">",
        _ => Kind.ToString().ToUpperInvariant(),
    };
}

/// <summary>A named field of a struct type (or a result column).</summary>
internal sealed record SparkField(string Name, SparkType Type, bool Nullable = true);
