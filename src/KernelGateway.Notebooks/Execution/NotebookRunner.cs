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

    /// <summary>How long the whole run may take; none by default.</summary>
    public TimeSpan? RunTimeout { get; init; }

    /// <summary>Hide code cells' inputs in the output notebook (<c>metadata.jupyter.source_hidden</c>), as papermill's report mode does.</summary>
    public bool ReportMode { get; init; }

    /// <summary>The input and output paths recorded in <c>metadata.papermill</c>.</summary>
    public string? InputPath { get; init; }

    /// <inheritdoc cref="InputPath"/>
    public string? OutputPath { get; init; }

    /// <summary>Environment variables the user asked to record with the run (names and values).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();
}

/// <summary>What a run watches besides the kernel's replies, and where it reports as it goes.</summary>
public sealed record RunHooks
{
    /// <summary>Completes when the kernel process exits: the running cell then fails with the kernel's last words.</summary>
    public Task? KernelExited { get; init; }

    /// <summary>The end of the kernel's stderr and its exit code, for the report of its death.</summary>
    public Func<(string LastWords, int? ExitCode)>? KernelDeath { get; init; }

    /// <summary>Called with the notebook as it stands whenever a cell starts or ends (to write it out).</summary>
    public Action<NotebookDocument>? Checkpoint { get; init; }

    /// <summary>Progress lines (<c>cell 3/7 ...</c>) and, when wanted, the cells' stream output.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Pass the cells' stream output to <see cref="Log"/> (papermill's <c>--log-output</c>).</summary>
    public bool LogOutput { get; init; }

    /// <summary>Called when a cell starts and when it ends (for a progress display).</summary>
    public Action<CellProgress>? Progress { get; init; }
}

/// <summary>Where a run is: cells done of the total, and the running cell (1-based, with its first line) or null between cells.</summary>
/// <param name="Done">Code cells ended.</param>
/// <param name="Total">Code cells in the notebook (the injected parameters cell included).</param>
/// <param name="Running">The running cell's position, or null.</param>
/// <param name="FirstLine">The running cell's first line, or null.</param>
public sealed record CellProgress(int Done, int Total, int? Running, string? FirstLine);

