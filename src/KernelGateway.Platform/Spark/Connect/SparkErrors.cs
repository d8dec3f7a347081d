using System.Text.Json;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using KernelGateway.Platform.Spark.Connect.Proto;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// Turns gRPC failures into <see cref="SparkConnectException"/>s the way Spark's clients read them: the status
/// message is the server's message, and a <c>google.rpc.ErrorInfo</c> in the status details (the
/// <c>grpc-status-details-bin</c> trailer) carries, in its metadata, <c>errorClass</c>, <c>sqlState</c>,
/// <c>errorId</c>, <c>messageParameters</c> (a JSON object), <c>classes</c> and, when enabled on the server,
/// <c>stackTrace</c>; its reason is the server-side exception class. The same keys are also read from plain
/// trailers, for servers or proxies that send them there.
/// </summary>
internal static class SparkErrors
{
    /// <summary>The error class of an operation stopped by an interrupt.</summary>
    public const string OperationCanceled = "OPERATION_CANCELED";

    /// <summary>The failure of a call, with what the server said about it.</summary>
    public static SparkConnectException FromRpc(RpcException e, Uri endpoint, string? operationId = null)
    {
        var info = ErrorInfoOf(e);
        string? Value(string key) =>
            info is not null && info.Metadata.TryGetValue(key, out var v) && v.Length > 0 ? v
            : e.Trailers.GetValue(key.ToLowerInvariant()) is { Length: > 0 } t ? t : null;
        var detail = e.Status.Detail;
        var message = info is null && e.Status.DebugException is not null
            ? $"Spark Connect server {endpoint.Authority}: {(detail.Length > 0 ? detail : e.StatusCode.ToString())} ({e.StatusCode})"
            : detail.Length > 0 ? detail : $"the Spark Connect call failed with status {e.StatusCode}";
        return new SparkConnectException(message, e.StatusCode, e)
        {
            ErrorClass = Value("errorClass"),
            SqlState = Value("sqlState"),
            ErrorId = Value("errorId"),
            ExceptionType = info is { Reason.Length: > 0 } ? info.Reason : null,
            MessageParameters = Parameters(Value("messageParameters")),
            ServerStackTrace = Value("stackTrace"),
            OperationId = operationId,
        };
    }

    /// <summary>Whether a failure is the server saying the operation was interrupted.</summary>
    public static bool IsCanceled(SparkConnectException e) => e.ErrorClass == OperationCanceled;

    /// <summary>The same failure with the error chain <c>FetchErrorDetails</c> returned.</summary>
    public static SparkConnectException WithDetails(SparkConnectException e, FetchErrorDetailsResponse details)
    {
        var chain = Chain(details);
        if (chain.Count == 0) return e;
        var root = chain[0];
        return new SparkConnectException(e.Message, e.StatusCode, e.InnerException)
        {
            ServerMessage = e.ServerMessage,
            ErrorClass = e.ErrorClass ?? root.ErrorClass,
            SqlState = e.SqlState ?? root.SqlState,
            ErrorId = e.ErrorId,
            ExceptionType = e.ExceptionType ?? root.ExceptionTypes.FirstOrDefault(),
            MessageParameters = e.MessageParameters.Count > 0 ? e.MessageParameters : root.MessageParameters,
            ServerStackTrace = e.ServerStackTrace ?? StackText(chain),
            Errors = chain,
            OperationId = e.OperationId,
        };
    }

    /// <summary>The errors from the root along its causes; a cause index out of range or seen before ends the chain.</summary>
    public static IReadOnlyList<SparkServerError> Chain(FetchErrorDetailsResponse details)
    {
        var chain = new List<SparkServerError>();
        var seen = new HashSet<int>();
        int? index = details.HasRootErrorIdx ? details.RootErrorIdx : null;
        while (index is { } i && i >= 0 && i < details.Errors.Count && seen.Add(i))
        {
            var error = details.Errors[i];
            chain.Add(Describe(error));
            index = error.HasCauseIdx ? error.CauseIdx : null;
        }
        return chain;
    }

    private static SparkServerError Describe(FetchErrorDetailsResponse.Types.Error error)
    {
        var spark = error.SparkThrowable;
        return new SparkServerError
        {
            ExceptionTypes = [.. error.ErrorTypeHierarchy],
            Message = error.Message,
            ErrorClass = spark is { HasErrorClass: true } ? spark.ErrorClass : null,
            SqlState = spark is { HasSqlState: true } ? spark.SqlState : null,
            MessageParameters = spark?.MessageParameters.ToDictionary(p => p.Key, p => p.Value) ?? new Dictionary<string, string>(),
            QueryContexts = spark?.QueryContexts.Select(q => new SparkQueryContext(q.ObjectType, q.ObjectName, q.StartIndex, q.StopIndex, q.Fragment, q.Summary)).ToList() ?? [],
            StackTrace = error.StackTrace.Select(f => $"{f.DeclaringClass}.{f.MethodName}({(f.HasFileName ? f.FileName : "Unknown Source")}:{f.LineNumber})").ToList(),
        };
    }

    private static string? StackText(IReadOnlyList<SparkServerError> chain)
    {
        if (chain.All(e => e.StackTrace.Count == 0)) return null;
        return string.Join("\nCaused by: ", chain.Select(e => $"{e.ExceptionTypes.FirstOrDefault()}: {e.Message}\n\tat {string.Join("\n\tat ", e.StackTrace)}"));
    }

    private static ErrorInfo? ErrorInfoOf(RpcException e)
    {
        try
        {
            return e.GetRpcStatus()?.GetDetail<ErrorInfo>();
        }
        catch (InvalidProtocolBufferException)
        {
            return null; // a malformed grpc-status-details-bin: the status message is all there is
        }
    }

    /// <summary>Spark's <c>messageParameters</c>: a JSON object of strings (other values kept as their JSON text).</summary>
    private static Dictionary<string, string> Parameters(string? json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json is null) return result;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return result;
            foreach (var p in document.RootElement.EnumerateObject())
                result[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        }
        catch (JsonException)
        {
            // unreadable parameters: the message still says it all
        }
        return result;
    }
}
