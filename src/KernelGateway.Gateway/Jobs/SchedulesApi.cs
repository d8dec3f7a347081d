using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Policy;
using KernelGateway.Jobs;
using KernelGateway.Jobs.Model;

namespace KernelGateway.Gateway.Jobs;

/// <summary>
/// Schedules: <c>GET /api/schedules</c>, <c>POST /api/schedules</c> (201; body: name, notebook (workspace path) or
/// content (notebook JSON), cron, time_zone, parameters, kernel, timeout (s), missed_runs, max_concurrency, paused),
/// <c>GET /api/schedules/{name}</c> (with snapshot history, next occurrences, recent runs), <c>PATCH
/// /api/schedules/{name}</c> (any of those fields; <c>snapshot: true</c>, a notebook or content takes a new snapshot;
/// <c>paused</c> pauses or resumes), <c>DELETE /api/schedules/{name}</c> (204), and the command routes <c>POST
/// /api/schedules/{name}/pause</c>, <c>/resume</c> and <c>/run</c> (run now, body: parameters; 202 with the run).
/// </summary>
internal static class SchedulesApi
{
    public static IEndpointRouteBuilder MapSchedules(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/schedules");
        group.AddEndpointFilter(JobsRequests.MapFailuresAsync);
        group.MapGet("", async (JobService jobs, HttpContext http) =>
            Json(JobsJson.Array(await jobs.ListSchedulesAsync(http.RequestAborted), JobsJson.Schedule)));
        group.MapPost("", AddAsync);
        group.MapGet("/{name}", async (string name, JobService jobs, HttpContext http) =>
            Json(JobsJson.Details(await jobs.ShowScheduleAsync(name, cancellationToken: http.RequestAborted))));
        group.MapPatch("/{name}", UpdateAsync);
        group.MapDelete("/{name}", async (string name, JobService jobs, HttpContext http) =>
        {
            await jobs.RemoveScheduleAsync(name, http.RequestAborted);
            return Results.NoContent();
        });
        group.MapPost("/{name}/pause", async (string name, JobService jobs, HttpContext http) => Json(JobsJson.Schedule(await jobs.PauseAsync(name, http.RequestAborted))));
        group.MapPost("/{name}/resume", async (string name, JobService jobs, HttpContext http) => Json(JobsJson.Schedule(await jobs.ResumeAsync(name, http.RequestAborted))));
        group.MapPost("/{name}/run", async (string name, JobService jobs, HttpContext http) =>
        {
            var body = await RequestBody.ReadObjectAsync(http.Request, http.RequestAborted);
            var run = await jobs.RunNowAsync(name, JobsRequests.Parameters(body), http.RequestAborted);
            return Results.Json(JobsJson.Run(run), GatewayJsonContext.Default.JsonObject, statusCode: 202);
        });
        return routes;
    }

    private static async Task<IResult> AddAsync(JobService jobs, GatewayOptions options, HttpContext http)
    {
        var body = await RequestBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var (notebook, content) = JobsRequests.Notebook(body, options, required: true)!.Value;
        var definition = new ScheduleDefinition
        {
            Name = body.String("name") ?? throw new GatewayException(400, "name is required"),
            Notebook = notebook,
            Content = content,
            Cron = body.String("cron") ?? throw new GatewayException(400, "cron is required"),
            TimeZone = body.String("time_zone") ?? "UTC",
            Parameters = JobsRequests.Parameters(body) ?? [],
            Kernel = body.String("kernel"),
            Timeout = JobsRequests.Seconds(body, "timeout") is { } t && t > TimeSpan.Zero ? t : null,
            MissedRuns = JobsRequests.Policy(body) ?? MissedRunPolicy.Once,
            MaxConcurrency = JobsRequests.Int(body, "max_concurrency") ?? 1,
            Paused = JobsRequests.Bool(body, "paused") ?? false,
        };
        var schedule = await jobs.AddScheduleAsync(definition, http.RequestAborted);
        return Results.Json(JobsJson.Schedule(schedule), GatewayJsonContext.Default.JsonObject, statusCode: 201);
    }

    private static async Task<IResult> UpdateAsync(string name, JobService jobs, GatewayOptions options, HttpContext http)
    {
        var body = await RequestBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var notebook = JobsRequests.Notebook(body, options, required: false);
        var change = new ScheduleChange
        {
            TakeSnapshot = JobsRequests.Bool(body, "snapshot") ?? false,
            Notebook = notebook?.Notebook,
            Content = notebook?.Content,
            Cron = body.String("cron"),
            TimeZone = body.String("time_zone"),
            Parameters = JobsRequests.Parameters(body),
            Kernel = body.ContainsKey("kernel") ? body.String("kernel") ?? "" : null,
            Timeout = body.ContainsKey("timeout") ? JobsRequests.Seconds(body, "timeout") ?? TimeSpan.Zero : null,
            MissedRuns = JobsRequests.Policy(body),
            MaxConcurrency = JobsRequests.Int(body, "max_concurrency"),
            Paused = JobsRequests.Bool(body, "paused"),
        };
        return Json(JobsJson.Schedule(await jobs.UpdateScheduleAsync(name, change, http.RequestAborted)));
    }

    private static IResult Json(System.Text.Json.Nodes.JsonNode body) => Results.Json(body, GatewayJsonContext.Default.JsonNode);
}
