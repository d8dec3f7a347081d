using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KernelGateway.Notebooks.Format;

/// <summary>
/// Checks a notebook against nbformat 4's schema (v4.0–v4.5: what every cell and output must hold), so a bad
/// notebook is refused on read with the place and the field: <c>cell 3 (id 'a1'): 'outputs' must be an array</c>.
/// Fields the schema does not name are left alone (nbformat allows them in metadata; elsewhere they are kept as
/// they are), as are unknown MIME types and attachments.
/// </summary>
public static partial class NotebookValidator
{
    private static readonly string[] CellTypes = ["code", "markdown", "raw"];

    /// <summary>Every problem found, in document order; empty when the notebook is valid.</summary>
    public static IReadOnlyList<string> Problems(JsonObject root)
    {
        var problems = new List<string>();
        if (!IsInteger(root["nbformat_minor"])) problems.Add("'nbformat_minor' must be an integer");
        if (root["metadata"] is not JsonObject) problems.Add("'metadata' must be an object");
        if (root["cells"] is not JsonArray cells)
        {
            problems.Add("'cells' must be an array");
            return problems;
        }
        var minor = IsInteger(root["nbformat_minor"]) ? root["nbformat_minor"]!.GetValue<int>() : 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell)
            {
                problems.Add($"cell {i + 1}: must be an object");
                continue;
            }
            var at = $"cell {i + 1}" + (cell["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? $" (id '{id}')" : "");
            CheckCell(cell, at, minor, ids, problems);
        }
        return problems;
    }

    private static void CheckCell(JsonObject cell, string at, int minor, HashSet<string> ids, List<string> problems)
    {
        var type = cell["cell_type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        if (type is null || !CellTypes.Contains(type)) problems.Add($"{at}: 'cell_type' must be one of code, markdown, raw");
        if (!IsSource(cell["source"])) problems.Add($"{at}: 'source' must be a string or a list of strings");
        if (cell["metadata"] is not JsonObject) problems.Add($"{at}: 'metadata' must be an object");
        if (cell["id"] is { } idNode)
        {
            if (idNode is not JsonValue iv || !iv.TryGetValue<string>(out var id) || !IdPattern().IsMatch(id)) problems.Add($"{at}: 'id' must be 1 to 64 letters, digits, '-' or '_'");
            else if (!ids.Add(id)) problems.Add($"{at}: 'id' repeats an earlier cell's id");
        }
        else if (minor >= 5)
        {
            problems.Add($"{at}: 'id' is required from nbformat 4.5");
        }
        if (cell["attachments"] is { } attachments && attachments is not JsonObject) problems.Add($"{at}: 'attachments' must be an object");
        if (type == "code")
        {
            if (cell["execution_count"] is { } count && !IsInteger(count)) problems.Add($"{at}: 'execution_count' must be an integer or null");
            if (cell["outputs"] is not JsonArray outputs) problems.Add($"{at}: 'outputs' must be an array");
            else for (var o = 0; o < outputs.Count; o++) CheckOutput(outputs[o], $"{at}, output {o + 1}", problems);
        }
        else if (type is "markdown" or "raw" && cell.ContainsKey("outputs"))
        {
            problems.Add($"{at}: a {type} cell has no 'outputs'");
        }
    }

    private static void CheckOutput(JsonNode? node, string at, List<string> problems)
    {
        if (node is not JsonObject output)
        {
            problems.Add($"{at}: must be an object");
            return;
        }
        var type = output["output_type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        switch (type)
        {
            case "stream":
                if (output["name"] is not JsonValue n || !n.TryGetValue<string>(out _)) problems.Add($"{at}: a stream's 'name' must be a string");
                if (!IsSource(output["text"])) problems.Add($"{at}: a stream's 'text' must be a string or a list of strings");
                break;
            case "display_data" or "execute_result":
                if (output["data"] is not JsonObject) problems.Add($"{at}: 'data' must be an object of MIME types");
                if (output["metadata"] is not JsonObject) problems.Add($"{at}: 'metadata' must be an object");
                if (type == "execute_result" && output["execution_count"] is { } c && !IsInteger(c)) problems.Add($"{at}: 'execution_count' must be an integer or null");
                break;
            case "error":
                if (output["ename"] is not JsonValue) problems.Add($"{at}: an error's 'ename' must be a string");
                if (output["evalue"] is not JsonValue) problems.Add($"{at}: an error's 'evalue' must be a string");
                if (output["traceback"] is not JsonArray) problems.Add($"{at}: an error's 'traceback' must be a list of strings");
                break;
            default:
                problems.Add($"{at}: 'output_type' must be one of stream, display_data, execute_result, error");
                break;
        }
    }

    private static bool IsSource(JsonNode? node) => node switch
    {
        JsonValue v => v.TryGetValue<string>(out _),
        JsonArray a => a.All(l => l is JsonValue lv && lv.TryGetValue<string>(out _)),
        _ => false,
    };

    private static bool IsInteger(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out _);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();
}
