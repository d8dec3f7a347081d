using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Protocol;

/// <summary>How Livy's <c>JsonServlet</c> answers: a JSON body; a <c>ResponseMessage</c> as <c>{"msg": ...}</c>; a bare
/// string (an exception's text, "Statement not found") as a JSON string.</summary>
internal static class Answers
{
    public static Task Json(HttpContext ctx, int status, JsonNode? body, string? location = null)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        if (location is not null) ctx.Response.Headers.Location = location;
        return ctx.Response.WriteAsync(body?.ToJsonString() ?? "null");
    }

    public static Task Message(HttpContext ctx, int status, string msg) => Json(ctx, status, new JsonObject { ["msg"] = msg });

    public static Task JsonString(HttpContext ctx, int status, string text) => Json(ctx, status, JsonValue.Create(text));

    /// <summary>What Livy answers for an id or name it does not know.</summary>
    public static Task NoSession(HttpContext ctx, string idOrName) => Message(ctx, 404, $"Session '{idOrName}' not found.");

    /// <summary>Jetty's error page, as <c>HttpServletResponse.sendError</c> writes it (the CSRF filter, a proxy's 503).</summary>
    public static Task ErrorPage(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html;charset=iso-8859-1";
        var path = System.Net.WebUtility.HtmlEncode(ctx.Request.Path);
        return ctx.Response.WriteAsync($"<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;charset=ISO-8859-1\"/>\n<title>Error {status} {message}</title>\n</head>\n"
            + $"<body><h2>HTTP ERROR {status}</h2>\n<p>Problem accessing {path}. Reason:\n<pre>    {message}</pre></p>\n</body>\n</html>\n");
    }

    /// <summary>from/size query parameters (absent: null).</summary>
    public static int? Int(HttpContext ctx, string name) =>
        int.TryParse(ctx.Request.Query[name].ToString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The request's body as a JSON object, or the error answer Jackson's would give (400, a JSON string).</summary>
    public static async Task<JsonObject?> BodyAsync(HttpContext ctx, string className, IReadOnlySet<string> fields)
    {
        ctx.Request.Body.Position = 0;
        var text = await new StreamReader(ctx.Request.Body).ReadToEndAsync(ctx.RequestAborted);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text.Length == 0 ? "{}" : text);
        }
        catch (System.Text.Json.JsonException e)
        {
            await JsonString(ctx, 400, $"Unexpected character: {e.Message}");
            return null;
        }
        if (node is not JsonObject body)
        {
            await JsonString(ctx, 400, $"Cannot deserialize instance of `{className}` out of {node?.GetValueKind()} token");
            return null;
        }
        if (body.Select(p => p.Key).FirstOrDefault(k => !fields.Contains(k)) is { } unknown)
        {
            await JsonString(ctx, 400, $"Unrecognized field \"{unknown}\" (class {className}), not marked as ignorable ({fields.Count} known properties: {string.Join(", ", fields.Order().Select(f => $"\"{f}\""))}])");
            return null;
        }
        return body;
    }
}
