using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Policy;

namespace KernelGateway.Gateway.Kernels;

/// <summary>
/// <c>GET/POST /api/kernels</c>, <c>GET/DELETE /api/kernels/{id}</c>, <c>POST /api/kernels/{id}/interrupt</c> and
/// <c>POST /api/kernels/{id}/restart</c>: policy (listing, limits, env filtering) over <see cref="KernelManager"/>.
/// </summary>
public static class KernelsApi
{
    /// <summary>Maps the kernel routes.</summary>
    public static IEndpointRouteBuilder MapKernels(this IEndpointRouteBuilder routes)
    {
        var kernels = routes.MapGroup("/api/kernels");

        kernels.MapGet("", (KernelManager manager, GatewayOptions options) =>
        {
            if (!options.ListKernels) throw new GatewayException(403, "Forbidden: listing kernels is disabled (KG_LIST_KERNELS)");
            return Results.Json(manager.Kernels.Select(k => k.ToModel()).ToList(), GatewayJsonContext.Default.ListKernelModel);
        });

        kernels.MapPost("", async (HttpRequest request, KernelManager manager, CancellationToken cancellationToken) =>
        {
            var body = await RequestBody.ReadObjectAsync(request, cancellationToken);
            var kernel = await manager.StartAsync(body.String("name"), body.StringMap("env"), cancellationToken);
            return Results.Json(kernel.ToModel(), GatewayJsonContext.Default.KernelModel, statusCode: 201);
        });

        kernels.MapGet("/{id}", (string id, KernelManager manager) =>
            Results.Json(manager.Get(id).ToModel(), GatewayJsonContext.Default.KernelModel));

        kernels.MapDelete("/{id}", async (string id, KernelManager manager, CancellationToken cancellationToken) =>
        {
            await manager.ShutdownAsync(id, cancellationToken);
            return Results.NoContent();
        });

        kernels.MapPost("/{id}/interrupt", async (string id, KernelManager manager, CancellationToken cancellationToken) =>
        {
            await manager.InterruptAsync(id, cancellationToken);
            return Results.NoContent();
        });

        kernels.MapPost("/{id}/restart", async (string id, KernelManager manager, CancellationToken cancellationToken) =>
        {
            var kernel = await manager.RestartAsync(id, cancellationToken);
            return Results.Json(kernel.ToModel(), GatewayJsonContext.Default.KernelModel);
        });
        return routes;
    }
}
