using System.Reflection;
using System.Text.Json.Nodes;

namespace KernelGateway.Gateway.ApiInfo;

/// <summary><c>GET /api</c>: the server's version.</summary>
public static class ApiInfoApi
{
    private static readonly string Version =
        typeof(ApiInfoApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Maps <c>GET /api</c>.</summary>
    public static IEndpointRouteBuilder MapApiInfo(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api", () => Results.Json(new JsonObject { ["version"] = Version }, GatewayJsonContext.Default.JsonObject));
        return routes;
    }
}
