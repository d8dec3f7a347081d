using System.Data.Common;
using Microsoft.Data.Analysis;

namespace KernelGateway.Platform.Warehouse;

/// <summary>
/// Reads a DbDataReader into a Microsoft.Data.Analysis DataFrame, converting the types its own loader rejects
/// (DateOnly becomes DateTime, decimals stay decimal, blobs and anything else become strings).
/// </summary>
public static class ReaderFrames
{
    /// <summary>Reads every row of a reader into a DataFrame.</summary>
    public static async Task<DataFrame> LoadAsync(DbDataReader reader, CancellationToken cancellationToken = default)
    {
        var columns = new DataFrameColumn[reader.FieldCount];
        var names = TabularNames(reader);
        for (var c = 0; c < columns.Length; c++) columns[c] = Create(names[c], Nullable.GetUnderlyingType(reader.GetFieldType(c)) ?? reader.GetFieldType(c));
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var c = 0; c < columns.Length; c++)
            {
                var value = reader.IsDBNull(c) ? null : reader.GetValue(c);
                if (value is Stream stream)
                {
                    using var copy = new MemoryStream();
                    await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                    value = copy.ToArray();
                }
                Append(columns[c], value);
            }
        }
        return new DataFrame(columns);
    }

    private static IReadOnlyList<string> TabularNames(DbDataReader reader)
    {
        var names = new List<string>();
        for (var c = 0; c < reader.FieldCount; c++)
        {
            var n = reader.GetName(c);
            var candidate = string.IsNullOrEmpty(n) ? $"column_{c}" : n;
            for (var k = 1; names.Contains(candidate); k++) candidate = $"{n}_{k}";
            names.Add(candidate);
        }
        return names;
    }

    private static DataFrameColumn Create(string name, Type type) => type switch
    {
        _ when type == typeof(int) => new Int32DataFrameColumn(name),
        _ when type == typeof(long) => new Int64DataFrameColumn(name),
        _ when type == typeof(short) => new Int16DataFrameColumn(name),
        _ when type == typeof(byte) => new ByteDataFrameColumn(name),
        _ when type == typeof(sbyte) => new SByteDataFrameColumn(name),
        _ when type == typeof(ushort) => new UInt16DataFrameColumn(name),
        _ when type == typeof(uint) => new UInt32DataFrameColumn(name),
        _ when type == typeof(ulong) => new UInt64DataFrameColumn(name),
        _ when type == typeof(double) => new DoubleDataFrameColumn(name),
        _ when type == typeof(float) => new SingleDataFrameColumn(name),
        _ when type == typeof(decimal) => new DecimalDataFrameColumn(name),
        _ when type == typeof(bool) => new BooleanDataFrameColumn(name),
        _ when type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(DateTimeOffset) => new PrimitiveDataFrameColumn<DateTime>(name),
        _ => new StringDataFrameColumn(name),
    };

    private static void Append(DataFrameColumn column, object? value)
    {
        switch (column)
        {
            case Int32DataFrameColumn c: c.Append(value is null ? null : Convert.ToInt32(value)); break;
            case Int64DataFrameColumn c: c.Append(value is null ? null : Convert.ToInt64(value)); break;
            case Int16DataFrameColumn c: c.Append(value is null ? null : Convert.ToInt16(value)); break;
            case ByteDataFrameColumn c: c.Append(value is null ? null : Convert.ToByte(value)); break;
            case SByteDataFrameColumn c: c.Append(value is null ? null : Convert.ToSByte(value)); break;
            case UInt16DataFrameColumn c: c.Append(value is null ? null : Convert.ToUInt16(value)); break;
            case UInt32DataFrameColumn c: c.Append(value is null ? null : Convert.ToUInt32(value)); break;
            case UInt64DataFrameColumn c: c.Append(value is null ? null : Convert.ToUInt64(value)); break;
            case DoubleDataFrameColumn c: c.Append(value is null ? null : Convert.ToDouble(value)); break;
            case SingleDataFrameColumn c: c.Append(value is null ? null : Convert.ToSingle(value)); break;
            case DecimalDataFrameColumn c: c.Append(value is null ? null : Convert.ToDecimal(value)); break;
            case BooleanDataFrameColumn c: c.Append(value is null ? null : Convert.ToBoolean(value)); break;
            case PrimitiveDataFrameColumn<DateTime> c:
                c.Append(value switch { null => null, DateOnly d => d.ToDateTime(TimeOnly.MinValue), DateTimeOffset o => o.UtcDateTime, _ => Convert.ToDateTime(value) });
                break;
            case StringDataFrameColumn c: c.Append(value is null ? null : value is string s ? s : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }

}
