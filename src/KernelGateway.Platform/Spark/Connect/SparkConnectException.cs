using Grpc.Core;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// A Spark Connect call failed: the server reported an error (a failed query comes with gRPC status
/// <see cref="StatusCode.Internal"/> and Spark's error class, SQLSTATE and message parameters), the server could not
/// be reached, or it answered something the protocol does not allow. The message is the server's own; tokens are
/// never in it.
/// </summary>
public class SparkConnectException : Exception
{
    /// <summary>A failure with a message, the gRPC status of the failed call and what caused it.</summary>
    public SparkConnectException(string message, StatusCode statusCode = StatusCode.Unknown, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        ServerMessage = message;
    }

    /// <summary>The gRPC status code of the failed call (<see cref="StatusCode.Internal"/> for errors of a query).</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The server's message as sent (Spark's starts with <c>[ERROR_CLASS]</c>).</summary>
    public string ServerMessage { get; init; }

    /// <summary>Spark's error class (condition), e.g. <c>PARSE_SYNTAX_ERROR</c>, <c>TABLE_OR_VIEW_NOT_FOUND</c>.</summary>
    public string? ErrorClass { get; init; }

    /// <summary>The SQLSTATE, e.g. <c>42601</c>.</summary>
    public string? SqlState { get; init; }

    /// <summary>The server's id of the error, for <c>FetchErrorDetails</c> (when the server keeps details).</summary>
    public string? ErrorId { get; init; }

    /// <summary>The server-side exception class, e.g. <c>org.apache.spark.sql.catalyst.parser.ParseException</c>.</summary>
    public string? ExceptionType { get; init; }

    /// <summary>The values of the error class's message template, e.g. <c>relationName</c>.</summary>
    public IReadOnlyDictionary<string, string> MessageParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The server's stack trace, when the server sends it (off by default on Spark servers).</summary>
    public string? ServerStackTrace { get; init; }

    /// <summary>The server's errors from <c>FetchErrorDetails</c>, the error first and then its causes; empty when not fetched.</summary>
    public IReadOnlyList<SparkServerError> Errors { get; init; } = [];

    /// <summary>The operation that failed, for executions.</summary>
    public string? OperationId { get; init; }
}
