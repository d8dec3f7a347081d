using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;

namespace KernelGateway.Notebooks.Summaries;

/// <summary>One output notebook summarised: where it is, how its run ended, its parameters and its scraps.</summary>
/// <param name="Path">The notebook's path.</param>
/// <param name="Status">succeeded, failed, or unknown (a notebook with no run record).</param>
/// <param name="DurationSeconds">The run's duration (<c>metadata.papermill.duration</c>), when recorded.</param>
/// <param name="FailingCell">The 1-based position of the failing cell among the code cells, when one failed.</param>
/// <param name="Parameters">The run's parameters (<c>metadata.papermill.parameters</c>).</param>
/// <param name="Scraps">The scraps glued in its cells, by name (the last one of a name wins, as in scrapbook).</param>
public sealed record RunSummary(string Path, string Status, double? DurationSeconds, int? FailingCell,
    IReadOnlyDictionary<string, JsonNode?> Parameters, IReadOnlyDictionary<string, JsonNode?> Scraps);

/// <summary>
/// Reads many output notebooks (ours, or papermill's) into one table — how a template run over many parameter sets
/// is compared: a row per notebook; columns path, status, duration, failing cell, then every parameter, then every
/// scrap (a scrap whose name is also a parameter's is prefixed <c>scrap:</c>). As CSV (RFC 4180, values that are
/// not scalars as JSON) or JSON.
/// </summary>
public static class RunSummaries
{
    private const string ScrapMime = "application/scrapbook.scrap.json+json";

    /// <summary>JSON as people read it: quotes as <c>\"</c>, non-ASCII as itself (the default writer escapes both).</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The notebooks a pattern names: a path, or a directory and a file pattern with <c>*</c> and <c>?</c> (<c>runs/*.ipynb</c>), in name order.</summary>
    public static IReadOnlyList<string> Expand(string pattern)
    {
        if (!pattern.Contains('*') && !pattern.Contains('?')) return File.Exists(pattern) ? [pattern] : [];
        var dir = System.IO.Path.GetDirectoryName(pattern) is { Length: > 0 } d ? d : ".";
        if (dir.Contains('*') || dir.Contains('?')) throw new ArgumentException($"'{pattern}': wildcards are allowed in the file name only");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, System.IO.Path.GetFileName(pattern)).Order(StringComparer.Ordinal).ToList() : [];
    }

    /// <summary>Summarises one notebook.</summary>
    /// <exception cref="InvalidDataException">Not a valid notebook.</exception>
    public static RunSummary Read(string path)
    {
        var nb = NotebookDocument.Load(path);
        var metadata = nb.Root["metadata"]!;
        var papermill = metadata["papermill"];
        var status = metadata["kernelgateway"]?["run"]?["status"]?.GetValue<string>()
            ?? (papermill is null ? "unknown" : papermill["exception"] is JsonValue e && e.GetValueKind() == JsonValueKind.True ? "failed" : "succeeded");
        var code = nb.Cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "code").ToList();
        var parameters = papermill?["parameters"] is JsonObject p ? p.ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone()) : new Dictionary<string, JsonNode?>();
        var scraps = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var output in code.SelectMany(c => c["outputs"]?.AsArray().OfType<JsonObject>() ?? []))
        {
            if (output["data"]?[ScrapMime] is JsonObject scrap && scrap["name"]?.GetValue<string>() is { } name) scraps[name] = scrap["data"]?.DeepClone();
        }
        var duration = papermill?["duration"] is JsonValue dv && dv.GetValueKind() == JsonValueKind.Number ? dv.GetValue<double>() : (double?)null;
        return new RunSummary(path, status, duration, FailingCell(nb), parameters, scraps);
    }

    /// <summary>The 1-based position, among the code cells, of the cell papermill's record marks failed; null when none is.</summary>
    public static int? FailingCell(NotebookDocument notebook)
    {
        var code = notebook.Cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "code").ToList();
        var failing = code.FindIndex(c => c["metadata"]?["papermill"]?["status"]?.GetValue<string>() == "failed");
        return failing < 0 ? null : failing + 1;
    }

    /// <summary>The table's column names, in order.</summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<RunSummary> rows)
    {
        var parameters = rows.SelectMany(r => r.Parameters.Keys).Distinct().ToList();
        var scraps = rows.SelectMany(r => r.Scraps.Keys).Distinct().Select(s => parameters.Contains(s) ? "scrap:" + s : s);
        return ["path", "status", "duration_s", "failing_cell", .. parameters, .. scraps];
    }

    /// <summary>A row's cells, by <see cref="Columns"/>, as JSON values (null where a notebook has no such parameter or scrap).</summary>
    public static IReadOnlyList<JsonNode?> Cells(RunSummary row, IReadOnlyList<string> columns) => columns.Select(c => c switch
    {
        "path" => JsonValue.Create(row.Path),
        "status" => JsonValue.Create(row.Status),
        "duration_s" => row.DurationSeconds is { } d ? JsonValue.Create(Math.Round(d, 3)) : null,
        "failing_cell" => row.FailingCell is { } f ? JsonValue.Create(f) : null,
        _ when c.StartsWith("scrap:", StringComparison.Ordinal) => row.Scraps.GetValueOrDefault(c["scrap:".Length..])?.DeepClone(),
        _ => (row.Parameters.TryGetValue(c, out var p) ? p : row.Scraps.GetValueOrDefault(c))?.DeepClone(),
    }).ToList();

    /// <summary>CSV with a header row; strings as they are, other values as JSON, quoted where needed.</summary>
    public static string ToCsv(IReadOnlyList<RunSummary> rows)
    {
        var columns = Columns(rows);
        var sb = new StringBuilder().AppendJoin(',', columns.Select(Quote)).Append("\r\n");
        foreach (var row in rows) sb.AppendJoin(',', Cells(row, columns).Select(v => Quote(Text(v)))).Append("\r\n");
        return sb.ToString();
    }

    /// <summary>A JSON array with one object per notebook, keyed by column.</summary>
    public static string ToJson(IReadOnlyList<RunSummary> rows)
    {
        var columns = Columns(rows);
        var array = new JsonArray(rows.Select(r => (JsonNode?)new JsonObject(columns.Zip(Cells(r, columns)).Select(p => KeyValuePair.Create(p.First, p.Second)))).ToArray());
        return array.ToJsonString(new JsonSerializerOptions(Readable) { WriteIndented = true });
    }

    /// <summary>A cell as text: a string as it is, nothing for null, a number in invariant form, anything else as JSON.</summary>
    public static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => value.ToJsonString(Readable),
    };

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
