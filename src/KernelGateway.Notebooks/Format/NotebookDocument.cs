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
    /// <exception cref="InvalidDataException">Not an nbformat 4 notebook.</exception>
    public static NotebookDocument Parse(string json, string origin = "notebook")
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{origin}: not JSON: {e.Message}", e); }
        if (node is not JsonObject root) throw new InvalidDataException($"{origin}: not a notebook (top level is not an object)");
        if (root["nbformat"]?.GetValue<int>() != 4) throw new InvalidDataException($"{origin}: only nbformat 4 is supported");
        if (root["cells"] is not JsonArray) throw new InvalidDataException($"{origin}: no cells");
        root["metadata"] ??= new JsonObject();
        return new NotebookDocument(root);
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
