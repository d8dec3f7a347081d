using System.Text.Json.Nodes;
using KernelGateway.Tests.Fixtures.Spark.Livy.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Protocol;

/// <summary>
/// Livy's <c>InteractiveSessionServlet</c> for statements: list, submit (201 + Location), get, cancel. Submitting or
/// cancelling needs the driver up (else 500, Livy's <c>IllegalStateException</c>); reading needs the session active
/// (else 400 "requirement failed: Session isn't active.").
/// </summary>
internal static class StatementsApi
{
    private static readonly HashSet<string> ExecuteFields = ["code", "kind"];

    public static void MapStatements(this IEndpointRouteBuilder api, LivyBackend backend)
    {
        api.MapGet("/sessions/{idOrName}/statements", ctx => WithActive(ctx, backend, s => ListAsync(ctx, backend, s)));
        api.MapPost("/sessions/{idOrName}/statements", ctx => WithRunning(ctx, backend, s => SubmitAsync(ctx, backend, s)));
        api.MapGet("/sessions/{idOrName}/statements/{statementId:int}", ctx => WithActive(ctx, backend, s => WithStatement(ctx, backend, s,
            st => Answers.Json(ctx, 200, backend.Store.Read(st.ToJson)))));
        api.MapPost("/sessions/{idOrName}/statements/{statementId:int}/cancel", ctx => WithRunning(ctx, backend, s => WithStatement(ctx, backend, s, st =>
        {
            backend.Runtime.Cancel(st);
            return Answers.Message(ctx, 200, "canceled");
        })));
    }

    private static Task ListAsync(HttpContext ctx, LivyBackend backend, FakeSession session)
    {
        var all = backend.Store.Read(() => session.Statements.Select(s => s.ToJson()).ToList());
        if (ctx.Request.Query["order"].ToString().Trim().Equals("desc", StringComparison.OrdinalIgnoreCase)) all.Reverse();
        var from = Answers.Int(ctx, "from") ?? 0;
        var size = Answers.Int(ctx, "size") ?? all.Count;
        return Answers.Json(ctx, 200, new JsonObject { ["total_statements"] = all.Count, ["statements"] = new JsonArray([.. all.Skip(from).Take(size)]) });
    }

    private static async Task SubmitAsync(HttpContext ctx, LivyBackend backend, FakeSession session)
    {
        if (await Answers.BodyAsync(ctx, "org.apache.livy.ExecuteRequest", ExecuteFields) is not { } body) return;
        var given = (string?)body["kind"];
        var kind = given is null ? session.Kind : SessionsApi.Kind(given);
        if (kind is null or "shared")
        {
            var why = kind is null ? $"java.lang.IllegalArgumentException: Invalid kind: {given}" : "java.lang.IllegalArgumentException: Code type should be specified if session kind is shared";
            await Answers.JsonString(ctx, 500, "java.util.concurrent.ExecutionException: " + why);
            return;
        }
        FakeStatement statement = null!;
        backend.Store.Update(() =>
        {
            statement = new FakeStatement(session.Statements.Count, (string?)body["code"] ?? "", kind);
            session.Statements.Add(statement);
        });
        session.Queue.Writer.TryWrite(statement);
        await Answers.Json(ctx, 201, backend.Store.Read(statement.ToJson), $"{backend.PathBase}/sessions/{session.Id}/statements/{statement.Id}");
    }

    private static async Task WithActive(HttpContext ctx, LivyBackend backend, Func<FakeSession, Task> action)
    {
        if (await backend.SessionAsync(ctx) is not { } session) return;
        if (!LivyBackend.IsActive(backend.Store.Read(() => session.State))) await Answers.Message(ctx, 400, "requirement failed: Session isn't active.");
        else await action(session);
    }

    private static async Task WithRunning(HttpContext ctx, LivyBackend backend, Func<FakeSession, Task> action)
    {
        if (await backend.SessionAsync(ctx) is not { } session) return;
        var state = backend.Store.Read(() => session.State);
        if (!LivyBackend.IsRunning(state)) await Answers.JsonString(ctx, 500, $"java.lang.IllegalStateException: Session is in state {state}");
        else await action(session);
    }

    private static Task WithStatement(HttpContext ctx, LivyBackend backend, FakeSession session, Func<FakeStatement, Task> action)
    {
        var id = int.Parse((string)ctx.Request.RouteValues["statementId"]!, System.Globalization.CultureInfo.InvariantCulture);
        var statement = backend.Store.Read(() => session.Statements.FirstOrDefault(s => s.Id == id));
        return statement is null ? Answers.JsonString(ctx, 404, "Statement not found") : action(statement);
    }
}
