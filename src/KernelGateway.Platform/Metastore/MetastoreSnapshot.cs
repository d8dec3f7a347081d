using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>A snapshot of a table format with history (Iceberg): what a commit did and when.</summary>
/// <param name="Id">The snapshot id.</param>
/// <param name="Timestamp">When it was committed.</param>
/// <param name="Operation">The operation (<c>append</c>, <c>overwrite</c>, <c>delete</c>, <c>replace</c>), when known.</param>
/// <param name="Summary">The snapshot's summary properties.</param>
public sealed record MetastoreSnapshot(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("operation")] string? Operation,
    [property: JsonPropertyName("summary")] IReadOnlyDictionary<string, string> Summary);
