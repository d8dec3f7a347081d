using KernelGateway.Gateway.Policy;
using KernelGateway.Platform.Metastore;

namespace KernelGateway.Gateway.Metastore;

/// <summary>
/// The one place where the metastore's failures become HTTP statuses: unknown name 404, a connection kind without
/// a provider 501 (the server does not implement lookups there yet), an unusable connection entry 503 (the server's
/// own configuration), the engine failed or was unreachable 502, the engine did not answer in time 504. A malformed
/// address (an empty part, a bad limit) is 400. Messages are the metastore's own, which never hold a secret.
/// </summary>
internal static class MetastoreStatus
{
    /// <summary>The status a failure of <paramref name="kind"/> is reported with.</summary>
    public static int Of(MetastoreErrorKind kind) => kind switch
    {
        MetastoreErrorKind.NotFound => StatusCodes.Status404NotFound,
        MetastoreErrorKind.NotSupported => StatusCodes.Status501NotImplemented,
        MetastoreErrorKind.Unusable => StatusCodes.Status503ServiceUnavailable,
        MetastoreErrorKind.TimedOut => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status502BadGateway,
    };

    /// <summary>An endpoint filter turning the metastore's exceptions into <see cref="GatewayException"/>s with their status.</summary>
    public static async ValueTask<object?> MapFailuresAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (MetastoreException e)
        {
            throw new GatewayException(Of(e.Kind), e.Message);
        }
        catch (ArgumentException e)
        {
            // Thrown for a bad address or limit before any engine is asked: its message carries no connection string.
            throw new GatewayException(StatusCodes.Status400BadRequest, e.Message.Split(" (Parameter")[0]);
        }
    }

    /// <summary>Throws for the first error entry of a one-connection answer (e.g. its server is down), so it gets its status.</summary>
    public static void ThrowIfFailed(IReadOnlyList<MetastoreError> errors)
    {
        if (errors is [var first, ..]) throw new GatewayException(Of(first.Kind), first.Message);
    }
}
