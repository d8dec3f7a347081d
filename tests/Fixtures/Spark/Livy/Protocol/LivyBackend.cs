using KernelGateway.Tests.Fixtures.Spark.Livy.Engine;
using Microsoft.AspNetCore.Http;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Protocol;

/// <summary>What the endpoints share: the sessions and batches, the drivers, the gate (for the authenticated user), the path base.</summary>
internal sealed record LivyBackend(LivyStore Store, SessionRuntime Runtime, RequestGate Gate, string PathBase)
{
    /// <summary>Livy's <c>SessionState.isActive</c>: false once shutting down, dead, killed or finished.</summary>
    public static bool IsActive(string state) => state is not ("shutting_down" or "dead" or "killed" or "success");

    /// <summary>Livy's <c>ensureRunning</c>: the driver is up (the REPL idle or busy).</summary>
    public static bool IsRunning(string state) => state is "idle" or "busy";

    /// <summary>A session by the route's <c>idOrName</c>, counting the request as its heartbeat; null (and 404 answered) when unknown.</summary>
    public async Task<FakeSession?> SessionAsync(HttpContext ctx)
    {
        var idOrName = (string)ctx.Request.RouteValues["idOrName"]!;
        var session = Store.FindSession(idOrName);
        if (session is null)
        {
            await Answers.NoSession(ctx, idOrName);
            return null;
        }
        Store.Heartbeat(session);
        return session;
    }
}
