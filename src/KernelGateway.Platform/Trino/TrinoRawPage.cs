using System.Buffers;
using System.Text.Json;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// The rows of one response as they came: the page's JSON in a pooled buffer, not yet decoded. The reader decodes
/// it into what it needs — CLR rows, Arrow columns — or only counts it, then releases the buffer. Read once.
/// </summary>
internal sealed class TrinoRawPage(IReadOnlyList<TrinoColumn> columns, byte[] buffer, int start, int length, int rowCount, TrinoStats? stats,
    IReadOnlyList<(int Offset, JsonReaderState State)> chunks)
{
    private byte[]? _buffer = buffer;

    public IReadOnlyList<TrinoColumn> Columns => columns;

    public int RowCount => rowCount;

    public TrinoStats? Stats => stats;

    /// <summary>
    /// The rows as CLR values, a chunk of up to <see cref="TrinoResults.ChunkRows"/> at a time (so the rows a reader has
    /// done with are garbage while the next are decoded); the buffer goes back to the pool after the last.
    /// </summary>
    /// <exception cref="FormatException">A value is not of its column's type.</exception>
    public IEnumerable<IReadOnlyList<object?[]>> DecodeChunks()
    {
        var decoder = new TrinoRowDecoder(columns);
        var done = 0;
        for (var chunk = 0; done < rowCount; chunk++)
        {
            var rows = new List<object?[]>(Math.Min(TrinoResults.ChunkRows, rowCount - done));
            var reader = chunk == 0 ? Reader() : Resume(chunks[chunk - 1]);
            while (rows.Count < rows.Capacity)
            {
                if (TrinoValueReader.Next(ref reader) != JsonTokenType.StartArray) throw new FormatException($"row {done + rows.Count} is not an array");
                rows.Add(decoder.ReadRow(ref reader));
            }
            done += rows.Count;
            if (done == rowCount) Release();
            yield return rows;
        }
    }

    /// <summary>Decodes the rows into Arrow columns (no object per value), then the buffer goes back to the pool.</summary>
    /// <exception cref="FormatException">A value is not of its column's type.</exception>
    public void AppendTo(TrinoArrowBatchBuilder builder)
    {
        var reader = Reader();
        builder.AppendRows(ref reader);
        Release();
    }

    /// <summary>Gives the buffer back without decoding (idempotent).</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } b) ArrayPool<byte>.Shared.Return(b);
    }

    /// <summary>A reader of the page's bytes from a saved point of the data array (just before a row).</summary>
    private Utf8JsonReader Resume((int Offset, JsonReaderState State) point)
    {
        var bytes = _buffer ?? throw new InvalidOperationException("the page has been read");
        return new Utf8JsonReader(bytes.AsSpan(point.Offset, start + length - point.Offset), isFinalBlock: true, point.State);
    }

    private Utf8JsonReader Reader()
    {
        var bytes = _buffer ?? throw new InvalidOperationException("the page has been read");
        var reader = new Utf8JsonReader(bytes.AsSpan(start, length), new JsonReaderOptions { MaxDepth = 256 });
        reader.Read(); // onto the data array's [
        return reader;
    }
}
