using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// Why one connection is missing from (or partial in) a federated answer. The message never holds the connection
/// string or a secret from it.
/// </summary>
/// <param name="Connection">The connection's name.</param>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">What went wrong, in words.</param>
public sealed record MetastoreError(
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("kind")] MetastoreErrorKind Kind,
    [property: JsonPropertyName("message")] string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Connection}: {Message}";
}
