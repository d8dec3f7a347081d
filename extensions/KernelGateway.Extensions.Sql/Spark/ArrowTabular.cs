using Apache.Arrow;
using Apache.Arrow.Types;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Sql.Spark;

/// <summary>
/// The first rows of Arrow record batches as a table to display: each field's Table Schema type and CLR type, and
/// the values of the rows taken (integers, floats, booleans and decimals typed; dates DateOnly; timestamps DateTime
/// in UTC, or as given when the field has no time zone; day-time durations TimeSpan; binary base64; structs, lists
/// and maps their JSON text). Only the rows shown are converted: the rest of a batch is never touched.
/// </summary>
internal static class ArrowTabular
{
    /// <summary>The table's columns for an Arrow schema.</summary>
    public static IReadOnlyList<TableField> Fields(Schema schema) =>
        schema.FieldsList.Select(f => Field(f.Name, f.DataType)).ToList();

    private static TableField Field(string name, IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Int8 => new(name, TableSchemaTypes.Integer, typeof(short), "tinyint"),
        ArrowTypeId.Int16 => new(name, TableSchemaTypes.Integer, typeof(short), "smallint"),
        ArrowTypeId.Int32 => new(name, TableSchemaTypes.Integer, typeof(int), "int"),
        ArrowTypeId.Int64 => new(name, TableSchemaTypes.Integer, typeof(long), "bigint"),
        ArrowTypeId.Float => new(name, TableSchemaTypes.Number, typeof(double), "float"),
        ArrowTypeId.Double => new(name, TableSchemaTypes.Number, typeof(double), "double"),
        ArrowTypeId.Decimal128 => new(name, TableSchemaTypes.Number, typeof(decimal), $"decimal({((Decimal128Type)type).Precision},{((Decimal128Type)type).Scale})"),
        ArrowTypeId.Boolean => new(name, TableSchemaTypes.Boolean, typeof(bool), "boolean"),
        ArrowTypeId.String or ArrowTypeId.LargeString => new(name, TableSchemaTypes.String, typeof(string), "string"),
        ArrowTypeId.Binary or ArrowTypeId.LargeBinary => new(name, TableSchemaTypes.String, typeof(string), "binary"),
        ArrowTypeId.Date32 or ArrowTypeId.Date64 => new(name, TableSchemaTypes.Date, typeof(DateOnly), "date"),
        ArrowTypeId.Timestamp => new(name, TableSchemaTypes.DateTime, typeof(DateTime), string.IsNullOrEmpty(((TimestampType)type).Timezone) ? "timestamp_ntz" : "timestamp"),
        ArrowTypeId.Duration => new(name, TableSchemaTypes.Duration, typeof(TimeSpan), "interval day to second"),
        ArrowTypeId.List => new(name, TableSchemaTypes.Array, typeof(string), "array"),
        ArrowTypeId.Map => new(name, TableSchemaTypes.Object, typeof(string), "map"),
        ArrowTypeId.Struct => new(name, TableSchemaTypes.Object, typeof(string), "struct"),
        ArrowTypeId.Null => new(name, TableSchemaTypes.Any, typeof(string), "void"),
        _ => new(name, TableSchemaTypes.String, typeof(string), type.Name),
    };

    /// <summary>Adds rows of <paramref name="batch"/> to <paramref name="rows"/> until it holds <paramref name="max"/>; returns how many were added.</summary>
    public static int AppendRows(RecordBatch batch, List<object?[]> rows, int max)
    {
        var take = Math.Min(batch.Length, Math.Max(0, max - rows.Count));
        var columns = batch.ColumnCount;
        var start = rows.Count;
        for (var r = 0; r < take; r++) rows.Add(new object?[columns]);
        for (var c = 0; c < columns; c++)
        {
            var array = batch.Column(c);
            for (var r = 0; r < take; r++) rows[start + r][c] = Value(array, r);
        }
        return take;
    }

    /// <summary>One value as the display wants it.</summary>
    public static object? Value(IArrowArray array, int i)
    {
        if (array.IsNull(i)) return null;
        return array switch
        {
            Int8Array a => (short)a.GetValue(i)!.Value,
            Int16Array a => a.GetValue(i),
            Int32Array a => a.GetValue(i),
            Int64Array a => a.GetValue(i),
            FloatArray a => (double)a.GetValue(i)!.Value,
            DoubleArray a => a.GetValue(i),
            Decimal128Array a => Decimal(a, i),
            BooleanArray a => a.GetValue(i),
            StringArray a => a.GetString(i),
            BinaryArray a => Convert.ToBase64String(a.GetBytes(i)),
            Date32Array a => a.GetDateOnly(i),
            Date64Array a => a.GetDateOnly(i),
            TimestampArray a => Timestamp(a, i),
            DurationArray a => a.GetTimeSpan(i),
            _ => ArrowJson.Value(array, i),
        };
    }

    /// <summary>A decimal, or its exact digits when it is beyond <see cref="decimal"/>.</summary>
    private static object? Decimal(Decimal128Array a, int i)
    {
        try { return a.GetValue(i); }
        catch (OverflowException) { return a.GetString(i); }
    }

    private static object? Timestamp(TimestampArray a, int i)
    {
        var type = (TimestampType)a.Data.DataType;
        var value = a.GetTimestamp(i);
        if (value is null) return null;
        return string.IsNullOrEmpty(type.Timezone)
            ? DateTime.SpecifyKind(value.Value.UtcDateTime, DateTimeKind.Unspecified)
            : value.Value.UtcDateTime;
    }
}
