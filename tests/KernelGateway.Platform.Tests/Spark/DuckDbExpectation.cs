using System.Globalization;
using DuckDB.NET.Data;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>Expected results computed with DuckDB directly (not through the client under test), on the same test table.</summary>
internal static class DuckDbExpectation
{
    /// <summary>The rows of <paramref name="sql"/> over <see cref="SparkServer.Numbers"/>, each as its values' invariant text joined by '|'.</summary>
    public static async Task<List<string>> RowsAsync(string sql)
    {
        await using var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync();
        await using (var create = db.CreateCommand())
        {
            create.CommandText = SparkServer.NumbersDuckDb;
            await create.ExecuteNonQueryAsync();
        }
        await using var query = db.CreateCommand();
        query.CommandText = sql;
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Text(reader.IsDBNull(i) ? null : reader.GetValue(i)))));
        return rows;
    }

    /// <summary>A value as invariant text, the same for the CLR types DuckDB, DataFrames and Arrow use for one SQL value.</summary>
    public static string Text(object? value) => value switch
    {
        null or DBNull => "null",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t when t.TimeOfDay == TimeSpan.Zero => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
