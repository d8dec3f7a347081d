using System.Net;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// A Livy request failed: the server answered with an HTTP error (its <c>{"msg": ...}</c> is in the message), it
/// could not be reached, or retries ran out. The message names the method and path; credentials are never in it.
/// </summary>
public class LivyException : Exception
{
    /// <summary>A failed request.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="statusCode">The HTTP status, when the server answered.</param>
    /// <param name="method">The request's method.</param>
    /// <param name="path">The request's path relative to the server's base URL, e.g. <c>sessions/3/statements</c>.</param>
    /// <param name="serverMessage">Livy's own message, when it sent one.</param>
    /// <param name="inner">The underlying failure.</param>
    public LivyException(string message, HttpStatusCode? statusCode = null, string? method = null, string? path = null, string? serverMessage = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Method = method;
        Path = path;
        ServerMessage = serverMessage;
    }

    /// <summary>The HTTP status of the failing response, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The request's method (GET, POST, DELETE), when the failure belongs to one request.</summary>
    public string? Method { get; }

    /// <summary>The request's path relative to the server's base URL.</summary>
    public string? Path { get; }

    /// <summary>Livy's message (<c>msg</c> of its JSON answer, or the text of an error page), when it sent one.</summary>
    public string? ServerMessage { get; }
}
