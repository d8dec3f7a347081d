using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Types;
using Microsoft.Data.Analysis;

namespace KernelGateway.Platform.Warehouse;

/// <summary>
/// Builds a DataFrame from Arrow record batches, one typed column per field, copying values straight from the
/// Arrow buffers. Microsoft.Data.Analysis 0.23's own conversion throws on decimal128, date32 and some strings,
/// so every type is converted here: integers, floats and booleans stay typed, decimals become decimal (or their
/// exact text when a value is beyond <see cref="decimal"/>), dates and timestamps DateTime, times TimeOnly, durations (Spark's day-time intervals) TimeSpan,
/// strings StringDataFrameColumn, binary base64 strings, structs, lists and maps their JSON text, anything else
/// its string form.
/// </summary>
public static class ArrowFrames
{
    /// <summary>Reads every batch of a stream (all with one schema) into a DataFrame, disposing the batches; no batch: an empty frame.</summary>
    public static async Task<DataFrame> LoadAsync(IAsyncEnumerable<RecordBatch> stream, CancellationToken cancellationToken = default)
    {
        var batches = new List<RecordBatch>();
        try
        {
            await foreach (var batch in stream.WithCancellation(cancellationToken).ConfigureAwait(false)) batches.Add(batch);
            return batches.Count == 0 ? new DataFrame() : ToDataFrame(batches[0].Schema, batches);
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }
    }

    /// <summary>Concatenates batches (all with one schema) into a DataFrame.</summary>
    public static DataFrame ToDataFrame(Schema schema, IReadOnlyList<RecordBatch> batches)
    {
        var length = batches.Sum(b => (long)b.Length);
        var columns = new List<DataFrameColumn>();
        for (var f = 0; f < schema.FieldsList.Count; f++)
        {
            var field = schema.FieldsList[f];
            columns.Add(field.DataType.TypeId switch
            {
                ArrowTypeId.Int8 => Fill(new SByteDataFrameColumn(field.Name, length), batches, f, (IArrowArray a, int i) => ((Int8Array)a).GetValue(i)),
                ArrowTypeId.Int16 => Fill(new Int16DataFrameColumn(field.Name, length), batches, f, (IArrowArray a, int i) => ((Int16Array)a).GetValue(i)),
                ArrowTypeId.Int32 => Bulk<int>(batches, f, (v, b, n, nulls) => new Int32DataFrameColumn(field.Name, v, b, n, nulls)),
                ArrowTypeId.Int64 => Bulk<long>(batches, f, (v, b, n, nulls) => new Int64DataFrameColumn(field.Name, v, b, n, nulls)),
                ArrowTypeId.UInt8 => Fill(new ByteDataFrameColumn(field.Name, length), batches, f, (IArrowArray a, int i) => ((UInt8Array)a).GetValue(i)),
                ArrowTypeId.UInt16 => Fill(new UInt16DataFrameColumn(field.Name, length), batches, f, (IArrowArray a, int i) => ((UInt16Array)a).GetValue(i)),
                ArrowTypeId.UInt32 => Fill(new UInt32DataFrameColumn(field.Name, length), batches, f, (IArrowArray a, int i) => ((UInt32Array)a).GetValue(i)),
                ArrowTypeId.UInt64 => Fill(new UInt64DataFrameColumn(field.Name, length), batches, f, (IArrowArray a, int i) => ((UInt64Array)a).GetValue(i)),
                ArrowTypeId.Float => Bulk<float>(batches, f, (v, b, n, nulls) => new SingleDataFrameColumn(field.Name, v, b, n, nulls)),
                ArrowTypeId.Double => Bulk<double>(batches, f, (v, b, n, nulls) => new DoubleDataFrameColumn(field.Name, v, b, n, nulls)),
                ArrowTypeId.Boolean => Fill(new BooleanDataFrameColumn(field.Name, length), batches, f, (IArrowArray a, int i) => ((BooleanArray)a).GetValue(i)),
                ArrowTypeId.Decimal128 when AllFitDecimal(batches, f) => Fill(new DecimalDataFrameColumn(field.Name, length), batches, f, (IArrowArray a, int i) => ((Decimal128Array)a).GetValue(i)),
                ArrowTypeId.Decimal128 => Strings(new StringDataFrameColumn(field.Name, length), batches, f),
                ArrowTypeId.Date32 => Fill(new PrimitiveDataFrameColumn<DateTime>(field.Name, length), batches, f, (IArrowArray a, int i) => ((Date32Array)a).GetDateTime(i)),
                ArrowTypeId.Date64 => Fill(new PrimitiveDataFrameColumn<DateTime>(field.Name, length), batches, f, (IArrowArray a, int i) => ((Date64Array)a).GetDateTime(i)),
                ArrowTypeId.Timestamp => Fill(new PrimitiveDataFrameColumn<DateTime>(field.Name, length), batches, f, (IArrowArray a, int i) => ((TimestampArray)a).GetTimestamp(i)?.UtcDateTime),
                ArrowTypeId.Time64 => Fill(new PrimitiveDataFrameColumn<TimeOnly>(field.Name, length), batches, f, (IArrowArray a, int i) => ((Time64Array)a).GetTime(i)),
                ArrowTypeId.Duration => Fill(new PrimitiveDataFrameColumn<TimeSpan>(field.Name, length), batches, f, (IArrowArray a, int i) => ((DurationArray)a).GetTimeSpan(i)),
                ArrowTypeId.Time32 => Fill(new PrimitiveDataFrameColumn<TimeOnly>(field.Name, length), batches, f, (IArrowArray a, int i) => ((Time32Array)a).GetTime(i)),
                ArrowTypeId.String => Strings(new StringDataFrameColumn(field.Name, length), batches, f),
                _ => Strings(new StringDataFrameColumn(field.Name, length), batches, f),
            });
        }
        return new DataFrame(columns);
    }

