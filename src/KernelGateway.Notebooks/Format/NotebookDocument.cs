using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelGateway.Notebooks.Format;

/// <summary>
/// An nbformat v4 notebook kept as JSON, so fields this code does not know survive a round trip.
/// Saving writes a new file atomically (temporary file, then rename) and never overwrites one.
/// </summary>
public sealed class NotebookDocument
{
    private NotebookDocument(JsonObject root) => Root = root;

    /// <summary>The whole notebook.</summary>
    public JsonObject Root { get; }

    /// <summary>The cells.</summary>
    public JsonArray Cells => Root["cells"]!.AsArray();

    /// <summary>The kernelspec name in the metadata, if any.</summary>
    public string? KernelName => Root["metadata"]?["kernelspec"]?["name"]?.GetValue<string>();

    /// <summary>Parses a notebook.</summary>
    /// <exception cref="InvalidDataException">Not an nbformat 4 notebook, or one that breaks the schema; the message names the cells and fields.</exception>
    public static NotebookDocument Parse(string json, string origin = "notebook")
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{origin}: not JSON: {e.Message}", e); }
        if (node is not JsonObject root) throw new InvalidDataException($"{origin}: not a notebook (top level is not an object)");
        if (root["nbformat"] is not JsonValue major || !major.TryGetValue<int>(out var version) || version != 4)
            throw new InvalidDataException($"{origin}: only nbformat 4 is supported");
        var problems = NotebookValidator.Problems(root);
        if (problems.Count > 0)
            throw new InvalidDataException($"{origin}: not a valid nbformat 4 notebook: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? $" (and {problems.Count - 5} more)" : "")}");
        return new NotebookDocument(root);
    }

    /// <summary>
    /// Upgrades an nbformat 4.0–4.4 notebook to 4.5 as nbformat's <c>v4.upgrade</c> does: every cell gets an id
    /// (random, unique), and <c>nbformat_minor</c> becomes 5. A 4.5 notebook is left as it is.
    /// </summary>
    public void UpgradeToLatest()
    {
        var minor = Root["nbformat_minor"] is JsonValue v && v.TryGetValue<int>(out var m) ? m : 0;
        if (minor >= 5) return;
        var used = new HashSet<string>(Cells.OfType<JsonObject>().Select(c => c["id"]?.GetValue<string>()).OfType<string>(), StringComparer.Ordinal);
        foreach (var cell in Cells.OfType<JsonObject>().Where(c => c["id"] is null))
        {
            string id;
            do id = Guid.NewGuid().ToString("N")[..8];
            while (!used.Add(id));
            // nbformat puts the id first among a cell's keys; kept the same here so diffs stay small.
            var rest = cell.ToList();
            cell.Clear();
            cell["id"] = id;
            foreach (var (key, value) in rest) cell[key] = value;
        }
        Root["nbformat_minor"] = 5;
    }

    /// <summary>Reads a notebook file.</summary>
    public static NotebookDocument Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>A cell's source as one string (nbformat allows a string or a list of lines).</summary>
    public static string Source(JsonNode cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    /// <summary>Whether a cell carries a tag (e.g. <c>parameters</c>).</summary>
    public static bool HasTag(JsonNode cell, string tag) =>
        cell["metadata"]?["tags"] is JsonArray tags && tags.Any(t => t?.GetValue<string>() == tag);

    /// <summary>Serializes with one-space indentation, as Jupyter writes notebooks.</summary>
    public string ToJson() => Root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Replaces the file with this notebook in one step (temporary file, then rename): a reader sees the old file or the new one, never a torn one.</summary>
    public void SaveReplacing(string path)
    {
        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(tmp, ToJson() + "\n");
        try
        {
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>Writes to a new file: fails if it exists; never leaves a half-written file.</summary>
    public void SaveNew(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(tmp, ToJson() + "\n");
        try
        {
            File.Move(tmp, full, overwrite: false);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }
}
