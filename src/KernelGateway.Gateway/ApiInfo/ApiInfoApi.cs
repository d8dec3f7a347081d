using System.Reflection;
using System.Text.Json.Nodes;
using KernelGateway.Gateway.Kernels;

namespace KernelGateway.Gateway.ApiInfo;

/// <summary><c>GET /api</c>: the server's version; <c>GET /api/status</c>: what it is doing.</summary>
public static class ApiInfoApi
{
    private static readonly string Version =
        typeof(ApiInfoApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static readonly DateTimeOffset Started = DateTimeOffset.UtcNow;

    /// <summary>Maps <c>GET /api</c> and <c>GET /api/status</c>.</summary>
    public static IEndpointRouteBuilder MapApiInfo(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api", () => Results.Json(new JsonObject { ["version"] = Version }, GatewayJsonContext.Default.JsonObject));
        routes.MapGet("/api/status", (KernelManager manager) => Results.Json(Status(manager), GatewayJsonContext.Default.JsonObject));
        return routes;
    }

    /// <summary>
    /// Jupyter Server's status model (<c>started</c>, <c>last_activity</c>, <c>connections</c>, <c>kernels</c>), and the
    /// prespawn pool: warm kernels ready to be taken, and those starting or warming up.
    /// </summary>
    private static JsonObject Status(KernelManager manager)
    {
        var kernels = manager.Kernels;
        var lastActivity = kernels.Select(k => k.LastActivity).DefaultIfEmpty(Started).Max();
        var (ready, starting) = manager.PoolCounts;
        return new JsonObject
        {
            ["started"] = ManagedKernel.FormatTimestamp(Started),
            ["last_activity"] = ManagedKernel.FormatTimestamp(lastActivity),
            ["connections"] = kernels.Sum(k => k.Connections),
            ["kernels"] = kernels.Count,
            ["prespawn"] = new JsonObject { ["ready"] = ready, ["starting"] = starting },
        };
    }
}
