using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>A table as a schema listing shows it: name, kind and comment, nothing that costs a lookup per table.</summary>
/// <param name="Address"><c>connection.catalog.schema.table</c></param>
/// <param name="Kind">Table, view, materialized view, ...</param>
/// <param name="Comment">The table's comment, or null.</param>
/// <param name="PartitionOf">For a partition of a partitioned table, the parent table; else null.</param>
public sealed record MetastoreTableSummary(
    [property: JsonPropertyName("address")] MetastoreAddress Address,
    [property: JsonPropertyName("kind")] MetastoreTableKind Kind,
    [property: JsonPropertyName("comment")] string? Comment,
    [property: JsonPropertyName("partition_of")] MetastoreAddress? PartitionOf = null)
{
    /// <summary>The table's name.</summary>
    [JsonPropertyName("name")] public string Name => Address.Name;
}
