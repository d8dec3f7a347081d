using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>One partition of a partitioned table.</summary>
/// <param name="Address">The partition's own table address (it may live in another schema than its parent).</param>
/// <param name="Bound">The partition's bound as the engine writes it, e.g. <c>FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')</c>.</param>
public sealed record MetastorePartition(
    [property: JsonPropertyName("address")] MetastoreAddress Address,
    [property: JsonPropertyName("bound")] string? Bound)
{
    /// <summary>The partition's table name.</summary>
    [JsonPropertyName("name")] public string Name => Address.Name;
}
