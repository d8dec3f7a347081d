using System.Globalization;
using System.Text.Json.Nodes;
using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Policy;
using KernelGateway.Jobs.Model;

namespace KernelGateway.Gateway.Jobs;

/// <summary>Reading the jobs routes' request bodies and query strings, and mapping the library's refusals to statuses.</summary>
internal static class JobsRequests
{
    /// <summary>An endpoint filter: a <see cref="JobException"/> becomes 404 (not found), 400 (invalid) or 409 (conflict).</summary>
    public static async ValueTask<object?> MapFailuresAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (JobException e)
        {
            throw new GatewayException(e.Error switch { JobError.NotFound => 404, JobError.Conflict => 409, _ => 400 }, e.Message);
        }
    }

    /// <summary>
    /// The notebook a body names: <c>content</c> (the notebook's JSON, uploaded) or <c>notebook</c> (a path inside the
    /// workspace, <c>{data}/notebooks</c>). Returns the path (or label) and the uploaded bytes, if any.
    /// </summary>
    public static (string Notebook, byte[]? Content)? Notebook(JsonObject body, GatewayOptions options, bool required)
    {
        if (body["content"] is { } content)
        {
            if (content is not JsonObject) throw new GatewayException(400, "content must be the notebook's JSON object");
            return ("upload:" + (body.String("notebook") ?? "notebook.ipynb"), System.Text.Encoding.UTF8.GetBytes(content.ToJsonString()));
        }
        if (body.String("notebook") is not { Length: > 0 } path)
            return required ? throw new GatewayException(400, "give notebook (a path in the workspace) or content (the notebook's JSON)") : null;
        var workspace = Path.GetFullPath(Path.Combine(options.DataDirectory, "notebooks"));
        var full = Path.GetFullPath(Path.Combine(workspace, path));
        if (!full.StartsWith(workspace + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new GatewayException(400, $"notebook '{path}' is outside the workspace ({workspace})");
        if (!File.Exists(full)) throw new GatewayException(404, $"notebook '{path}' not found in the workspace");
        return (full, null);
    }

    public static JsonObject? Parameters(JsonObject body) => body["parameters"] switch
    {
        null => null,
        JsonObject p => (JsonObject)p.DeepClone(),
        _ => throw new GatewayException(400, "parameters must be an object of names and values"),
    };

    public static TimeSpan? Seconds(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var s) && double.IsFinite(s) && s >= 0 => TimeSpan.FromSeconds(s),
        _ => throw new GatewayException(400, $"{name} must be a number of seconds"),
    };

    public static int? Int(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        _ => throw new GatewayException(400, $"{name} must be a whole number"),
    };

    public static bool? Bool(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw new GatewayException(400, $"{name} must be true or false"),
    };

    public static MissedRunPolicy? Policy(JsonObject body)
    {
        if (body.String("missed_runs") is not { } text) return body["missed_runs"] is null ? null : throw new GatewayException(400, "missed_runs must be skip, once or all");
        try { return MissedRunPolicies.Parse(text); }
        catch (FormatException e) { throw new GatewayException(400, e.Message); }
    }

    public static DateTimeOffset? Time(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
            : throw new GatewayException(400, $"{name} must be an ISO 8601 time, not '{text}'");
    }
}
