using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>A named connection as the metastore sees it. Never carries the connection string.</summary>
/// <param name="Address">The connection's address (its name).</param>
/// <param name="Kind">The connection's kind (<c>duckdb</c>, <c>postgres</c>, ...).</param>
/// <param name="Description">The connection's description, if it has one.</param>
/// <param name="Supported">Whether the metastore can look inside it; false for kinds without a provider yet.</param>
public sealed record MetastoreConnection(
    [property: JsonPropertyName("address")] MetastoreAddress Address,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("supported")] bool Supported)
{
    /// <summary>The connection's name.</summary>
    [JsonPropertyName("name")] public string Name => Address.Connection;
}
