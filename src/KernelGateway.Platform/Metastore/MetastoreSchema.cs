using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>A schema (database, namespace) of a catalog.</summary>
/// <param name="Address"><c>connection.catalog.schema</c></param>
/// <param name="Comment">The schema's comment, or null.</param>
/// <param name="Owner">The owning role, where the engine has one.</param>
public sealed record MetastoreSchema(
    [property: JsonPropertyName("address")] MetastoreAddress Address,
    [property: JsonPropertyName("comment")] string? Comment,
    [property: JsonPropertyName("owner")] string? Owner)
{
    /// <summary>The schema's name.</summary>
    [JsonPropertyName("name")] public string Name => Address.Name;
}
