using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>A schema, table or column whose name or comment matched a search.</summary>
/// <param name="Address">The object's address; its <see cref="MetastoreAddress.Level"/> says what it is.</param>
/// <param name="TableKind">For a table, its kind; else null.</param>
/// <param name="Comment">The object's comment, or null.</param>
/// <param name="Match">How it matched; hits are ranked by it.</param>
public sealed record MetastoreSearchHit(
    [property: JsonPropertyName("address")] MetastoreAddress Address,
    [property: JsonPropertyName("table_kind")] MetastoreTableKind? TableKind,
    [property: JsonPropertyName("comment")] string? Comment,
    [property: JsonPropertyName("match")] MetastoreMatch Match)
{
    /// <summary>The object's name.</summary>
    [JsonPropertyName("name")] public string Name => Address.Name;

    /// <summary>What the object is: schema, table or column.</summary>
    [JsonPropertyName("level")] public MetastoreLevel Level => Address.Level;
}
