using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// Livy's message in an error answer, whichever way it came: <c>{"msg": "..."}</c> (its <c>ResponseMessage</c>), a
/// JSON string (an exception's text, e.g. <c>"java.lang.IllegalStateException: Session is in state starting"</c>), a
/// Jetty error page (the CSRF filter's 400), or plain text from a gateway.
/// </summary>
internal static partial class LivyErrorText
{
    /// <summary>The message, cut to 2000 characters; null for an empty body.</summary>
    public static string? From(byte[] body, string? contentType)
    {
        if (body.Length == 0) return null;
        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.Length == 0) return null;
        if (text[0] is '{' or '"' && Json(text) is { } fromJson) return Cut(fromJson);
        if (contentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true || text.StartsWith('<'))
        {
            var title = Title().Match(text);
            text = title.Success ? title.Groups[1].Value : Tags().Replace(text, " ");
            text = Spaces().Replace(WebUtility.HtmlDecode(text), " ").Trim();
        }
        return text.Length == 0 ? null : Cut(text);
    }

    private static string? Json(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.String) return root.GetString();
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("msg", out var msg)) return msg.ValueKind == JsonValueKind.String ? msg.GetString() : msg.GetRawText();
            return root.GetRawText();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Cut(string text) => text.Length > 2000 ? text[..2000] + "…" : text;

    [GeneratedRegex(@"<title>\s*(.*?)\s*</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Title();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
