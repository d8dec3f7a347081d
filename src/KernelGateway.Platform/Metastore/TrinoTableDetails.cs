using System.Globalization;
using KernelGateway.Platform.Trino;
using static KernelGateway.Platform.Metastore.TrinoSqlNames;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// A table's details from <c>SHOW CREATE TABLE</c> (its DDL, comment and <c>WITH</c> properties) and from its
/// <c>"t$properties"</c> hidden table (Hive's table parameters in one row, Iceberg's <c>key</c>/<c>value</c> rows).
/// Either may be refused (a view, the memory connector's missing hidden tables): the table keeps what it had.
/// </summary>
internal static class TrinoTableDetails
{
    private static readonly HashSet<string> LocationKeys = new(StringComparer.Ordinal) { "location", "external_location" };

    /// <summary>The table with its DDL, format, location, partition keys and properties added.</summary>
    public static async Task<MetastoreTable> AddAsync(MetastoreTable table, OptionalTrinoQuery query, CancellationToken cancellationToken)
    {
        var a = table.Address;
        var ddl = query($"SHOW CREATE TABLE {Qualified(a.Catalog!, a.Schema!, a.Table!)}", cancellationToken);
        var hidden = query($"SELECT * FROM {Qualified(a.Catalog!, a.Schema!, a.Table! + "$properties")}", cancellationToken);
        await Task.WhenAll(ddl, hidden).ConfigureAwait(false);
        if (ddl.Result is { Rows: [[string text, ..], ..] }) table = WithDdl(table, text);
        return hidden.Result is { } parameters ? WithParameters(table, parameters) : table;
    }

    /// <summary>Adds what the DDL says (its properties win over the table's own).</summary>
    internal static MetastoreTable WithDdl(MetastoreTable table, string text)
    {
        var ddl = TrinoTableDdl.Parse(text);
        var properties = new Dictionary<string, string>(table.Properties, StringComparer.Ordinal);
        var keys = new List<string>();
        string? format = table.Format, location = table.Location, spec = table.PartitionSpec;
        foreach (var p in ddl.Properties)
        {
            switch (p.Name)
            {
                case "format": format = p.Value; break;
                case var l when LocationKeys.Contains(l): location = p.Value; break;
                case "partitioned_by" or "partitioning" when p.Items is { } items:
                    spec = p.Value;
                    keys.AddRange(items.Select(PartitionColumn));
                    break;
                default: properties[p.Name] = p.Value; break;
            }
        }
        return table with
        {
            Definition = text.Trim(),
            Comment = table.Comment ?? ddl.Comment,
            Format = format,
            Location = location,
            PartitionSpec = spec,
            Properties = properties,
            Columns = table.Columns.Select(c => keys.Contains(c.Name, StringComparer.Ordinal) ? c with { IsPartitionKey = true } : c).ToList(),
        };
    }

    /// <summary>Adds the hidden table's parameters that the DDL did not give; Hive's <c>numRows</c>/<c>totalSize</c> become the row count and size.</summary>
    internal static MetastoreTable WithParameters(MetastoreTable table, TrinoResult parameters)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var keyValue = parameters.Columns.Select(c => c.Name).SequenceEqual(["key", "value"]);
        foreach (var row in parameters.Rows)
        {
            if (keyValue) { if (row[0] is string k && row[1] is { } v) found[k] = Text(v); }
            else for (var i = 0; i < parameters.Columns.Count; i++) if (row[i] is { } v) found[parameters.Columns[i].Name] = Text(v);
        }
        var properties = new Dictionary<string, string>(table.Properties, StringComparer.Ordinal);
        foreach (var (k, v) in found) properties.TryAdd(k, v);
        return table with
        {
            Properties = properties,
            RowCount = table.RowCount ?? Long(found.GetValueOrDefault("numRows")),
            SizeBytes = table.SizeBytes ?? Long(found.GetValueOrDefault("totalSize")),
        };
    }

    /// <summary>The column of a partition entry: <c>ds</c>, <c>"Event Day"</c>, or a transform's first argument (<c>day(ts)</c>, <c>bucket(id, 16)</c>).</summary>
    internal static string PartitionColumn(string entry)
    {
        var open = entry.IndexOf('(');
        var name = (open < 0 ? entry : entry[(open + 1)..].Split(',', ')')[0]).Trim();
        return name.Length >= 2 && name[0] == '"' && name[^1] == '"' ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name;
    }

    private static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static long? Long(string? text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;
}
