using System.Globalization;
using DuckDB.NET.Data;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// The live data files of one table: Parquet files DuckDB writes under <c>{location}/data/</c>, and the snapshot
/// summary of each commit, counted from the real files (records by reading them back, sizes from the disk), with the
/// names Iceberg's snapshot summaries use. Files a commit removes stay on disk, as older snapshots still name them.
/// Not thread-safe: the catalog state calls it under its lock.
/// </summary>
internal sealed class IcebergTableData(string location)
{
    private readonly List<DataFile> _live = [];

    private sealed record DataFile(string Path, long Records, long Size);

    /// <summary>Applies <paramref name="operation"/> to the data and returns the snapshot summary, <c>operation</c> first.</summary>
    /// <param name="operation"><c>append</c> (adds the rows), <c>overwrite</c> (the rows replace every file), <c>delete</c> (drops every file) or <c>replace</c> (rewrites every file into one, same rows).</param>
    /// <param name="rows">A DuckDB query whose rows are written (append, overwrite); null for delete and replace.</param>
    /// <exception cref="ArgumentException">An unknown operation, or rows given or missing against what it needs.</exception>
    public Dictionary<string, string> Commit(string operation, string? rows)
    {
        var needsRows = operation is "append" or "overwrite";
        if (operation is not ("append" or "overwrite" or "delete" or "replace"))
            throw new ArgumentException($"operation '{operation}' is not one of append, overwrite, delete, replace");
        if (needsRows != rows is not null) throw new ArgumentException(needsRows ? $"{operation} needs rows (a DuckDB query)" : $"{operation} takes no rows");
        if (operation == "replace" && _live.Count == 0) throw new ArgumentException("replace needs data files to rewrite");
        List<DataFile> removed = operation == "append" ? [] : [.. _live];
        var source = operation == "replace" ? $"SELECT * FROM read_parquet([{string.Join(", ", removed.Select(f => Literal(f.Path)))}])" : rows;
        List<DataFile> added = source is null ? [] : [Write(source)];
        _live.RemoveAll(removed.Contains);
        _live.AddRange(added);

        var summary = new Dictionary<string, string> { ["operation"] = operation };
        void Count(string key, long value, bool always = false)
        {
            if (always || value != 0) summary[key] = value.ToString(CultureInfo.InvariantCulture);
        }
        Count("added-data-files", added.Count);
        Count("deleted-data-files", removed.Count);
        Count("added-records", added.Sum(f => f.Records));
        Count("deleted-records", removed.Sum(f => f.Records));
        Count("added-files-size", added.Sum(f => f.Size));
        Count("removed-files-size", removed.Sum(f => f.Size));
        Count("total-data-files", _live.Count, always: true);
        Count("total-records", _live.Sum(f => f.Records), always: true);
        Count("total-files-size", _live.Sum(f => f.Size), always: true);
        Count("total-delete-files", 0, always: true);
        Count("total-position-deletes", 0, always: true);
        Count("total-equality-deletes", 0, always: true);
        return summary;
    }

    private DataFile Write(string select)
    {
        var file = Path.Combine(location, "data", $"{Guid.NewGuid():N}.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using (var copy = db.CreateCommand())
        {
            copy.CommandText = $"COPY ({select}) TO {Literal(file)} (FORMAT PARQUET)";
            copy.ExecuteNonQuery();
        }
        using var count = db.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM read_parquet({Literal(file)})";
        var records = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        return new DataFile(file, records, new FileInfo(file).Length);
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
