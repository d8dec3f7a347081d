using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>A catalog: a DuckDB database (attached or the main one), a PostgreSQL database, a Trino catalog.</summary>
/// <param name="Address"><c>connection.catalog</c></param>
/// <param name="Comment">The catalog's comment, or null.</param>
/// <param name="IsDefault">Whether unqualified names in the connection's SQL resolve here; three-part addresses <c>connection.schema.table</c> use it.</param>
/// <param name="Properties">Engine details (for DuckDB: <c>path</c>, <c>type</c>, <c>readonly</c>; for PostgreSQL: <c>owner</c>, <c>encoding</c>).</param>
public sealed record MetastoreCatalog(
    [property: JsonPropertyName("address")] MetastoreAddress Address,
    [property: JsonPropertyName("comment")] string? Comment,
    [property: JsonPropertyName("is_default")] bool IsDefault,
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>The catalog's name.</summary>
    [JsonPropertyName("name")] public string Name => Address.Name;
}
