using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Grpc.Core;
using KernelGateway.Platform.Spark.Connect.Proto;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// Reads the Arrow data of Spark Connect results. Each <c>ArrowBatch.data</c> is a complete Arrow IPC stream (its
/// schema, then record batches); it is read in place, without copying: the record batches' buffers are slices of the
/// response's bytes. <c>row_count</c> must equal the rows in <c>data</c>.
/// </summary>
internal static class SparkArrowBatches
{
    private static readonly ArrowBuffer ZeroOffset = new(new byte[sizeof(int)]);

    /// <summary>The schema and record batches of one <c>ArrowBatch</c> (no schema when <c>data</c> is empty).</summary>
    /// <exception cref="SparkConnectException">The data is not an Arrow IPC stream, or its rows are not <c>row_count</c>.</exception>
    public static (Schema? Schema, List<RecordBatch> Batches) Read(ExecutePlanResponse.Types.ArrowBatch arrow, string operationId)
    {
        var batches = new List<RecordBatch>(1);
        if (arrow.Data.IsEmpty)
            return arrow.RowCount == 0 ? (null, batches) : throw Mismatch(arrow.RowCount, 0, operationId);
        try
        {
            using var reader = new ArrowStreamReader(arrow.Data.Memory);
            long rows = 0;
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                batches.Add(batch);
                rows += batch.Length;
            }
            if (rows != arrow.RowCount) throw Mismatch(arrow.RowCount, rows, operationId);
            return (reader.Schema, batches);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            foreach (var b in batches) b.Dispose();
            throw new SparkConnectException($"operation {operationId} sent an Arrow batch that cannot be read: {e.Message}", StatusCode.DataLoss, e) { OperationId = operationId };
        }
    }

    /// <summary>A record batch of no rows with the given schema.</summary>
    public static RecordBatch Empty(Schema schema) =>
        new(schema, schema.FieldsList.Select(f => ArrowArrayFactory.BuildArray(EmptyData(f.DataType))), 0);

    private static ArrayData EmptyData(IArrowType type) => type switch
    {
        NullType => new ArrayData(type, 0, 0, 0, [], []),
        StructType s => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty], s.Fields.Select(f => EmptyData(f.DataType)).ToArray()),
        NestedType n => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, ZeroOffset], n.Fields.Select(f => EmptyData(f.DataType)).ToArray()),
        StringType or BinaryType => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, ZeroOffset, ArrowBuffer.Empty], []),
        _ => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.Empty], []),
    };

    private static SparkConnectException Mismatch(long said, long held, string operationId) =>
        new($"operation {operationId} sent an Arrow batch whose row_count is {said} but which holds {held} rows", StatusCode.DataLoss) { OperationId = operationId };
}
