using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Service;

/// <summary>
/// With a required token, every call must carry <c>Authorization: Bearer {token}</c>, else UNAUTHENTICATED "No
/// authentication token provided" or "Invalid authentication token", as Spark's PreSharedKeyAuthenticationInterceptor.
/// The comparison takes constant time.
/// </summary>
internal sealed class BearerTokenInterceptor(ServerState state) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (state.Options.RequiredToken is not { } token) return;
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null) throw new RpcException(new Status(StatusCode.Unauthenticated, "No authentication token provided"));
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(header)))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Invalid authentication token"));
        }
    }
}
