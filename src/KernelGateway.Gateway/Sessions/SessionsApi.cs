using System.Text.Json.Nodes;
using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Policy;

namespace KernelGateway.Gateway.Sessions;

/// <summary><c>GET/POST /api/sessions</c> and <c>GET/PATCH/DELETE /api/sessions/{id}</c>.</summary>
public static class SessionsApi
{
    /// <summary>Maps the session routes.</summary>
    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder routes)
    {
        var sessions = routes.MapGroup("/api/sessions");

        sessions.MapGet("", (SessionManager manager, GatewayOptions options) =>
        {
            if (!options.ListKernels) throw new GatewayException(403, "Forbidden: listing sessions is disabled (KG_LIST_KERNELS)");
            return Results.Json(manager.List().ToList(), GatewayJsonContext.Default.ListSessionModel);
        });

        sessions.MapPost("", async (HttpRequest request, SessionManager manager, CancellationToken cancellationToken) =>
        {
            var body = await RequestBody.ReadObjectAsync(request, cancellationToken);
            var kernel = body["kernel"] as JsonObject ?? [];
            var path = body.String("path") ?? (body["notebook"] as JsonObject)?.String("path") ?? "";
            var session = await manager.CreateAsync(path, body.String("name") ?? "", body.String("type") ?? "notebook",
                kernel.String("id"), kernel.String("name"), kernel.StringMap("env"), cancellationToken);
            return Results.Json(session, GatewayJsonContext.Default.SessionModel, statusCode: 201);
        });

        sessions.MapGet("/{id}", (string id, SessionManager manager) =>
            Results.Json(manager.Get(id), GatewayJsonContext.Default.SessionModel));

        sessions.MapMethods("/{id}", ["PATCH"], async (string id, HttpRequest request, SessionManager manager, CancellationToken cancellationToken) =>
        {
            var body = await RequestBody.ReadObjectAsync(request, cancellationToken);
            var kernel = body["kernel"] as JsonObject;
            var session = await manager.UpdateAsync(id, body.String("path") ?? (body["notebook"] as JsonObject)?.String("path"),
                body.String("name"), body.String("type"), kernel?.String("id"), kernel?.String("name"), cancellationToken);
            return Results.Json(session, GatewayJsonContext.Default.SessionModel);
        });

        sessions.MapDelete("/{id}", async (string id, SessionManager manager, CancellationToken cancellationToken) =>
        {
            await manager.DeleteAsync(id, cancellationToken);
            return Results.NoContent();
        });
        return routes;
    }
}
