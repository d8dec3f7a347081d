using System.Text.Json.Nodes;
using KernelGateway.Kernel.Engine;
using Microsoft.DotNet.Interactive.Formatting;

namespace KernelGateway.Kernel.DotNetInteractive;

/// <summary>
/// Turns a .NET value into a Jupyter MIME bundle with .NET Interactive's Formatting: always <c>text/plain</c> (Jupyter needs it), plus
/// <c>text/html</c> for anything richer than a primitive or string, plus whatever the code asked for.
/// </summary>
internal static class MimeBundles
{
    private static int _configured;

    /// <summary>A cell's value as a bundle, formatted by its type's preferred MIME types (text/plain by default).</summary>
    public static MimeBundle FromValue(object value)
    {
        if (Interlocked.Exchange(ref _configured, 1) == 0) Formatter.SetPreferredMimeTypesFor(typeof(object), PlainTextFormatter.MimeType);
        return FromValue(value, FormattedValue.CreateManyFromObject(value));
    }

    public static MimeBundle FromValue(object? value, IReadOnlyCollection<FormattedValue> formatted)
    {
        if (formatted.Count <= 1 && TabularConverters.TryConvert(value) is { } table) return TabularBundles.From(table);
        var data = new JsonObject();
        if (value is Microsoft.AspNetCore.Html.IHtmlContent html && formatted.All(f => f.MimeType != "text/html"))
            data["text/html"] = html.ToString();
        foreach (var f in formatted)
        {
            if (f.SuppressDisplay) continue;
            data[f.MimeType] = AsJson(f.MimeType, f.Value);
        }
        if (!data.ContainsKey("text/plain"))
            data["text/plain"] = value is null ? "null" : Formatter.ToDisplayString(value, PlainTextFormatter.MimeType);
        if (value is not null && !IsSimple(value) && !data.ContainsKey("text/html") && formatted.Count <= 1)
        {
            try { data["text/html"] = Formatter.ToDisplayString(value, HtmlFormatter.MimeType); }
            catch (Exception) { /* text/plain is enough */ }
        }
        return new MimeBundle(data, new JsonObject());
    }

    private static JsonNode? AsJson(string mimeType, string value)
    {
        if (mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal))
        {
            try { return JsonNode.Parse(value); }
            catch (System.Text.Json.JsonException) { return value; }
        }
        return value;
    }

    private static bool IsSimple(object value) =>
        value is string or char or bool or decimal or DateTime or DateTimeOffset or TimeSpan or Guid || value.GetType().IsPrimitive || value.GetType().IsEnum;
}
