using System.Text.Json.Nodes;
using KernelGateway.Tests.Fixtures.Spark.Livy.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Protocol;

/// <summary>Livy's <c>BatchSessionServlet</c>: list, submit (201 + Location; the file is required), get, state, log, delete. Batches have no heartbeat.</summary>
internal static class BatchesApi
{
    private static readonly HashSet<string> CreateFields =
    [
        "file", "proxyUser", "className", "args", "jars", "pyFiles", "files", "driverMemory", "driverCores", "executorMemory",
        "executorCores", "numExecutors", "archives", "queue", "name", "conf",
    ];

    public static void MapBatches(this IEndpointRouteBuilder api, LivyBackend backend)
    {
        api.MapGet("/batches", ctx => ListAsync(ctx, backend));
        api.MapPost("/batches", ctx => SubmitAsync(ctx, backend));
        api.MapGet("/batches/{id}", ctx => WithBatch(ctx, backend, b => Answers.Json(ctx, 200, backend.Store.Read(b.ToJson))));
        api.MapGet("/batches/{id}/state", ctx => WithBatch(ctx, backend, b => Answers.Json(ctx, 200, backend.Store.Read(() => new JsonObject { ["id"] = b.Id, ["state"] = b.State }))));
        api.MapGet("/batches/{id}/log", ctx => WithBatch(ctx, backend, b => SessionsApi.Log(ctx, b.Id, b.Log)));
        api.MapDelete("/batches/{id}", ctx => WithBatch(ctx, backend, b =>
        {
            backend.Store.DeleteBatch(b);
            return Answers.Message(ctx, 200, "deleted");
        }));
    }

    private static Task ListAsync(HttpContext ctx, LivyBackend backend)
    {
        var from = Answers.Int(ctx, "from") ?? 0;
        var size = Answers.Int(ctx, "size") ?? 100;
        var batches = backend.Store.Batches();
        var page = backend.Store.Read(() => batches.Skip(from).Take(size).Select(b => (JsonNode)b.ToJson()).ToArray());
        return Answers.Json(ctx, 200, new JsonObject { ["from"] = from, ["total"] = batches.Count, ["sessions"] = new JsonArray(page) });
    }

    private static async Task SubmitAsync(HttpContext ctx, LivyBackend backend)
    {
        if (await Answers.BodyAsync(ctx, "org.apache.livy.server.batch.CreateBatchRequest", CreateFields) is not { } body) return;
        if (body["file"] is null)
        {
            await Answers.Message(ctx, 400, "Rejected, Reason: requirement failed: File is required.");
            return;
        }
        var batch = backend.Store.AddBatch(body, backend.Gate.User(ctx));
        await Answers.Json(ctx, 201, backend.Store.Read(batch.ToJson), $"{backend.PathBase}/batches/{batch.Id}");
    }

    private static Task WithBatch(HttpContext ctx, LivyBackend backend, Func<FakeBatch, Task> action)
    {
        var id = (string)ctx.Request.RouteValues["id"]!;
        var batch = int.TryParse(id, out var n) ? backend.Store.FindBatch(n) : backend.Store.Batches().FirstOrDefault(b => b.Name == id);
        return batch is null ? Answers.NoSession(ctx, id) : action(batch);
    }
}
