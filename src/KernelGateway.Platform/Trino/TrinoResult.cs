namespace KernelGateway.Platform.Trino;

/// <summary>A whole query result held in memory: columns with their Trino types, rows, and what the server reported.</summary>
public sealed class TrinoResult
{
    internal TrinoResult(string queryId, IReadOnlyList<TrinoColumn> columns, IReadOnlyList<object?[]> rows, TrinoStats? stats,
        string? updateType, long? updateCount, IReadOnlyList<string> warnings)
    {
        QueryId = queryId;
        Columns = columns;
        Rows = rows;
        Stats = stats;
        UpdateType = updateType;
        UpdateCount = updateCount;
        Warnings = warnings;
    }

    /// <summary>The query id.</summary>
    public string QueryId { get; }

    /// <summary>The columns.</summary>
    public IReadOnlyList<TrinoColumn> Columns { get; }

    /// <summary>The rows (values in column order; null for SQL NULL).</summary>
    public IReadOnlyList<object?[]> Rows { get; }

    /// <summary>The final statistics.</summary>
    public TrinoStats? Stats { get; }

    /// <summary>For statements that change things: <c>INSERT</c>, <c>CREATE TABLE</c>, ...</summary>
    public string? UpdateType { get; }

    /// <summary>Rows changed, when the server says.</summary>
    public long? UpdateCount { get; }

    /// <summary>Warnings the server attached.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>A value by row index and column name.</summary>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public object? this[int row, string column] => Rows[row][Ordinal(column)];

    /// <summary>The index of a column (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public int Ordinal(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (string.Equals(Columns[i].Name, column, StringComparison.OrdinalIgnoreCase)) return i;
        throw new KeyNotFoundException($"no column '{column}' (columns: {string.Join(", ", Columns.Select(c => c.Name))})");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Rows.Count:N0} rows × {Columns.Count} columns (query {QueryId})";
}
