using System.Text.Json;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Decodes the rows of a result page (<c>"data": [[...], [...]]</c>) into one <c>object?[]</c> per row, each value
/// decoded by its column's <see cref="TrinoType"/> straight from the reader. One instance per result; it holds no
/// state between calls, so it may be shared.
/// </summary>
/// <remarks>
/// Decoding runs at a few million mixed rows a second on one core; keeping hundreds of thousands of rows of CLR
/// objects costs more than that in garbage collection (every value is an object the GC moves). For a result
/// that is kept whole (a DataFrame), <see cref="TrinoArrowBatchBuilder.AppendRows"/> decodes pages into Arrow
/// columns with no object per value; rows suit what is shown or handed on as it arrives.
/// </remarks>
public sealed class TrinoRowDecoder
{
    private readonly TrinoType[] _types;

    /// <summary>A decoder for rows of these columns.</summary>
    public TrinoRowDecoder(IReadOnlyList<TrinoColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns;
        _types = [.. columns.Select(c => c.Type)];
    }

    /// <summary>The columns, in row order.</summary>
    public IReadOnlyList<TrinoColumn> Columns { get; }

    /// <summary>
    /// Decodes one row. The reader is on the row's <c>[</c> and is left on its <c>]</c>; the row must be whole in
    /// the reader's buffer.
    /// </summary>
    /// <exception cref="FormatException">The row is not an array of one value per column, or a value is not of its column's type.</exception>
    public object?[] ReadRow(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new FormatException($"a row must be a JSON array, not {reader.TokenType}");
        var row = new object?[_types.Length];
        for (var i = 0; i < row.Length; i++)
        {
            if (TrinoValueReader.Next(ref reader) == JsonTokenType.EndArray) throw new FormatException($"a row has {i} values for {row.Length} columns");
            row[i] = _types[i].Read(ref reader);
        }
        if (TrinoValueReader.Next(ref reader) != JsonTokenType.EndArray) throw new FormatException($"a row has more than {row.Length} values for {row.Length} columns");
        return row;
    }

    /// <summary>
    /// Decodes every row of a <c>data</c> array into <paramref name="rows"/>. The reader is on the array's <c>[</c>
    /// and is left on its <c>]</c>; the array must be whole in the reader's buffer.
    /// </summary>
    /// <returns>The number of rows added.</returns>
    /// <exception cref="FormatException">The data is not an array of rows, or a row is bad (see <see cref="ReadRow"/>).</exception>
    public int ReadRows(ref Utf8JsonReader reader, ICollection<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (reader.TokenType != JsonTokenType.StartArray) throw new FormatException($"\"data\" must be a JSON array of rows, not {reader.TokenType}");
        var added = 0;
        while (TrinoValueReader.Next(ref reader) != JsonTokenType.EndArray)
        {
            rows.Add(ReadRow(ref reader));
            added++;
        }
        return added;
    }
}