/// <summary>
/// Executes a notebook headless against a real kernel over ZMQ, cell by cell, and builds the output
/// notebook: the parameters injected as papermill injects them, outputs in nbformat shape (streams merged, display
/// updates applied, clear_output honoured), execution counts, and the run recorded as papermill records it
/// (<see cref="PapermillMetadata"/>) beside our own <c>metadata.kernelgateway.run</c>.
/// </summary>
public static class NotebookRunner
{
    /// <summary>
    /// Runs a notebook on an already started kernel, over any connection: <paramref name="execute"/> runs one cell and
    /// returns its reply and iopub messages up to idle. It always returns a complete record: a failing cell, a timeout,
    /// the kernel's death and cancellation each end the run at the cell they happened in, marked failed with what
    /// happened as its error output; the cells after it stay pending.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter name is not an identifier of the notebook's language.</exception>
    /// <exception cref="NotSupportedException">Parameters were given for a language without a translator.</exception>
    /// <exception cref="InvalidOperationException">Parameters were given and the notebook names no language.</exception>
    public static async Task<RunResult> RunAsync(NotebookDocument input, Func<string, bool, CancellationToken, Task<RequestOutcome>> execute, RunOptions options,
        CancellationToken cancellationToken, RunHooks? hooks = null)
    {
        hooks ??= new RunHooks();
        var notebook = NotebookDocument.Parse(input.ToJson());
        notebook.UpgradeToLatest();
        if (options.Parameters.Count > 0)
            ParameterInjection.Inject(notebook, options.Parameters, ParameterTranslators.For(ParameterInjection.Language(notebook, options.Language)));
        var started = DateTimeOffset.UtcNow;
        PapermillMetadata.Start(notebook, options, started);
        var code = notebook.Cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "code").ToList();
        foreach (var cell in code)
        {
            cell["outputs"] = new JsonArray();
            cell["execution_count"] = null;
            if (options.ReportMode) ((JsonObject)cell["metadata"]!)["jupyter"] = new JsonObject { ["source_hidden"] = true };
        }
        hooks.Checkpoint?.Invoke(notebook);
        using var runLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.RunTimeout is { } limit) runLimit.CancelAfter(limit);
        var ran = 0;
        JsonObject? failing = null;
        string? error = null;
        for (var n = 0; n < code.Count && failing is null; n++)
        {
            var cell = code[n];
            var source = NotebookDocument.Source(cell);
            if (source.Trim().Length == 0) continue;
            var cellStart = DateTimeOffset.UtcNow;
            PapermillMetadata.CellRecord(cell, "running", cellStart, null, exception: false);
            hooks.Checkpoint?.Invoke(notebook);
            hooks.Log?.Invoke($"cell {n + 1}/{code.Count} running");
            hooks.Progress?.Invoke(new CellProgress(n, code.Count, n + 1, source.TrimStart().Split('\n', 2)[0].TrimEnd()));
            var (outcome, stopped) = await ExecuteAsync(execute, source, options, hooks, runLimit.Token, cancellationToken).ConfigureAwait(false);
            var outputs = (JsonArray)cell["outputs"]!;
            if (stopped is { } why)
            {
                outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = why.Name, ["evalue"] = why.Message, ["traceback"] = new JsonArray(why.Traceback.Select(l => (JsonNode?)l).ToArray()) });
                PapermillMetadata.CellRecord(cell, "failed", cellStart, DateTimeOffset.UtcNow, exception: true);
                (failing, error) = (cell, $"{why.Name}: {why.Message}");
                hooks.Log?.Invoke($"cell {n + 1}/{code.Count} {why.Name}: {why.Message}");
                break;
            }
            ran++;
            ApplyOutputs(outputs, outcome!.IOPub);
            if (hooks.LogOutput) foreach (var o in outputs.OfType<JsonObject>().Where(o => o["output_type"]?.GetValue<string>() == "stream")) hooks.Log?.Invoke(o["text"]!.GetValue<string>().TrimEnd('\n'));
            if (outcome.Reply.Content.TryGetProperty("execution_count", out var count) && count.ValueKind == JsonValueKind.Number)
                cell["execution_count"] = count.GetInt32();
            var failed = outcome.Status != "ok";
            PapermillMetadata.CellRecord(cell, failed ? "failed" : "completed", cellStart, DateTimeOffset.UtcNow, exception: failed);
            PapermillMetadata.ExecutionTimes(cell, outcome);
            hooks.Log?.Invoke($"cell {n + 1}/{code.Count} {(failed ? "failed" : "done")} ({(DateTimeOffset.UtcNow - cellStart).TotalSeconds:F1} s)");
            hooks.Progress?.Invoke(new CellProgress(n + 1, code.Count, null, null));
            if (failed && !options.AllowErrors)
            {
                failing = cell;
                error = outcome.Reply.Content.TryGetProperty("evalue", out var ev) ? $"{(outcome.Reply.Content.TryGetProperty("ename", out var en) ? en.GetString() : "Error")}: {ev.GetString()}" : outcome.Status;
            }
            hooks.Checkpoint?.Invoke(notebook);
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
                ["status"] = failing is null ? "succeeded" : "failed",
                ["error"] = error,
                ["parameters"] = PapermillMetadata.Json(options.Parameters),
            },
        };
        hooks.Checkpoint?.Invoke(notebook);
        return new RunResult(notebook, failing is null, ran, failing is null ? null : NotebookDocument.Source(failing), error);
    }

    /// <summary>Why a cell was stopped rather than answered: the error output's name, message and traceback lines.</summary>
    private sealed record Stop(string Name, string Message, IReadOnlyList<string> Traceback);

    /// <summary>Runs one cell: its outcome, or why it was stopped (cell or run timeout, the kernel's death, cancellation).</summary>
    private static async Task<(RequestOutcome? Outcome, Stop? Stopped)> ExecuteAsync(Func<string, bool, CancellationToken, Task<RequestOutcome>> run, string source, RunOptions options, RunHooks hooks,
        CancellationToken runToken, CancellationToken cancellationToken)
    {
        using var cellLimit = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        cellLimit.CancelAfter(options.CellTimeout);
        var execute = run(source, !options.AllowErrors, cellLimit.Token);
        var kernelExited = hooks.KernelExited ?? Task.Delay(Timeout.Infinite, cellLimit.Token);
        if (await Task.WhenAny(execute, kernelExited).ConfigureAwait(false) != execute && hooks.KernelExited?.IsCompleted == true)
        {
            var (lastWords, exitCode) = hooks.KernelDeath?.Invoke() ?? ("", null);
            return (null, new Stop("DeadKernelError", $"the kernel died while this cell ran (exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})",
                lastWords.Length == 0 ? [] : ["The kernel's last words (stderr):", .. lastWords.Split('\n')]));
        }
        try
        {
            return (await execute.ConfigureAwait(false), null);
        }
        catch (OperationCanceledException)
        {
            if (cancellationToken.IsCancellationRequested) return (null, new Stop("KeyboardInterrupt", "the run was cancelled while this cell ran", []));
            if (runToken.IsCancellationRequested) return (null, new Stop("TimeoutError", $"the run timed out after {options.RunTimeout} while this cell ran", []));
            return (null, new Stop("TimeoutError", $"the cell timed out after {options.CellTimeout}", []));
        }
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
