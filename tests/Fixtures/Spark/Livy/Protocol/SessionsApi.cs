using System.Text.Json.Nodes;
using KernelGateway.Tests.Fixtures.Spark.Livy.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Protocol;

/// <summary>Livy's <c>SessionServlet</c> and <c>InteractiveSessionServlet</c> for sessions: list, create, get (by id or name), state, log, delete.</summary>
internal static class SessionsApi
{
    private static readonly HashSet<string> CreateFields =
    [
        "kind", "proxyUser", "jars", "pyFiles", "files", "driverMemory", "driverCores", "executorMemory", "executorCores",
        "numExecutors", "archives", "queue", "name", "conf", "heartbeatTimeoutInSecond", "ttl", "idleTimeout",
    ];

    public static void MapSessions(this IEndpointRouteBuilder api, LivyBackend backend)
    {
        api.MapGet("/sessions", ctx => ListAsync(ctx, backend));
        api.MapPost("/sessions", ctx => CreateAsync(ctx, backend));
        api.MapGet("/sessions/{idOrName}", ctx => WithSession(ctx, backend, s => Answers.Json(ctx, 200, backend.Store.Read(s.ToJson))));
        api.MapGet("/sessions/{idOrName}/state", ctx => WithSession(ctx, backend,
            s => Answers.Json(ctx, 200, backend.Store.Read(() => new JsonObject { ["id"] = s.Id, ["state"] = s.State }))));
        api.MapGet("/sessions/{idOrName}/log", ctx => WithSession(ctx, backend, s => Log(ctx, s.Id, s.Log)));
        api.MapDelete("/sessions/{idOrName}", ctx => WithSession(ctx, backend, s =>
        {
            backend.Store.DeleteSession(s);
            return Answers.Message(ctx, 200, "deleted");
        }));
    }

    /// <summary>A log page: <c>{id, from, total, log}</c>.</summary>
    public static Task Log(HttpContext ctx, int id, AppLog log)
    {
        var (from, total, lines) = log.Page(Answers.Int(ctx, "from"), Answers.Int(ctx, "size"));
        return Answers.Json(ctx, 200, new JsonObject { ["id"] = id, ["from"] = from, ["total"] = total, ["log"] = new JsonArray([.. lines.Select(l => (JsonNode)l)]) });
    }

    private static async Task WithSession(HttpContext ctx, LivyBackend backend, Func<FakeSession, Task> action)
    {
        if (await backend.SessionAsync(ctx) is { } session) await action(session);
    }

    private static Task ListAsync(HttpContext ctx, LivyBackend backend)
    {
        var from = Answers.Int(ctx, "from") ?? 0;
        var size = Answers.Int(ctx, "size") ?? 100;
        var sessions = backend.Store.Sessions();
        var page = backend.Store.Read(() => sessions.Skip(from).Take(size).Select(s => (JsonNode)s.ToJson()).ToArray());
        return Answers.Json(ctx, 200, new JsonObject { ["from"] = from, ["total"] = sessions.Count, ["sessions"] = new JsonArray(page) });
    }

    private static async Task CreateAsync(HttpContext ctx, LivyBackend backend)
    {
        if (await Answers.BodyAsync(ctx, "org.apache.livy.server.interactive.CreateInteractiveRequest", CreateFields) is not { } body) return;
        var kind = "shared";
        if (body["kind"] is { } k)
        {
            if (Kind((string?)k) is not { } known)
            {
                await Answers.JsonString(ctx, 400, $"Invalid kind: {k.ToJsonString().Trim('"')}");
                return;
            }
            kind = known;
        }
        var session = backend.Store.AddSession(body, kind, backend.Gate.User(ctx), out var id);
        if (session is null)
        {
            await Answers.Message(ctx, 400, $"Rejected, Reason: Duplicate session name: Some({(string?)body["name"]}) for session {id}");
            return;
        }
        backend.Runtime.Start(session);
        await Answers.Json(ctx, 201, backend.Store.Read(session.ToJson), $"{backend.PathBase}/sessions/{id}");
    }

    /// <summary>Livy's <c>Kind.apply</c>, with its aliases.</summary>
    public static string? Kind(string? kind) => kind switch
    {
        "spark" or "scala" => "spark",
        "pyspark" or "python" => "pyspark",
        "sparkr" or "r" => "sparkr",
        "shared" => "shared",
        "sql" => "sql",
        _ => null,
    };
}
