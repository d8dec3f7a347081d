using System.Net;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// The Trino protocol failed: the coordinator answered with an HTTP error, a response could not be read, or
/// retries ran out. The message says which, with the server's own text; credentials are never in it.
/// </summary>
public class TrinoException : Exception
{
    /// <summary>A protocol failure.</summary>
    public TrinoException(string message, HttpStatusCode? statusCode = null, string? queryId = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        QueryId = queryId;
    }

    /// <summary>The HTTP status of the failing response, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The query, when it had been given an id.</summary>
    public string? QueryId { get; }
}

/// <summary>
/// The query failed on the server (an <c>error</c> in the query results): bad SQL, a missing table, a runtime
/// failure. Carries Trino's error name, type and code, and where in the statement it went wrong.
/// </summary>
public sealed class TrinoQueryException : TrinoException
{
    /// <summary>A failed query.</summary>
    public TrinoQueryException(string queryId, string serverMessage, string? errorName, string? errorType, int? errorCode,
        string? sqlState, int? line, int? column, string? failureType)
        : base(Describe(queryId, serverMessage, errorName), null, queryId)
    {
        ServerMessage = serverMessage;
        ErrorName = errorName;
        ErrorType = errorType;
        ErrorCode = errorCode;
        SqlState = sqlState;
        Line = line;
        Column = column;
        FailureType = failureType;
    }

    /// <summary>The server's message as sent (e.g. <c>line 1:8: Column 'x' cannot be resolved</c>).</summary>
    public string ServerMessage { get; }

    /// <summary>Trino's error name, e.g. <c>SYNTAX_ERROR</c>, <c>TABLE_NOT_FOUND</c>.</summary>
    public string? ErrorName { get; }

    /// <summary><c>USER_ERROR</c>, <c>INTERNAL_ERROR</c>, <c>INSUFFICIENT_RESOURCES</c> or <c>EXTERNAL</c>.</summary>
    public string? ErrorType { get; }

    /// <summary>Trino's numeric error code.</summary>
    public int? ErrorCode { get; }

    /// <summary>The SQLSTATE, when the server sends one.</summary>
    public string? SqlState { get; }

    /// <summary>The statement line of the error (1-based), when the server says.</summary>
    public int? Line { get; }

    /// <summary>The column of the error (1-based), when the server says.</summary>
    public int? Column { get; }

    /// <summary>The server-side exception type (<c>failureInfo.type</c>).</summary>
    public string? FailureType { get; }

    /// <summary>True for errors in the user's query (<c>USER_ERROR</c>) rather than the cluster.</summary>
    public bool IsUserError => ErrorType == "USER_ERROR";

    private static string Describe(string queryId, string message, string? errorName) =>
        errorName is null ? $"{message} (query {queryId})" : $"{message} ({errorName}, query {queryId})";
}
