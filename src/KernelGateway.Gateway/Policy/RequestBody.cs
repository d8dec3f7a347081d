using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelGateway.Gateway.Policy;

/// <summary>Reads JSON request bodies the way Kernel Gateway accepts them: an empty body is <c>{}</c>.</summary>
internal static class RequestBody
{
    /// <summary>The body as a JSON object; <c>{}</c> when empty.</summary>
    /// <exception cref="GatewayException">400: the body is not a JSON object.</exception>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text)) return [];
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new GatewayException(400, "The request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new GatewayException(400, $"The request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>A string property, or null when absent, null or not a string.</summary>
    public static string? String(this JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An object of string values (e.g. <c>env</c>); non-string values are written as JSON text.</summary>
    /// <exception cref="GatewayException">400: the property is present but not an object.</exception>
    public static Dictionary<string, string>? StringMap(this JsonObject obj, string name)
    {
        var node = obj[name];
        if (node is null) return null;
        if (node is not JsonObject map) throw new GatewayException(400, $"{name} must be an object");
        return map.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString() ?? "");
    }
}
