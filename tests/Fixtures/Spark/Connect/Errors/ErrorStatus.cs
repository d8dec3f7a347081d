using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using KernelGateway.Tests.Fixtures.Spark.Connect.Sessions;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Errors;

/// <summary>
/// Spark errors as Spark Connect sends them (ErrorUtils.buildStatusFromThrowable): gRPC status INTERNAL, the message
/// abbreviated to 2048 characters, and a <c>google.rpc.Status</c> in <c>grpc-status-details-bin</c> holding an
/// ErrorInfo: reason the JVM exception class, domain <c>org.apache.spark</c>, metadata <c>classes</c> (the class
/// hierarchy as JSON), <c>sqlState</c>, <c>errorClass</c> and <c>messageParameters</c> (JSON; both left out when the
/// parameters exceed 1024 characters) and, when the session enriches errors (the default), <c>errorId</c> for
/// FetchErrorDetails.
/// </summary>
internal static class ErrorStatus
{
    private const int MaxMetadataSize = 1024;
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static RpcException ToRpc(Exception e, ConnectSession? session) => e switch
    {
        RpcException rpc => rpc,
        SparkError spark => ToRpc(spark, session),
        _ => ToRpc(SparkError.Internal(e.Message), session),
    };

    private static RpcException ToRpc(SparkError e, ConnectSession? session)
    {
        var info = new ErrorInfo { Reason = e.Jvm.Name, Domain = "org.apache.spark" };
        info.Metadata["classes"] = JsonSerializer.Serialize(e.Jvm.Hierarchy, Json);
        info.Metadata["sqlState"] = e.SqlState;
        var parameters = JsonSerializer.Serialize(e.Parameters, Json);
        if (parameters.Length <= MaxMetadataSize)
        {
            info.Metadata["errorClass"] = e.ErrorClass;
            info.Metadata["messageParameters"] = parameters;
        }
        if (session is { Config.EnrichErrors: true }) info.Metadata["errorId"] = session.KeepError(e);
        var status = new Google.Rpc.Status { Code = (int)Code.Internal, Message = Abbreviate(e.Message), Details = { Any.Pack(info) } };
        return status.ToRpcException();
    }

    /// <summary>Commons-lang abbreviate: at most 2048 characters, ending in "..." when cut.</summary>
    private static string Abbreviate(string message) => message.Length <= 2048 ? message : message[..2045] + "...";

    /// <summary>FetchErrorDetails' answer for an error (ErrorUtils.throwableToFetchErrorDetailsResponse): one error, the root.</summary>
    public static FetchErrorDetailsResponse Details(SparkError e)
    {
        var throwable = new FetchErrorDetailsResponse.Types.SparkThrowable { ErrorClass = e.ErrorClass, SqlState = e.SqlState };
        foreach (var (k, v) in e.Parameters) throwable.MessageParameters[k] = v;
        var error = new FetchErrorDetailsResponse.Types.Error { Message = e.Message, SparkThrowable = throwable };
        error.ErrorTypeHierarchy.Add(e.Jvm.Hierarchy);
        return new FetchErrorDetailsResponse { RootErrorIdx = 0, Errors = { error } };
    }
}
