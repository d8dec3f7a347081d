using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// What <c>DESCRIBE TABLE EXTENDED</c> says beyond the columns, read from its rows (<c>col_name</c>,
/// <c>data_type</c>, <c>comment</c>): the column rows, then sections opened by a <c>#</c> row — Hive-style
/// <c># Partition Information</c> (partition columns under a <c># col_name</c> header), v2's <c># Partitioning</c>
/// (<c>Part 0</c> = <c>days(ts)</c>), and <c># Detailed Table Information</c> (key/value rows: Owner, Location,
/// Provider, Comment, Statistics, Table Properties, View Text, ...). Sections it does not know are skipped.
/// </summary>
internal sealed partial record SparkTableDetails
{
    /// <summary>Detail rows kept as properties besides Table Properties (how the table is stored and made).</summary>
    private static readonly string[] KeptDetails =
        ["Created Time", "Created By", "Partition Provider", "Num Buckets", "Bucket Columns", "Sort Columns", "Serde Library", "InputFormat", "OutputFormat"];

    public string? Owner { get; init; }
    public string? Location { get; init; }
    public string? Provider { get; init; }
    public string? Comment { get; init; }
    public string? ViewText { get; init; }
    public string? PartitionSpec { get; init; }
    public IReadOnlySet<string> PartitionColumns { get; init; } = new HashSet<string>();
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
    public long? RowCount { get; init; }
    public long? SizeBytes { get; init; }

    public static SparkTableDetails Parse(IEnumerable<(string Name, string Value, string? Comment)> rows)
    {
        var section = "";
        var partitionColumns = new List<string>();
        var transforms = new List<string>();
        var detail = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (rawName, rawValue, _) in rows)
        {
            var (name, value) = (rawName.Trim(), rawValue.Trim());
            if (name.StartsWith('#'))
            {
                if (!name.StartsWith("# col_name", StringComparison.OrdinalIgnoreCase)) section = name;
                continue;
            }
            if (name.Length == 0) continue;
            switch (section)
            {
                case "# Partition Information": partitionColumns.Add(name); break;
                case "# Partitioning": transforms.Add(value); break;
                case "# Detailed Table Information": detail.TryAdd(name, value); break;
            }
        }
        var (rowCount, size) = Statistics(detail.GetValueOrDefault("Statistics"));
        var properties = TableProperties(detail.GetValueOrDefault("Table Properties"));
        foreach (var key in KeptDetails) if (detail.TryGetValue(key, out var v) && v.Length > 0) properties.TryAdd(key, v);
        var spec = transforms.Count > 0 ? transforms : partitionColumns;
        return new SparkTableDetails
        {
            Owner = Present(detail, "Owner"),
            Location = Present(detail, "Location"),
            Provider = Present(detail, "Provider"),
            Comment = Present(detail, "Comment"),
            ViewText = Present(detail, "View Text"),
            PartitionSpec = spec.Count == 0 ? null : string.Join(", ", spec),
            PartitionColumns = new HashSet<string>(partitionColumns.Concat(transforms.Select(IdentityColumn).OfType<string>()), StringComparer.Ordinal),
            Properties = properties,
            RowCount = rowCount,
            SizeBytes = size,
        };
    }

    private static string? Present(Dictionary<string, string> detail, string key) => detail.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    /// <summary><c>1234 bytes, 10 rows</c> (rows only once the table was analyzed).</summary>
    private static (long? Rows, long? Bytes) Statistics(string? text)
    {
        if (text is null) return (null, null);
        var bytes = BytesPattern().Match(text);
        var rows = RowsPattern().Match(text);
        return (rows.Success ? long.Parse(rows.Groups[1].Value, CultureInfo.InvariantCulture) : null,
            bytes.Success ? long.Parse(bytes.Groups[1].Value, CultureInfo.InvariantCulture) : null);
    }

    /// <summary><c>[k=v, k2=v2]</c>: a key runs to its <c>=</c>; a value runs to the next <c>, key=</c> or the closing bracket.</summary>
    private static Dictionary<string, string> TableProperties(string? text)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text is null || !text.StartsWith('[') || !text.EndsWith(']')) return properties;
        var body = text[1..^1];
        var keys = PropertyKeyPattern().Matches(body);
        for (var i = 0; i < keys.Count; i++)
        {
            var start = keys[i].Index + keys[i].Length;
            var end = i + 1 < keys.Count ? keys[i + 1].Index : body.Length;
            properties[keys[i].Groups[1].Value.Trim()] = body[start..end].TrimEnd(',', ' ');
        }
        return properties;
    }

    /// <summary>The column of an identity or single-column transform (<c>days(ts)</c>, <c>ts</c>), else null (<c>bucket(16, id)</c>).</summary>
    private static string? IdentityColumn(string transform)
    {
        var m = TransformPattern().Match(transform);
        return m.Success ? m.Groups["column"].Value : null;
    }

    [GeneratedRegex(@"(\d+) bytes")]
    private static partial Regex BytesPattern();

    [GeneratedRegex(@"(\d+) rows")]
    private static partial Regex RowsPattern();

    [GeneratedRegex(@"(?:^|, )([^=,\[\]]+)=")]
    private static partial Regex PropertyKeyPattern();

    [GeneratedRegex(@"^(?:(?:years|months|days|hours|identity)\()?`?(?<column>[^`(),\s]+)`?\)?$")]
    private static partial Regex TransformPattern();
}
