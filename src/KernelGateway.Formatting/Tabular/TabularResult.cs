using System.Data.Common;
using System.Reflection;

namespace KernelGateway.Formatting.Tabular;

/// <summary>Row limits of a tabular display. Defaults: 50 rows shown as HTML and text, 10,000 in the data resource.</summary>
public sealed record TabularLimits
{
    /// <summary>Rows shown in text/html and text/plain; 50 by default.</summary>
    public int DisplayRows { get; init; } = 50;

    /// <summary>Rows put in application/vnd.dataresource+json (what data explorers page through); 10,000 by default.</summary>
    public int DataResourceRows { get; init; } = 10_000;

    /// <summary>Characters of one cell in text/plain before it is cut with an ellipsis; 60 by default.</summary>
    public int PlainCellWidth { get; init; } = 60;

    /// <summary>Whether to add text/csv of the displayed rows; false by default.</summary>
    public bool IncludeCsv { get; init; }

    /// <summary>Throws when a limit is not positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public TabularLimits Validated()
    {
        if (DisplayRows <= 0) throw new ArgumentOutOfRangeException(nameof(DisplayRows), DisplayRows, "must be positive");
        if (DataResourceRows <= 0) throw new ArgumentOutOfRangeException(nameof(DataResourceRows), DataResourceRows, "must be positive");
        if (PlainCellWidth < 4) throw new ArgumentOutOfRangeException(nameof(PlainCellWidth), PlainCellWidth, "must be at least 4");
        return this;
    }
}

/// <summary>
/// The part of a table that is displayed: the fields, the first rows (at most the larger limit), and what is
/// known of the rest. Reading stops at the limit: a 10M-row result is never materialized to be shown.
/// </summary>
public sealed class TabularResult
{
    private TabularResult(IReadOnlyList<TableField> fields, IReadOnlyList<object?[]> rows, bool more, long? total)
    {
        Fields = fields;
        Rows = rows;
        HasMoreRows = more;
        TotalRows = total;
    }

    /// <summary>The columns.</summary>
    public IReadOnlyList<TableField> Fields { get; }

    /// <summary>The rows read (values in field order; null for SQL NULL).</summary>
    public IReadOnlyList<object?[]> Rows { get; }

    /// <summary>Whether rows beyond <see cref="Rows"/> exist.</summary>
    public bool HasMoreRows { get; }

    /// <summary>The total row count, when known.</summary>
    public long? TotalRows { get; }

    /// <summary>Names made unique (<c>a</c>, <c>a_1</c>, ...) and never empty, as Table Schema requires.</summary>
    internal static IReadOnlyList<string> UniqueNames(IEnumerable<string?> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        var i = 0;
        foreach (var raw in names)
        {
            var name = string.IsNullOrEmpty(raw) ? $"column_{i}" : raw;
            var candidate = name;
            for (var n = 1; !seen.Add(candidate); n++) candidate = $"{name}_{n}";
            result.Add(candidate);
            i++;
        }
        return result;
    }

    /// <summary>Reads the first rows of a data reader (up to <see cref="TabularLimits.DataResourceRows"/>, plus one to know whether there are more).</summary>
    public static async Task<TabularResult> ReadAsync(DbDataReader reader, TabularLimits? limits = null, long? totalRows = null, CancellationToken cancellationToken = default)
    {
        var max = (limits ?? new TabularLimits()).Validated().DataResourceRows;
        var names = UniqueNames(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        var fields = new TableField[reader.FieldCount];
        for (var c = 0; c < fields.Length; c++)
        {
            var type = reader.GetFieldType(c);
            if (typeof(Stream).IsAssignableFrom(type)) type = typeof(byte[]); // DuckDB BLOBs; read into bytes below
            string? engineType = null;
            try { engineType = reader.GetDataTypeName(c); } catch (NotSupportedException) { }
            fields[c] = new TableField(names[c], TableSchemaTypes.For(type), type, engineType);
        }
        var rows = new List<object?[]>();
        var more = false;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (rows.Count == max) { more = true; break; }
            var row = new object?[fields.Length];
            for (var c = 0; c < row.Length; c++)
            {
                // The row is in memory once ReadAsync returns (the reader is not in sequential access), so the
                // per-cell checks need no await: an async call per cell cost more than reading the value.
                var value = reader.IsDBNull(c) ? null : reader.GetValue(c);
                if (value is Stream stream)
                {
                    using var copy = new MemoryStream();
                    await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                    value = copy.ToArray();
                }
                row[c] = value;
            }
            rows.Add(row);
        }
        return new TabularResult(fields, rows, more, totalRows ?? (more ? null : rows.Count));
    }

    /// <summary>A table from fields and rows (only the first rows up to the limit are kept).</summary>
    public static TabularResult FromRows(IReadOnlyList<(string Name, Type Type)> columns, IEnumerable<object?[]> rows, TabularLimits? limits = null, long? totalRows = null)
    {
        var max = (limits ?? new TabularLimits()).Validated().DataResourceRows;
        var names = UniqueNames(columns.Select(c => c.Name));
        var fields = columns.Select((c, i) => new TableField(names[i], TableSchemaTypes.For(c.Type), c.Type)).ToList();
        var kept = new List<object?[]>();
        var more = false;
        foreach (var row in rows)
        {
            if (kept.Count == max) { more = true; break; }
            if (row.Length != fields.Count) throw new ArgumentException($"row {kept.Count} has {row.Length} values for {fields.Count} columns", nameof(rows));
            kept.Add(row);
        }
        return new TabularResult(fields, kept, more, totalRows ?? (more ? null : kept.Count));
    }

    /// <summary>
    /// A table from fields already described (an engine's types, names made unique here) and the rows read of it;
    /// <paramref name="hasMoreRows"/> says the result goes on, <paramref name="totalRows"/> how far when known.
    /// </summary>
    public static TabularResult FromFields(IReadOnlyList<TableField> fields, IReadOnlyList<object?[]> rows, bool hasMoreRows, long? totalRows)
    {
        var names = UniqueNames(fields.Select(f => f.Name));
        var unique = fields.Select((f, i) => f with { Name = names[i] }).ToList();
        return new TabularResult(unique, rows, hasMoreRows || totalRows > rows.Count, totalRows ?? (hasMoreRows ? null : rows.Count));
    }

    /// <summary>A table from objects: one column per public readable property (records, anonymous types, POCOs).</summary>
    public static TabularResult FromObjects<T>(IEnumerable<T> items, TabularLimits? limits = null, long? totalRows = null)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();
        return FromRows(properties.Select(p => (p.Name, p.PropertyType)).ToList(),
            items.Select(item => properties.Select(p => item is null ? null : p.GetValue(item)).ToArray()), limits,
            totalRows ?? (items is IReadOnlyCollection<T> c ? c.Count : null));
    }
}
