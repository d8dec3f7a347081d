using System.Text.Json;
using Apache.Arrow;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Builds Arrow record batches from decoded rows (as <see cref="TrinoRowDecoder"/> returns them) or straight from
/// the JSON rows of result pages, one column per Trino column, typed by <see cref="TrinoType.ArrowType"/>: arrays become lists, rows structs, maps Arrow maps,
/// and values Arrow has no exact type for (intervals, <c>time with time zone</c>, values kept as text) their
/// Trino text. Each field carries its Trino type name in the metadata key <c>trino.type</c>.
/// Not thread-safe: one builder per result. A row that fails (a value not of its column's type) may have reached
/// some columns already, so after an exception the builder is to be dropped, not built.
/// </summary>
public sealed class TrinoArrowBatchBuilder
{
    /// <summary>The field metadata key holding the column's Trino type name (<see cref="TrinoType.DisplayName"/>).</summary>
    public const string TrinoTypeMetadataKey = "trino.type";

    private readonly ArrowColumnBuilder[] _columns;

    /// <summary>A builder of batches of these columns.</summary>
    public TrinoArrowBatchBuilder(IReadOnlyList<TrinoColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Schema = new Schema(
            columns.Select(c => new Field(c.Name, c.Type.ArrowType, nullable: true, [new KeyValuePair<string, string>(TrinoTypeMetadataKey, c.Type.DisplayName)])),
            metadata: null);
        _columns = [.. columns.Select(c => ArrowColumnBuilder.For(c.Type))];
    }

    /// <summary>The schema of every batch built.</summary>
    public Schema Schema { get; }

    /// <summary>Rows appended since the last <see cref="Build"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Appends a row: one decoded value (or null) per column, in column order.</summary>
    /// <exception cref="ArgumentException">The row has the wrong number of values, or a value is not of its column's type.</exception>
    public void Append(ReadOnlySpan<object?> row)
    {
        if (row.Length != _columns.Length) throw new ArgumentException($"a row of {row.Length} values for {_columns.Length} columns", nameof(row));
        for (var i = 0; i < _columns.Length; i++) _columns[i].Append(row[i]);
        Count++;
    }

    /// <summary>Appends a row: one decoded value (or null) per column, in column order.</summary>
    /// <exception cref="ArgumentException">The row has the wrong number of values, or a value is not of its column's type.</exception>
    public void Append(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Append(row.AsSpan());
    }

    /// <summary>
    /// Appends a row of a result page straight from its JSON, with no CLR value per scalar (numbers, dates,
    /// timestamps and strings go from the reader's bytes into the columns). The reader is on the row's <c>[</c> and
    /// is left on its <c>]</c>; the row must be whole in the reader's buffer.
    /// </summary>
    /// <exception cref="FormatException">The row is not an array of one value per column, or a value is not of its column's type.</exception>
    public void AppendRow(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new FormatException($"a row must be a JSON array, not {reader.TokenType}");
        for (var i = 0; i < _columns.Length; i++)
        {
            if (TrinoValueReader.Next(ref reader) == JsonTokenType.EndArray) throw new FormatException($"a row has {i} values for {_columns.Length} columns");
            _columns[i].AppendJson(ref reader);
        }
        if (TrinoValueReader.Next(ref reader) != JsonTokenType.EndArray) throw new FormatException($"a row has more than {_columns.Length} values for {_columns.Length} columns");
        Count++;
    }

    /// <summary>
    /// Appends every row of a page's <c>data</c> array (see <see cref="AppendRow"/>). The reader is on the array's
    /// <c>[</c> and is left on its <c>]</c>.
    /// </summary>
    /// <returns>The number of rows appended.</returns>
    /// <exception cref="FormatException">The data is not an array of rows, or a row is bad.</exception>
    public int AppendRows(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new FormatException($"\"data\" must be a JSON array of rows, not {reader.TokenType}");
        var added = 0;
        while (TrinoValueReader.Next(ref reader) != JsonTokenType.EndArray)
        {
            AppendRow(ref reader);
            added++;
        }
        return added;
    }

    /// <summary>The batch of the rows appended since the last call; the builder starts empty again.</summary>
    public RecordBatch Build()
    {
        var arrays = _columns.Select(c => ArrowArrayFactory.BuildArray(c.Build())).ToList();
        var batch = new RecordBatch(Schema, arrays, Count);
        Count = 0;
        return batch;
    }
}
