using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;
using KernelGateway.Notebooks.Kernels;
using KernelGateway.Protocol;
using KernelGateway.Zmq;

namespace KernelGateway.Notebooks.Execution;

/// <summary>How one notebook run went.</summary>
public sealed record RunResult(NotebookDocument Output, bool Succeeded, int CellsRun, string? FailedCell, string? Error);

/// <summary>Options of a run.</summary>
public sealed record RunOptions
{
    /// <summary>Parameters injected after the cell tagged <c>parameters</c> (or first), papermill-style.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Keep going after a failing cell; false by default (the run stops and is marked failed).</summary>
    public bool AllowErrors { get; init; }

    /// <summary>How long one cell may run; 10 minutes by default.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Executes a notebook headless against a real kernel over ZMQ, cell by cell, and builds the output
/// notebook: outputs in nbformat shape (streams merged, display updates applied, clear_output honoured),
/// execution counts, and a record of the run in the metadata.
/// </summary>
public static class NotebookRunner
{
    /// <summary>Runs a notebook on an already started kernel.</summary>
    public static async Task<RunResult> RunAsync(NotebookDocument input, KernelClient client, RunOptions options, CancellationToken cancellationToken)
    {
        var notebook = NotebookDocument.Parse(input.ToJson());
        InjectParameters(notebook, options.Parameters);
        var started = DateTimeOffset.UtcNow;
        var ran = 0;
        string? failedCell = null, error = null;
        foreach (var cell in notebook.Cells.OfType<JsonObject>())
        {
            if (cell["cell_type"]?.GetValue<string>() != "code") continue;
            var source = NotebookDocument.Source(cell);
            var outputs = new JsonArray();
            cell["outputs"] = outputs;
            cell["execution_count"] = null;
            if (source.Trim().Length == 0 || (failedCell is not null && !options.AllowErrors)) continue;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.CellTimeout);
            RequestOutcome outcome;
            try
            {
                outcome = await client.ExecuteAsync(source, stopOnError: !options.AllowErrors, cancellationToken: timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failedCell ??= source;
                error ??= $"cell timed out after {options.CellTimeout}";
                outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = "TimeoutError", ["evalue"] = error, ["traceback"] = new JsonArray() });
                break;
            }
            ran++;
            ApplyOutputs(outputs, outcome.IOPub);
            if (outcome.Reply.Content.TryGetProperty("execution_count", out var count) && count.ValueKind == JsonValueKind.Number)
                cell["execution_count"] = count.GetInt32();
            if (outcome.Status != "ok" && failedCell is null)
            {
                failedCell = source;
                error = outcome.Reply.Content.TryGetProperty("evalue", out var ev) ? $"{(outcome.Reply.Content.TryGetProperty("ename", out var en) ? en.GetString() : "Error")}: {ev.GetString()}" : outcome.Status;
            }
        }
        notebook.Root["metadata"]!["kernelgateway"] = new JsonObject
        {
            ["run"] = new JsonObject
            {
                ["start"] = started.ToString("O", CultureInfo.InvariantCulture),
                ["end"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["status"] = failedCell is null ? "succeeded" : "failed",
                ["error"] = error,
                ["parameters"] = new JsonObject(options.Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            },
        };
        return new RunResult(notebook, failedCell is null, ran, failedCell, error);
    }

    /// <summary>Turns a cell's iopub messages into nbformat outputs.</summary>
    public static void ApplyOutputs(JsonArray outputs, IEnumerable<JupyterMessage> messages)
    {
        var clearPending = false;
        foreach (var m in messages)
        {
            var c = m.Content;
            JsonObject? output = null;
            switch (m.MessageType)
            {
                case MessageTypes.Stream:
                    var name = c.GetProperty("name").GetString();
                    var text = c.GetProperty("text").GetString() ?? "";
                    if (clearPending) { outputs.Clear(); clearPending = false; }
                    if (outputs.Count > 0 && outputs[^1] is JsonObject last && last["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == name)
                    {
                        last["text"] = last["text"]!.GetValue<string>() + text;
                        continue;
                    }
                    output = new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text };
                    break;
                case MessageTypes.DisplayData:
                    output = new JsonObject { ["output_type"] = "display_data", ["data"] = Node(c, "data"), ["metadata"] = Node(c, "metadata") };
                    if (c.TryGetProperty("transient", out var t) && t.TryGetProperty("display_id", out var did)) output["__display_id"] = did.GetString();
                    break;
                case MessageTypes.UpdateDisplayData:
                    if (c.TryGetProperty("transient", out var ut) && ut.TryGetProperty("display_id", out var uid))
                    {
                        foreach (var o in outputs.OfType<JsonObject>().Where(o => o["__display_id"]?.GetValue<string>() == uid.GetString()))
                        {
                            o["data"] = Node(c, "data");
                            o["metadata"] = Node(c, "metadata");
                        }
                    }
                    continue;
                case MessageTypes.ExecuteResult:
                    output = new JsonObject { ["output_type"] = "execute_result", ["execution_count"] = c.GetProperty("execution_count").GetInt32(), ["data"] = Node(c, "data"), ["metadata"] = Node(c, "metadata") };
                    break;
                case MessageTypes.Error:
                    output = new JsonObject { ["output_type"] = "error", ["ename"] = c.GetProperty("ename").GetString(), ["evalue"] = c.GetProperty("evalue").GetString(), ["traceback"] = Node(c, "traceback") };
                    break;
                case MessageTypes.ClearOutput:
                    if (c.TryGetProperty("wait", out var w) && w.GetBoolean()) clearPending = true;
                    else outputs.Clear();
                    continue;
                default:
                    continue;
            }
            if (clearPending) { outputs.Clear(); clearPending = false; }
            outputs.Add(output);
        }
        foreach (var o in outputs.OfType<JsonObject>()) o.Remove("__display_id");
    }

    private static JsonNode? Node(JsonElement content, string name) =>
        content.TryGetProperty(name, out var v) ? JsonNode.Parse(v.GetRawText()) : new JsonObject();

    /// <summary>Adds a cell tagged <c>injected-parameters</c> after the <c>parameters</c> cell (or first) that assigns each parameter.</summary>
    public static void InjectParameters(NotebookDocument notebook, IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.Count == 0) return;
        var lines = parameters.Select(p => $"var {p.Key} = {CSharpLiteral(p.Value)};");
        var cell = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N")[..8],
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new JsonObject { ["tags"] = new JsonArray("injected-parameters") },
            ["outputs"] = new JsonArray(),
            ["source"] = "// Parameters\n" + string.Join('\n', lines),
        };
        var cells = notebook.Cells;
        var index = cells.Select((c, i) => (c, i)).FirstOrDefault(x => x.c is not null && NotebookDocument.HasTag(x.c, "parameters")).i;
        var hasTagged = cells.Any(c => c is not null && NotebookDocument.HasTag(c, "parameters"));
        cells.Insert(hasTagged ? index + 1 : 0, cell);
    }

    /// <summary>A C# literal for a parameter value: numbers and booleans as such, anything else as a string.</summary>
    public static string CSharpLiteral(string value)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l.ToString(CultureInfo.InvariantCulture);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && value.Contains('.')) return d.ToString("R", CultureInfo.InvariantCulture);
        if (value is "true" or "false") return value;
        return JsonSerializer.Serialize(value, ProtocolJsonContext.Default.String).Replace("\\u0022", "\\\"");
    }
}
