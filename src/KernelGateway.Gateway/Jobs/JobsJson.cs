using System.Globalization;
using System.Text.Json.Nodes;
using KernelGateway.Jobs.Model;

namespace KernelGateway.Gateway.Jobs;

/// <summary>Schedules and runs as the HTTP API shows them (snake_case, times in ISO 8601 UTC, durations in seconds).</summary>
internal static class JobsJson
{
    public static JsonObject Schedule(Schedule s) => new()
    {
        ["name"] = s.Name,
        ["notebook"] = s.Notebook,
        ["snapshot"] = s.Snapshot,
        ["cron"] = s.Cron,
        ["time_zone"] = s.TimeZone,
        ["parameters"] = s.Parameters.DeepClone(),
        ["kernel"] = s.Kernel,
        ["timeout"] = s.Timeout?.TotalSeconds,
        ["paused"] = s.Paused,
        ["missed_runs"] = s.MissedRuns.Name(),
        ["max_concurrency"] = s.MaxConcurrency,
        ["created"] = Time(s.Created),
        ["updated"] = Time(s.Updated),
    };

    public static JsonObject Details(ScheduleDetails d)
    {
        var o = Schedule(d.Schedule);
        o["snapshots"] = new JsonArray(d.Snapshots.Select(s => (JsonNode)new JsonObject { ["snapshot"] = s.Snapshot, ["notebook"] = s.Notebook, ["taken"] = Time(s.Taken) }).ToArray());
        o["next"] = new JsonArray(d.Next.Select(t => (JsonNode?)Time(t)).ToArray());
        o["recent_runs"] = new JsonArray(d.RecentRuns.Select(r => (JsonNode)Run(r)).ToArray());
        return o;
    }

    public static JsonObject Run(RunRecord r) => new()
    {
        ["id"] = r.Id,
        ["schedule"] = r.ScheduleName,
        ["occurrence"] = Time(r.Occurrence),
        ["trigger"] = r.Trigger,
        ["state"] = r.State.Name(),
        ["queued"] = Time(r.Queued),
        ["started"] = Time(r.Started),
        ["ended"] = Time(r.Ended),
        ["parameters"] = r.Parameters.DeepClone(),
        ["snapshot"] = r.Snapshot,
        ["notebook"] = r.Notebook,
        ["output_path"] = r.OutputPath,
        ["kernel"] = r.Kernel,
        ["timeout"] = r.Timeout?.TotalSeconds,
        ["failing_cell"] = r.FailingCell,
        ["error"] = r.Error,
        ["cancel_requested"] = r.CancelRequested,
        ["note"] = r.Note,
    };

    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonObject> one) => new(items.Select(i => (JsonNode)one(i)).ToArray());

    private static string? Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
