using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using KernelGateway.Tests.Fixtures.Trino.Engine;
using Microsoft.AspNetCore.Http;

namespace KernelGateway.Tests.Fixtures.Trino.Protocol;

/// <summary>
/// The HTTP side of the coordinator: <c>POST /v1/statement</c>, GET and DELETE of the queued/executing URIs,
/// DELETE of partialCancelUri and of <c>/v1/query/{id}</c>, a small <c>GET /v1/query/{id}</c> and <c>/v1/info</c>.
/// Each request is its own error boundary: a bad one gets a 4xx/5xx and the server goes on.
/// </summary>
internal sealed class StatementHandler(TrinoServerOptions options, DuckDbEngine engine, TrinoFaults faults, Func<Uri> baseUri)
{
    private readonly RequestGuard _guard = new(options);
    private readonly string _coordinator = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..5];
    private int _sequence;

    public ConcurrentDictionary<string, TrinoQuery> Queries { get; } = new();
    public ConcurrentQueue<TrinoQuery> Order { get; } = new();
    public ConcurrentDictionary<string, TaskCompletionSource> Cancels { get; } = new();

    public async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        var parts = path.Trim('/').Split('/');
        if (parts is ["ui", ..]) { await Text(ctx, 200, "Trino protocol fixture"); return; }
        if (parts is ["v1", "info"]) { await Json(ctx, "{\"nodeVersion\":{\"version\":\"fixture\"},\"environment\":\"test\",\"coordinator\":true,\"starting\":false}"); return; }
        if (_guard.Check(ctx.Request) is { } refusal)
        {
            if (refusal.Challenge is { } challenge) ctx.Response.Headers.WWWAuthenticate = challenge;
            await Text(ctx, refusal.Status, refusal.Reason);
            return;
        }
        var method = ctx.Request.Method;
        switch (parts)
        {
            case ["v1", "statement"] when method == HttpMethods.Post: await PostAsync(ctx); break;
            case ["v1", "statement", "queued" or "executing", var id, var slug, var token] when method == HttpMethods.Get:
                await GetAsync(ctx, parts[2], id, slug, token);
                break;
            case ["v1", "statement", "queued" or "executing", var id, var slug, _] when method == HttpMethods.Delete:
                await CancelAsync(ctx, id, slug, leafOnly: false);
                break;
            case ["v1", "statement", "partialCancel", var id, _, var slug, _] when method == HttpMethods.Delete:
                await CancelAsync(ctx, id, slug, leafOnly: true);
                break;
            case ["v1", "query", var id] when method == HttpMethods.Delete: await CancelAsync(ctx, id, null, leafOnly: false); break;
            case ["v1", "query", var id] when method == HttpMethods.Get: await InfoAsync(ctx, id); break;
            default: await Text(ctx, 404, "Not found"); break;
        }
    }

    private async Task PostAsync(HttpContext ctx)
    {
        if (faults.TakePostFault() is { } status) { await Text(ctx, status, "Injected failure"); return; }
        string sql;
        using (var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8)) sql = await reader.ReadToEndAsync(ctx.RequestAborted);
        if (string.IsNullOrWhiteSpace(sql)) { await Text(ctx, 400, "SQL statement is empty"); return; }
        var session = ClientSession.Read(ctx.Request.Headers, _guard.Prefix, _guard.OtherPrefix, out var problem);
        if (session is null) { await Text(ctx, 400, problem ?? "Bad request"); return; }
        if (session.User is null) session = session.WithUser(options.RequiredBasic?.User ?? "bearer");
        var id = $"{DateTime.UtcNow:yyyyMMdd_HHmmss}_{Interlocked.Increment(ref _sequence):D5}_{_coordinator}";
        var query = new TrinoQuery(id, baseUri(), session, sql, new QueryRun(engine, session, sql, options), options);
        Queries[id] = query;
        Order.Enqueue(query);
        var (code, response) = await query.RespondAsync(0, "queued");
        await WriteAsync(ctx, query, code, response);
    }

    private async Task GetAsync(HttpContext ctx, string phase, string id, string slug, string tokenText)
    {
        if (faults.TakeGetFault() is { } fault)
        {
            if (fault.Status == 429) ctx.Response.Headers.RetryAfter = fault.RetryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Text(ctx, fault.Status, fault.Status == 429 ? "Too many requests" : "Injected failure");
            return;
        }
        if (!Queries.TryGetValue(id, out var query) || query.Slug != slug || !int.TryParse(tokenText, out var token))
        {
            await Text(ctx, 404, "Query not found");
            return;
        }
        var (status, response) = await query.RespondAsync(token, phase);
        await WriteAsync(ctx, query, status, response);
    }

    private async Task CancelAsync(HttpContext ctx, string id, string? slug, bool leafOnly)
    {
        if (!Queries.TryGetValue(id, out var query) || (slug is not null && query.Slug != slug))
        {
            await Text(ctx, 404, "Query not found");
            return;
        }
        query.Cancel(leafOnly);
        Cancels.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        ctx.Response.StatusCode = 204;
    }

    private async Task InfoAsync(HttpContext ctx, string id)
    {
        if (!Queries.TryGetValue(id, out var query)) { await Text(ctx, 404, "Query not found"); return; }
        var s = query.Snapshot();
        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["queryId"] = s.Id, ["state"] = s.State, ["query"] = s.Sql, ["self"] = $"{baseUri()}v1/query/{s.Id}",
        });
        await Json(ctx, json);
    }

    private async Task WriteAsync(HttpContext ctx, TrinoQuery query, int status, QueryResponse? response)
    {
        if (response is null)
        {
            await Text(ctx, status, status == 410 ? "Gone: this result was already acknowledged" : "Not found");
            return;
        }
        foreach (var (name, value) in response.Headers) ctx.Response.Headers.Append(_guard.Prefix + name, value);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = response.Body.Length;
        if (response.HasData)
        {
            var delay = options.PageDelay + faults.TakeDelay();
            if (delay > TimeSpan.Zero) await Task.Delay(delay, ctx.RequestAborted);
            if (faults.TakeDrop())
            {
                await ctx.Response.Body.WriteAsync(response.Body.AsMemory(0, response.Body.Length / 2), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                ctx.Abort();
                return;
            }
        }
        await ctx.Response.Body.WriteAsync(response.Body, ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        if (response.HasData && query.FirstDataPageSentTicks is null) query.FirstDataPageSentTicks = Stopwatch.GetTimestamp();
    }

    private static Task Json(HttpContext ctx, string json)
    {
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(json, ctx.RequestAborted);
    }

    private static Task Text(HttpContext ctx, int status, string text)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        return ctx.Response.WriteAsync(text, ctx.RequestAborted);
    }
}