    /// <summary>
    /// Copies the value buffers of every batch into one buffer and builds the validity bitmap (Arrow's and the
    /// DataFrame's have the same layout), so a column is built with a memory copy per batch instead of a call per value.
    /// </summary>
    private static DataFrameColumn Bulk<T>(IReadOnlyList<RecordBatch> batches, int field, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>, int, int, DataFrameColumn> create)
        where T : unmanaged, INumber<T>
    {
        var total = batches.Sum(b => b.Length);
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var values = new byte[(long)total * size];
        var bitmap = new byte[(total + 7) / 8];
        var nulls = 0;
        var row = 0;
        foreach (var batch in batches)
        {
            var array = (PrimitiveArray<T>)batch.Column(field);
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(array.Values).CopyTo(values.AsSpan(row * size));
            nulls += array.NullCount;
            if (array.NullCount == 0 && row % 8 == 0)
            {
                bitmap.AsSpan(row / 8, array.Length / 8).Fill(0xFF);
                for (var i = array.Length / 8 * 8; i < array.Length; i++) bitmap[(row + i) >> 3] |= (byte)(1 << ((row + i) & 7));
            }
            else
            {
                for (var i = 0; i < array.Length; i++)
                    if (array.IsValid(i)) bitmap[(row + i) >> 3] |= (byte)(1 << ((row + i) & 7));
            }
            row += array.Length;
        }
        return create(values, bitmap, total, nulls);
    }

    /// <summary>Whether every decimal128 value of the column fits <see cref="decimal"/> (precision above 28 may not).</summary>
    private static bool AllFitDecimal(IReadOnlyList<RecordBatch> batches, int field)
    {
        foreach (var batch in batches)
        {
            var array = (Decimal128Array)batch.Column(field);
            if (array.Precision <= 28) return true;
            for (var i = 0; i < array.Length; i++)
                if (!array.IsNull(i) && !array.TryGetValue(i, out _)) return false;
        }
        return true;
    }

    private static DataFrameColumn Fill<T>(PrimitiveDataFrameColumn<T> column, IReadOnlyList<RecordBatch> batches, int field, Func<IArrowArray, int, T?> get) where T : unmanaged
    {
        long row = 0;
        foreach (var batch in batches)
        {
            var array = batch.Column(field);
            for (var i = 0; i < array.Length; i++) column[row + i] = array.IsNull(i) ? null : get(array, i);
            row += array.Length;
        }
        return column;
    }

    private static DataFrameColumn Strings(StringDataFrameColumn column, IReadOnlyList<RecordBatch> batches, int field)
    {
        long row = 0;
        foreach (var batch in batches)
        {
            var array = batch.Column(field);
            for (var i = 0; i < array.Length; i++)
            {
                column[row + i] = array.IsNull(i) ? null : array switch
                {
                    StringArray s => s.GetString(i),
                    StringViewArray v => v.GetString(i),
                    LargeStringArray l => l.GetString(i),
                    Decimal128Array d => d.GetString(i),
                    BinaryArray b => Convert.ToBase64String(b.GetBytes(i)),
                    ListArray or StructArray => ArrowJson.Value(array, i),
                    _ => array.GetType().Name,
                };
            }
            row += array.Length;
        }
        return column;
    }
}
