using System.Globalization;
using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;
using KernelGateway.Notebooks.Parameters;
using KernelGateway.Protocol;
using KernelGateway.Zmq;

namespace KernelGateway.Notebooks.Execution;

/// <summary>
/// The run record in the shape papermill writes, so papermill's and scrapbook's readers and nbconvert take our
/// output notebooks unchanged: <c>metadata.papermill</c> (parameters, input and output path, start, end, duration,
/// exception, environment variables), each code cell's <c>metadata.papermill</c> (status pending, running,
/// completed or failed, its times, exception) and <c>metadata.execution</c> (the kernel's iopub and shell times, as
/// nbclient records them), and on failure papermill's markers: a banner cell first, linking to an anchor cell just
/// before the failing one, both tagged <c>papermill-error-cell-tag</c>. Times are UTC ISO 8601 as papermill writes them.
/// </summary>
internal static class PapermillMetadata
{
    public const string ErrorTag = "papermill-error-cell-tag";
    public const string ErrorAnchorId = "papermill-error-cell";

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>Marks every code cell pending and writes the notebook-level record of a run that is starting.</summary>
    public static void Start(NotebookDocument notebook, RunOptions options, DateTimeOffset started)
    {
        foreach (var cell in CodeCells(notebook)) CellRecord(cell, "pending", null, null, exception: false);
        notebook.Root["metadata"]!["papermill"] = new JsonObject
        {
            ["default_parameters"] = new JsonObject(),
            ["parameters"] = Json(options.Parameters),
            ["environment_variables"] = new JsonObject(options.EnvironmentVariables.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["input_path"] = options.InputPath,
            ["output_path"] = options.OutputPath,
            ["start_time"] = Time(started),
            ["end_time"] = null,
            ["duration"] = null,
            ["exception"] = null,
            ["version"] = "kernelgateway " + (typeof(PapermillMetadata).Assembly.GetName().Version?.ToString(3) ?? "0"),
        };
    }

    /// <summary>Completes the notebook-level record.</summary>
    public static void End(NotebookDocument notebook, DateTimeOffset started, DateTimeOffset ended, bool failed)
    {
        var record = notebook.Root["metadata"]!["papermill"]!;
        record["end_time"] = Time(ended);
        record["duration"] = (ended - started).TotalSeconds;
        record["exception"] = failed ? true : null;
    }

    /// <summary>A cell's own record: status, times, duration, exception.</summary>
    public static void CellRecord(JsonObject cell, string status, DateTimeOffset? start, DateTimeOffset? end, bool exception)
    {
        var metadata = cell["metadata"] as JsonObject ?? new JsonObject();
        cell["metadata"] = metadata;
        metadata["papermill"] = new JsonObject
        {
            ["status"] = status,
            ["start_time"] = start is { } s ? Time(s) : null,
            ["end_time"] = end is { } e ? Time(e) : null,
            ["duration"] = start is { } a && end is { } b ? (b - a).TotalSeconds : null,
            ["exception"] = exception,
        };
    }

    /// <summary>nbclient's <c>metadata.execution</c>: when the kernel went busy, took the input, went idle, and replied.</summary>
    public static void ExecutionTimes(JsonObject cell, RequestOutcome outcome)
    {
        var times = new JsonObject();
        string? Date(string type, string? state = null) => outcome.IOPub.FirstOrDefault(m => m.MessageType == type
            && (state is null || (m.Content.TryGetProperty("execution_state", out var s) && s.GetString() == state)))?.Header.Date;
        if (Date(MessageTypes.ExecuteInput) is { } input) times["iopub.execute_input"] = input;
        if (Date(MessageTypes.Status, "busy") is { } busy) times["iopub.status.busy"] = busy;
        if (Date(MessageTypes.Status, "idle") is { } idle) times["iopub.status.idle"] = idle;
        times["shell.execute_reply"] = outcome.Reply.Header.Date;
        cell["metadata"]!["execution"] = times;
    }

    /// <summary>Papermill's failure markers: an anchor cell before the failing cell, then a banner cell at the top linking to it.</summary>
    public static void MarkFailure(NotebookDocument notebook, JsonObject failing)
    {
        var count = failing["execution_count"]?.ToString() ?? " ";
        var cells = notebook.Cells;
        var index = cells.IndexOf(failing);
        cells.Insert(index, Markdown(
            $"<span id=\"{ErrorAnchorId}\" style=\"color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;\">Execution encountered an exception here and stopped:</span>"));
        cells.Insert(0, Markdown(
            $"<span style=\"color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;\">An Exception was encountered at '<a href=\"#{ErrorAnchorId}\">In [{count}]</a>'.</span>"));
    }

    private static JsonObject Markdown(string source) => new()
    {
        ["id"] = Guid.NewGuid().ToString("N")[..8],
        ["cell_type"] = "markdown",
        ["metadata"] = new JsonObject { ["tags"] = new JsonArray(ErrorTag) },
        ["source"] = source,
    };

    private static IEnumerable<JsonObject> CodeCells(NotebookDocument notebook) =>
        notebook.Cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "code");

    /// <summary>Parameter values as JSON (NaN and infinities as papermill's JSON writer spells them is not valid JSON: written as strings).</summary>
    public static JsonNode? Json(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        System.Numerics.BigInteger big => JsonNode.Parse(big.ToString(CultureInfo.InvariantCulture)),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        double d => JsonValue.Create(ParameterValues.Display(d)),
        string s => JsonValue.Create(s),
        IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, Json(p.Value)))),
        IReadOnlyList<object?> list => new JsonArray(list.Select(Json).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };
}
