using System.Net;

namespace KernelGateway.Platform.Iceberg;

/// <summary>
/// A REST catalog answered with an error: the HTTP status and, from the spec's error body, the exception type
/// (<c>NoSuchTableException</c>, <c>NotAuthorizedException</c>, ...) and message.
/// </summary>
internal sealed class IcebergException(HttpStatusCode status, string? type, string message, Exception? inner = null)
    : Exception($"Iceberg REST catalog: {(int)status} {type ?? status.ToString()}: {message}", inner)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The error body's <c>type</c>, or null when the server sent none.</summary>
    public string? Type { get; } = type;

    /// <summary>The error body's <c>message</c> (or the HTTP reason).</summary>
    public string ServerMessage { get; } = message;

    /// <summary>Whether the namespace, table or view does not exist.</summary>
    public bool IsNotFound => Status == HttpStatusCode.NotFound;
}
