using System.Globalization;
using System.Text;
using System.Text.Json;
using KernelGateway.Platform.Metastore;

namespace KernelGateway.Extensions.Metastore;

/// <summary>The metastore's answers as the tables <c>%metastore</c> shows, one function per command.</summary>
internal static class MetastoreViews
{
    public static MetastoreView Connections(MetastoreAnswer<MetastoreConnection> connections, MetastoreAnswer<MetastoreCatalog> catalogs)
    {
        var rows = connections.Items.Select(c =>
        {
            var mine = catalogs.Items.Where(k => k.Address.Connection.Equals(c.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            return new object?[] { c.Name, c.Kind, c.Supported, string.Join(", ", mine.Select(k => MetastoreAddress.Quote(k.Name))), mine.FirstOrDefault(k => k.IsDefault)?.Name, c.Description };
        }).ToList();
        return One([("connection", typeof(string)), ("kind", typeof(string)), ("supported", typeof(bool)), ("catalogs", typeof(string)), ("default_catalog", typeof(string)), ("description", typeof(string))],
            rows, connections.Errors.Concat(catalogs.Errors).Distinct().ToList());
    }

    public static MetastoreView Catalogs(MetastoreAnswer<MetastoreCatalog> catalogs) =>
        One([("address", typeof(string)), ("connection", typeof(string)), ("catalog", typeof(string)), ("is_default", typeof(bool)), ("comment", typeof(string))],
            catalogs.Items.Select(k => new object?[] { k.Address.ToString(), k.Address.Connection, k.Name, k.IsDefault, k.Comment }).ToList(), catalogs.Errors);

    public static MetastoreView Schemas(IReadOnlyList<MetastoreSchema> schemas) =>
        One([("address", typeof(string)), ("schema", typeof(string)), ("owner", typeof(string)), ("comment", typeof(string))],
            schemas.Select(s => new object?[] { s.Address.ToString(), s.Name, s.Owner, s.Comment }).ToList(), []);

    public static MetastoreView Tables(IReadOnlyList<MetastoreTableSummary> tables, string? like)
    {
        var pattern = like is null ? null : new LikePattern(like);
        return One([("address", typeof(string)), ("table", typeof(string)), ("kind", typeof(string)), ("comment", typeof(string)), ("partition_of", typeof(string))],
            tables.Where(t => pattern is null || pattern.IsMatch(t.Name))
                .Select(t => new object?[] { t.Address.ToString(), t.Name, Words(t.Kind), t.Comment, t.PartitionOf?.ToString() }).ToList(), []);
    }

    public static MetastoreView Search(MetastoreAnswer<MetastoreSearchHit> hits) =>
        One([("rank", typeof(int)), ("address", typeof(string)), ("level", typeof(string)), ("kind", typeof(string)), ("match", typeof(string)), ("comment", typeof(string))],
            hits.Items.Select((h, i) => new object?[] { i + 1, h.Address.ToString(), Words(h.Level), h.TableKind is { } k ? Words(k) : null, Words(h.Match), h.Comment }).ToList(), hits.Errors);

    /// <summary>The table's columns, then its partitions, properties and snapshots when it has any.</summary>
    public static MetastoreView Describe(MetastoreTable table)
    {
        var sections = new List<MetastoreSection>
        {
            new(null, [("position", typeof(int)), ("column", typeof(string)), ("engine_type", typeof(string)), ("table_schema_type", typeof(string)), ("nullable", typeof(bool)), ("partition_key", typeof(bool)), ("comment", typeof(string))],
                table.Columns.Select(c => new object?[] { c.Position, c.Name, c.EngineType, c.TableSchemaType, c.Nullable, c.IsPartitionKey, c.Comment }).ToList()),
        };
        if (table.Partitions.Count > 0)
            sections.Add(new("Partitions", [("partition", typeof(string)), ("bound", typeof(string))], table.Partitions.Select(p => new object?[] { p.Address.ToString(), p.Bound }).ToList()));
        if (table.Properties.Count > 0)
            sections.Add(new("Properties", [("key", typeof(string)), ("value", typeof(string))], table.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new object?[] { p.Key, p.Value }).ToList()));
        if (table.Snapshots.Count > 0)
            // Ids as text: they are 64-bit identifiers, which a JSON number would round in JavaScript frontends.
            sections.Add(new("Snapshots", [("id", typeof(string)), ("timestamp", typeof(DateTimeOffset)), ("operation", typeof(string)), ("summary", typeof(string))],
                table.Snapshots.Select(s => new object?[] { s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Timestamp, s.Operation, JsonSerializer.Serialize(s.Summary) }).ToList()));
        return new MetastoreView(sections, [], Heading(table));
    }

    private static string Heading(MetastoreTable table)
    {
        var text = new StringBuilder().Append(table.Address).Append(" (").Append(Words(table.Kind)).Append(')');
        void Add(string label, object? value)
        {
            if (value is not null) text.Append('\n').Append(label).Append(": ").Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
        Add("comment", table.Comment);
        Add("owner", table.Owner);
        Add("rows", table.RowCount);
        Add("size (bytes)", table.SizeBytes);
        Add("format", table.Format);
        Add("location", table.Location);
        Add("partitioned by", table.PartitionSpec);
        Add("partition of", table.PartitionOf);
        return text.ToString();
    }

    private static MetastoreView One(IReadOnlyList<(string, Type)> columns, IReadOnlyList<object?[]> rows, IReadOnlyList<MetastoreError> errors) =>
        new([new MetastoreSection(null, columns, rows)], errors);

    /// <summary>An enum value as the JSON and HTTP answers spell it: <c>MaterializedView</c> → <c>materialized_view</c>.</summary>
    internal static string Words<T>(T value) where T : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
