using Grpc.Core;
using Grpc.Core.Interceptors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Service;

/// <summary>Records every call (before authentication, so refused calls are recorded too): method, session, user, headers.</summary>
internal sealed class CallRecorder(ServerState state) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Record(request, context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Record(request, context);
        return continuation(request, responseStream, context);
    }

    private void Record(object request, ServerCallContext context)
    {
        var spark = request as ISparkRequest;
        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        state.Calls.Add(new SparkConnectCall(method, spark?.SessionId, spark?.UserContext?.UserId, Headers(context), DateTimeOffset.UtcNow));
    }

    /// <summary>The request headers by lower-case name, repeated ones joined with ", ", binary ones in base64.</summary>
    public static IReadOnlyDictionary<string, string> Headers(ServerCallContext context) =>
        context.RequestHeaders
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h.IsBinary ? Convert.ToBase64String(h.ValueBytes) : h.Value)), StringComparer.OrdinalIgnoreCase);
}
