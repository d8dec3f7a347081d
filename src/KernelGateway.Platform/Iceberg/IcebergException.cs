using System.Net;

namespace KernelGateway.Platform.Iceberg;

/// <summary>
/// A REST catalog answered with an error: the HTTP status and, from the spec's error body
/// <c>{"error": {"message", "type", "code"}}</c>, the code, the exception type (<c>NoSuchTableException</c>,
/// <c>NotAuthorizedException</c>, ...) and the message. The message never holds the client's token or secret.
/// </summary>
internal sealed class IcebergException(HttpStatusCode status, int code, string? type, string message, string? request = null, Exception? inner = null)
    : Exception($"Iceberg REST catalog: {(request is null ? "" : request + " answered ")}{code} {type ?? status.ToString()}: {message}", inner)
{
    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The error body's <c>code</c>, or the HTTP status when the body had none.</summary>
    public int Code { get; } = code;

    /// <summary>The error body's <c>type</c>, or null when the server sent none.</summary>
    public string? Type { get; } = type;

    /// <summary>The error body's <c>message</c> (or the HTTP reason).</summary>
    public string ServerMessage { get; } = message;

    /// <summary>Whether the namespace, table or view does not exist (404: <c>NoSuchNamespaceException</c>, <c>NoSuchTableException</c>, <c>NoSuchViewException</c>).</summary>
    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    /// <summary>Whether the namespace itself is missing (not just the table or view in it).</summary>
    public bool IsNoSuchNamespace => IsNotFound && Type == "NoSuchNamespaceException";

    /// <summary>An error of this client's own (an answer it cannot read), not of the server.</summary>
    public static IcebergException Unreadable(string request, string what, Exception? inner = null) =>
        new(HttpStatusCode.BadGateway, (int)HttpStatusCode.BadGateway, null, what, request, inner);
}
