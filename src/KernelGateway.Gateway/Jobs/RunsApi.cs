using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Policy;
using KernelGateway.Jobs;
using KernelGateway.Jobs.Model;

namespace KernelGateway.Gateway.Jobs;

/// <summary>
/// Runs: <c>GET /api/runs?schedule=&amp;state=&amp;since=&amp;until=&amp;limit=</c> (newest first; since/until bound the
/// queued time, ISO 8601), <c>POST /api/runs</c> (run a notebook now: notebook (workspace path) or content, parameters,
/// kernel, timeout; 202 with the run), <c>GET /api/runs/{id}</c>, <c>GET /api/runs/{id}/notebook</c> (the output
/// notebook as it stands, also while it runs; only files under <c>{data}/runs</c> are served) and <c>POST
/// /api/runs/{id}/cancel</c> (202).
/// </summary>
internal static class RunsApi
{
    public static IEndpointRouteBuilder MapRuns(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs");
        group.AddEndpointFilter(JobsRequests.MapFailuresAsync);
        group.MapGet("", ListAsync);
        group.MapPost("", SubmitAsync);
        group.MapGet("/{id:long}", async (long id, JobService jobs, HttpContext http) =>
            Results.Json(JobsJson.Run(await jobs.GetRunAsync(id, http.RequestAborted)), GatewayJsonContext.Default.JsonObject));
        group.MapGet("/{id:long}/notebook", async (long id, JobService jobs, HttpContext http) =>
        {
            var run = await jobs.GetRunAsync(id, http.RequestAborted);
            var file = jobs.OutputFile(run) ?? throw new GatewayException(404, $"run {id} has no output notebook ({run.State.Name()})");
            return Results.File(file, "application/x-ipynb+json");
        });
        group.MapPost("/{id:long}/cancel", async (long id, JobService jobs, HttpContext http) =>
            Results.Json(JobsJson.Run(await jobs.CancelRunAsync(id, http.RequestAborted)), GatewayJsonContext.Default.JsonObject, statusCode: 202));
        return routes;
    }

    private static async Task<IResult> ListAsync(string? schedule, string? state, string? since, string? until, string? limit, JobService jobs, HttpContext http)
    {
        RunState? wanted = null;
        if (!string.IsNullOrEmpty(state))
        {
            try { wanted = RunStates.Parse(state); }
            catch (FormatException e) { throw new GatewayException(400, e.Message); }
        }
        var max = 100;
        if (limit is not null && (!int.TryParse(limit, out max) || max < 1)) throw new GatewayException(400, "limit must be a positive whole number");
        var runs = await jobs.ListRunsAsync(new RunQuery
        {
            Schedule = string.IsNullOrEmpty(schedule) ? null : schedule,
            State = wanted,
            Since = JobsRequests.Time(since, "since"),
            Until = JobsRequests.Time(until, "until"),
            Limit = max,
        }, http.RequestAborted);
        return Results.Json(JobsJson.Array(runs, JobsJson.Run), GatewayJsonContext.Default.JsonNode);
    }

    private static async Task<IResult> SubmitAsync(JobService jobs, GatewayOptions options, HttpContext http)
    {
        var body = await RequestBody.ReadObjectAsync(http.Request, http.RequestAborted);
        var (notebook, content) = JobsRequests.Notebook(body, options, required: true)!.Value;
        var run = await jobs.SubmitRunAsync(new RunRequest
        {
            Notebook = notebook,
            Content = content,
            Parameters = JobsRequests.Parameters(body) ?? [],
            Kernel = body.String("kernel"),
            Timeout = JobsRequests.Seconds(body, "timeout") is { } t && t > TimeSpan.Zero ? t : null,
        }, http.RequestAborted);
        return Results.Json(JobsJson.Run(run), GatewayJsonContext.Default.JsonObject, statusCode: 202);
    }
}
