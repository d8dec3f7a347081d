using System.Globalization;
using KernelGateway.Platform.Iceberg;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// A table's or view's Iceberg metadata as a metastore description. Properties add what the metadata says beside the
/// table's own properties: <c>format-version</c>, <c>table-uuid</c>, <c>metadata-location</c>, <c>current-snapshot-id</c>
/// and the default <c>sort-order</c> (a view: its SQL <c>dialect</c> and <c>metadata-location</c>).
/// </summary>
internal static class IcebergTableDescription
{
    public static MetastoreTable Of(MetastoreAddress address, IcebergLoadTable loaded)
    {
        var m = loaded.Metadata;
        var properties = m.Properties ?? [];
        var spec = m.DefaultSpec;
        var fields = m.CurrentSchema?.Fields ?? [];
        var partitionSources = spec?.Fields.Where(f => f.Transform != "void").Select(f => f.SourceId).ToHashSet() ?? [];
        var summary = m.CurrentSnapshot?.Summary;
        return new MetastoreTable
        {
            Address = address,
            Kind = MetastoreTableKind.Table,
            Comment = properties.GetValueOrDefault("comment"),
            Owner = properties.GetValueOrDefault("owner"),
            Location = m.Location,
            Format = properties.GetValueOrDefault("write.format.default") ?? "parquet",
            PartitionSpec = spec is null || spec.Fields.Count == 0 ? null : string.Join(", ", spec.Fields.Select(f => Transform(f, fields))),
            Properties = WithFacts(properties, m, loaded.MetadataLocation),
            RowCount = Number(summary, "total-records"),
            SizeBytes = Number(summary, "total-files-size"),
            Columns = Columns(address, fields, partitionSources),
            Snapshots = (m.Snapshots ?? []).OrderBy(s => s.TimestampMs).ThenBy(s => s.SnapshotId).Select(Snapshot).ToList(),
        };
    }

    public static MetastoreTable Of(MetastoreAddress address, IcebergLoadView loaded)
    {
        var m = loaded.Metadata;
        var sql = m.CurrentVersion?.Representations?.FirstOrDefault(r => r.Type == "sql");
        var properties = new Dictionary<string, string>(m.Properties ?? [], StringComparer.Ordinal);
        if (sql?.Dialect is { } dialect) properties["dialect"] = dialect;
        if (loaded.MetadataLocation is { } location) properties["metadata-location"] = location;
        return new MetastoreTable
        {
            Address = address,
            Kind = MetastoreTableKind.View,
            Comment = m.Properties?.GetValueOrDefault("comment"),
            Owner = m.Properties?.GetValueOrDefault("owner"),
            Location = m.Location,
            Definition = sql?.Sql,
            Properties = properties,
            Columns = Columns(address, m.CurrentSchema?.Fields ?? [], []),
        };
    }

    private static List<MetastoreColumn> Columns(MetastoreAddress table, List<IcebergField> fields, HashSet<int> partitionSources) =>
        fields.Select((f, i) =>
        {
            var type = IcebergTypes.Text(f.Type);
            return new MetastoreColumn(table.Child(f.Name), type, IcebergTypes.TableSchemaType(type), !f.Required, f.Doc, i + 1, partitionSources.Contains(f.Id));
        }).ToList();

    /// <summary><c>day(ordered_on)</c>, <c>bucket[16](id)</c>, <c>ordered_on</c> for identity.</summary>
    private static string Transform(IcebergPartitionField field, List<IcebergField> columns)
    {
        var source = columns.FirstOrDefault(c => c.Id == field.SourceId)?.Name ?? $"#{field.SourceId}";
        return field.Transform == "identity" ? source : $"{field.Transform}({source})";
    }

    private static IReadOnlyDictionary<string, string> WithFacts(Dictionary<string, string> properties, IcebergTableMetadata m, string? metadataLocation)
    {
        var all = new Dictionary<string, string>(properties, StringComparer.Ordinal) { ["format-version"] = m.FormatVersion.ToString(CultureInfo.InvariantCulture) };
        if (m.TableUuid is { } uuid) all["table-uuid"] = uuid;
        if (metadataLocation is not null) all["metadata-location"] = metadataLocation;
        if (m.CurrentSnapshotId is { } current and not -1) all["current-snapshot-id"] = current.ToString(CultureInfo.InvariantCulture);
        var order = m.SortOrders?.FirstOrDefault(o => o.OrderId == m.DefaultSortOrderId);
        if (order is { Fields.Count: > 0 })
        {
            var columns = m.CurrentSchema?.Fields ?? [];
            all["sort-order"] = string.Join(", ", order.Fields.Select(f =>
                $"{Transform(new IcebergPartitionField(f.SourceId, null, "", f.Transform), columns)} {f.Direction.ToUpperInvariant()} {f.NullOrder.Replace('-', ' ').ToUpperInvariant()}"));
        }
        return all;
    }

    private static MetastoreSnapshot Snapshot(IcebergSnapshot s)
    {
        var summary = new Dictionary<string, string>(s.Summary ?? [], StringComparer.Ordinal);
        summary.Remove("operation", out var operation);
        return new MetastoreSnapshot(s.SnapshotId, DateTimeOffset.FromUnixTimeMilliseconds(s.TimestampMs), operation, summary);
    }

    private static long? Number(Dictionary<string, string>? summary, string key) =>
        summary?.GetValueOrDefault(key) is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
