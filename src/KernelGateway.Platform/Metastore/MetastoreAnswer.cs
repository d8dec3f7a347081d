using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// A federated answer: the results of every connection that answered, and one error entry for each that did not
/// (failed, timed out, not supported) or answered only in part.
/// </summary>
/// <param name="Items">The results.</param>
/// <param name="Errors">One entry per connection that is missing or partial; empty when all answered.</param>
public sealed record MetastoreAnswer<T>(
    [property: JsonPropertyName("items")] IReadOnlyList<T> Items,
    [property: JsonPropertyName("errors")] IReadOnlyList<MetastoreError> Errors);
