namespace KernelGateway.Gateway.Policy;

/// <summary>
/// A failure with the HTTP status it is reported with; the error middleware turns it into
/// JSON <c>{reason, message}</c>.
/// </summary>
public sealed class GatewayException(int statusCode, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status code, e.g. 404 for an unknown kernel.</summary>
    public int StatusCode { get; } = statusCode;
}
