using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Results;

/// <summary>
/// Collects rows into Arrow columns and writes them as Spark writes an ArrowBatch.data: a complete Arrow IPC stream
/// holding the schema message, one record batch and the end-of-stream marker (ArrowConverters.toBatchWithSchemaIterator).
/// </summary>
internal sealed class ArrowBatchEncoder
{
    private readonly IReadOnlyList<SparkField> _fields;
    private readonly string _timeZone;
    private readonly Schema _schema;
    private ArrowColumn[] _columns;

    public ArrowBatchEncoder(IReadOnlyList<SparkField> fields, string timeZone)
    {
        _fields = fields;
        _timeZone = timeZone;
        _schema = new Schema(fields.Select(f => new Field(f.Name, f.Type.ToArrow(timeZone), f.Nullable)), null);
        _columns = NewColumns();
    }

    public int Rows { get; private set; }

    /// <summary>About how many bytes the batch holds so far.</summary>
    public long Bytes
    {
        get
        {
            long sum = 0;
            foreach (var c in _columns) sum += c.Bytes;
            return sum;
        }
    }

    public void AppendRow(ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < _columns.Length; i++) _columns[i].Append(values[i]);
        Rows++;
    }

    /// <summary>The rows appended since the last call as one IPC stream; the encoder is then empty.</summary>
    public byte[] Flush()
    {
        var batch = new RecordBatch(_schema, _columns.Select(c => c.Build()), Rows);
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, _schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }
        _columns = NewColumns();
        Rows = 0;
        return stream.ToArray();
    }

    private ArrowColumn[] NewColumns() => _fields.Select(f => ArrowColumn.For(f.Type, _timeZone)).ToArray();
}
