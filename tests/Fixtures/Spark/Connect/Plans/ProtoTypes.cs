using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using KernelGateway.Tests.Fixtures.Spark.Connect.Results;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

/// <summary>Spark Connect <see cref="DataType"/>s as the fixture's <see cref="SparkType"/>, and Spark types as DuckDB type names.</summary>
internal static class ProtoTypes
{
    public static SparkType FromProto(DataType t) => t.KindCase switch
    {
        DataType.KindOneofCase.Null => SparkType.Of(SparkKind.Null),
        DataType.KindOneofCase.Boolean => SparkType.Of(SparkKind.Boolean),
        DataType.KindOneofCase.Byte => SparkType.Of(SparkKind.Byte),
        DataType.KindOneofCase.Short => SparkType.Of(SparkKind.Short),
        DataType.KindOneofCase.Integer => SparkType.Of(SparkKind.Integer),
        DataType.KindOneofCase.Long => SparkType.Of(SparkKind.Long),
        DataType.KindOneofCase.Float => SparkType.Of(SparkKind.Float),
        DataType.KindOneofCase.Double => SparkType.Of(SparkKind.Double),
        DataType.KindOneofCase.Decimal => SparkType.Decimal(t.Decimal.HasPrecision ? t.Decimal.Precision : 10, t.Decimal.HasScale ? t.Decimal.Scale : 0),
        DataType.KindOneofCase.String or DataType.KindOneofCase.Char or DataType.KindOneofCase.VarChar => SparkType.Of(SparkKind.String),
        DataType.KindOneofCase.Binary => SparkType.Of(SparkKind.Binary),
        DataType.KindOneofCase.Date => SparkType.Of(SparkKind.Date),
        DataType.KindOneofCase.Timestamp => SparkType.Of(SparkKind.Timestamp),
        DataType.KindOneofCase.TimestampNtz => SparkType.Of(SparkKind.TimestampNtz),
        DataType.KindOneofCase.DayTimeInterval => SparkType.Of(SparkKind.DayTimeInterval),
        DataType.KindOneofCase.Array => SparkType.ArrayOf(FromProto(t.Array.ElementType)),
        DataType.KindOneofCase.Map => SparkType.MapOf(FromProto(t.Map.KeyType), FromProto(t.Map.ValueType)),
        DataType.KindOneofCase.Struct => SparkType.StructOf(t.Struct.Fields.Select(f => new SparkField(f.Name, FromProto(f.DataType), f.Nullable)).ToList()),
        _ => throw Errors.SparkError.Internal($"The fixture does not support the data type {t.KindCase}."),
    };

    public static string DuckName(SparkType t) => t.Kind switch
    {
        SparkKind.Null => "INTEGER",
        SparkKind.Boolean => "BOOLEAN",
        SparkKind.Byte => "TINYINT",
        SparkKind.Short => "SMALLINT",
        SparkKind.Integer => "INTEGER",
        SparkKind.Long => "BIGINT",
        SparkKind.Float => "FLOAT",
        SparkKind.Double => "DOUBLE",
        SparkKind.Decimal => $"DECIMAL({t.Precision},{t.Scale})",
        SparkKind.String => "VARCHAR",
        SparkKind.Binary => "BLOB",
        SparkKind.Date => "DATE",
        SparkKind.Timestamp => "TIMESTAMPTZ",
        SparkKind.TimestampNtz => "TIMESTAMP",
        SparkKind.DayTimeInterval => "INTERVAL",
        SparkKind.Array => DuckName(t.Element!) + "[]",
        SparkKind.Map => $"MAP({DuckName(t.Key!)}, {DuckName(t.Value!)})",
        _ => "STRUCT(" + string.Join(", ", t.Fields!.Select(f => SparkSqlRewriter.QuoteIdentifier(f.Name) + " " + DuckName(f.Type))) + ")",
    };
}
