using System.Data.Common;
using KernelGateway.Formatting.Tabular;
using Microsoft.Data.Analysis;

namespace KernelGateway.Extensions.Sql;

/// <summary>
/// Query results as Microsoft.Data.Analysis DataFrames, with the engine types its own loader rejects
/// (DateOnly becomes DateTime, decimals stay decimal, anything else becomes its string form).
/// </summary>
public static class DataFrames
{
    /// <summary>Reads every row of a reader into a DataFrame.</summary>
    public static Task<DataFrame> LoadAsync(DbDataReader reader, CancellationToken cancellationToken = default) =>
        KernelGateway.Platform.Warehouse.ReaderFrames.LoadAsync(reader, cancellationToken);

    /// <summary>The first rows of a DataFrame as a table to display, with its total row count.</summary>
    public static TabularResult Preview(DataFrame frame, TabularLimits limits)
    {
        var columns = frame.Columns.Select(c => (c.Name, c.DataType)).ToList();
        var rows = Enumerable.Range(0, (int)Math.Min(frame.Rows.Count, limits.DataResourceRows))
            .Select(r => frame.Columns.Select(c => c[r]).ToArray());
        return TabularResult.FromRows(columns, rows, limits, frame.Rows.Count);
    }
}
