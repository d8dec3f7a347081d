using KernelGateway.Gateway.Kernels;

namespace KernelGateway.Gateway.Metrics;

/// <summary><c>GET /metrics</c>: the gateway's metrics in the Prometheus text format, behind the token unless <c>KG_METRICS_PUBLIC</c>.</summary>
public static class MetricsApi
{
    /// <summary>The content type of the Prometheus text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Maps <c>GET /metrics</c>.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", async (HttpContext context, CancellationToken cancellationToken) =>
        {
            var metrics = context.RequestServices.GetRequiredService<GatewayMetrics>();
            context.Response.ContentType = ContentType;
            await metrics.WriteAsync(context.Response.Body, cancellationToken);
        });
        return routes;
    }
}
