using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;
using KernelGateway.Notebooks.Kernels;
using KernelGateway.Notebooks.Parameters;
using KernelGateway.Protocol;
using KernelGateway.Zmq;

namespace KernelGateway.Notebooks.Execution;

/// <summary>How one notebook run went.</summary>
public sealed record RunResult(NotebookDocument Output, bool Succeeded, int CellsRun, string? FailedCell, string? Error);

/// <summary>Options of a run.</summary>
public sealed record RunOptions
{
    /// <summary>Parameter values (see <see cref="ParameterValues"/> for their types), injected papermill-style.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();

    /// <summary>The language to write the parameters in; null means the notebook's kernel language (papermill's <c>-l</c>).</summary>
    public string? Language { get; init; }

    /// <summary>Keep going after a failing cell; false by default (the run stops and is marked failed).</summary>
    public bool AllowErrors { get; init; }

    /// <summary>How long one cell may run; 10 minutes by default.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The input and output paths recorded in <c>metadata.papermill</c>.</summary>
    public string? InputPath { get; init; }

    /// <inheritdoc cref="InputPath"/>
    public string? OutputPath { get; init; }

    /// <summary>Environment variables the user asked to record with the run (names and values).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Executes a notebook headless against a real kernel over ZMQ, cell by cell, and builds the output
/// notebook: the parameters injected as papermill injects them, outputs in nbformat shape (streams merged, display
/// updates applied, clear_output honoured), execution counts, and the run recorded as papermill records it
/// (<see cref="PapermillMetadata"/>) beside our own <c>metadata.kernelgateway.run</c>.
/// </summary>
public static class NotebookRunner
{
    /// <summary>Runs a notebook on an already started kernel.</summary>
    /// <exception cref="ArgumentException">A parameter name is not an identifier of the notebook's language.</exception>
    /// <exception cref="NotSupportedException">Parameters were given for a language without a translator.</exception>
    /// <exception cref="InvalidOperationException">Parameters were given and the notebook names no language.</exception>
    public static async Task<RunResult> RunAsync(NotebookDocument input, KernelClient client, RunOptions options, CancellationToken cancellationToken)
    {
        var notebook = NotebookDocument.Parse(input.ToJson());
        notebook.UpgradeToLatest();
        if (options.Parameters.Count > 0)
            ParameterInjection.Inject(notebook, options.Parameters, ParameterTranslators.For(ParameterInjection.Language(notebook, options.Language)));
        var started = DateTimeOffset.UtcNow;
        PapermillMetadata.Start(notebook, options, started);
        var ran = 0;
        string? failedCell = null, error = null;
        JsonObject? failing = null;
        foreach (var cell in notebook.Cells.OfType<JsonObject>().ToList())
        {
            if (cell["cell_type"]?.GetValue<string>() != "code") continue;
            var source = NotebookDocument.Source(cell);
            var outputs = new JsonArray();
            cell["outputs"] = outputs;
            cell["execution_count"] = null;
            if (source.Trim().Length == 0 || (failedCell is not null && !options.AllowErrors)) continue;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.CellTimeout);
            var cellStart = DateTimeOffset.UtcNow;
            RequestOutcome outcome;
            try
            {
                outcome = await client.ExecuteAsync(source, stopOnError: !options.AllowErrors, cancellationToken: timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failedCell ??= source;
                failing ??= cell;
                error ??= $"cell timed out after {options.CellTimeout}";
                outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = "TimeoutError", ["evalue"] = error, ["traceback"] = new JsonArray() });
                PapermillMetadata.CellRecord(cell, "failed", cellStart, DateTimeOffset.UtcNow, exception: true);
                break;
            }
            ran++;
            ApplyOutputs(outputs, outcome.IOPub);
            if (outcome.Reply.Content.TryGetProperty("execution_count", out var count) && count.ValueKind == JsonValueKind.Number)
                cell["execution_count"] = count.GetInt32();
            var failed = outcome.Status != "ok";
            PapermillMetadata.CellRecord(cell, failed ? "failed" : "completed", cellStart, DateTimeOffset.UtcNow, exception: failed);
            PapermillMetadata.ExecutionTimes(cell, outcome);
            if (failed && failedCell is null)
            {
                failedCell = source;
                failing = cell;
                error = outcome.Reply.Content.TryGetProperty("evalue", out var ev) ? $"{(outcome.Reply.Content.TryGetProperty("ename", out var en) ? en.GetString() : "Error")}: {ev.GetString()}" : outcome.Status;
            }
        }
        var ended = DateTimeOffset.UtcNow;
        if (failing is not null) PapermillMetadata.MarkFailure(notebook, failing);
        PapermillMetadata.End(notebook, started, ended, failed: failing is not null);
        notebook.Root["metadata"]!["kernelgateway"] = new JsonObject
        {
            ["run"] = new JsonObject
            {
                ["start"] = started.ToString("O", CultureInfo.InvariantCulture),
                ["end"] = ended.ToString("O", CultureInfo.InvariantCulture),
                ["status"] = failedCell is null ? "succeeded" : "failed",
                ["error"] = error,
                ["parameters"] = PapermillMetadata.Json(options.Parameters),
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
}
