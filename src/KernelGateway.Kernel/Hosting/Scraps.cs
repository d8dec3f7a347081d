using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Kernel.DotNetInteractive;
using KernelGateway.Kernel.Engine;

namespace KernelGateway.Kernel.Hosting;

/// <summary>
/// Scraps as scrapbook (nteract) records them, so scrapbook's readers and <c>kernelgateway summarize</c> find them:
/// a display_data whose data is <c>application/scrapbook.scrap.json+json</c> — <c>{name, data, encoder: "json",
/// version: 1}</c> — with <c>metadata.scrapbook</c> <c>{name, data: true, display: false}</c>; and when the value is
/// to be shown too, its usual display with <c>metadata.scrapbook</c> <c>{name, data: false, display: true}</c>.
/// Tables (DataFrames, query results, lists of records) are recorded as their Table Schema data resource,
/// which pandas reads with <c>pandas.read_json(text, orient="table")</c>; other values as JSON (NaN and infinities as
/// the strings "NaN", "Infinity"): scalars, mappings and lists of scalars stay JSON.
/// </summary>
internal static class Scraps
{
    public const string MimeType = "application/scrapbook.scrap.json+json";

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Glue(IExecutionSink sink, string name, object? value, bool display)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a scrap needs a name", nameof(name));
        var data = new JsonObject { [MimeType] = new JsonObject { ["name"] = name, ["data"] = Data(value), ["encoder"] = "json", ["version"] = 1 } };
        sink.Display(new MimeBundle(data, Marker(name, data: true, display: false)), null, update: false);
        if (!display) return;
        var shown = value is null ? MimeBundle.Text("null") : MimeBundles.FromValue(value);
        sink.Display(shown with { Metadata = Marker(name, data: false, display: true) }, null, update: false);
    }

    /// <summary>The scrap's data: a table's data resource, else the value as JSON.</summary>
    public static JsonNode? Data(object? value)
    {
        if (value is not null && !IsPlainJson(value) && TabularConverters.TryConvert(value) is { } table
            && TabularBundles.From(table).Data["application/vnd.dataresource+json"] is { } resource)
        {
            return resource.DeepClone();
        }
        try
        {
            return JsonSerializer.SerializeToNode(value, value?.GetType() ?? typeof(object), Json);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new ArgumentException($"the value cannot be recorded as JSON ({e.Message}); glue its parts, or a table", nameof(value), e);
        }
    }

    /// <summary>Scalars, mappings and lists of scalars: recorded as JSON even though the kernel can show them as tables.</summary>
    private static bool IsPlainJson(object value) => value switch
    {
        string or bool or char or DateTime or DateTimeOffset or Guid => true,
        _ when value.GetType().IsPrimitive || value is decimal => true,
        System.Collections.IDictionary => true,
        System.Collections.IEnumerable items => items.Cast<object?>().All(i => i is null || i is string || i.GetType().IsPrimitive || i is decimal),
        _ => false,
    };

    private static JsonObject Marker(string name, bool data, bool display) =>
        new() { ["scrapbook"] = new JsonObject { ["name"] = name, ["data"] = data, ["display"] = display } };
}
