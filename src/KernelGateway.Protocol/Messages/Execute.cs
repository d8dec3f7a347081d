using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace KernelGateway.Protocol.Messages;

/// <summary><c>execute_request</c> content.</summary>
public sealed record ExecuteRequest
{
    /// <summary>The code to run.</summary>
    public string Code { get; init; } = "";
    /// <summary>Run without broadcasting outputs or counting.</summary>
    public bool Silent { get; init; }
    /// <summary>Record in history and increment the execution count; defaults to true.</summary>
    public bool StoreHistory { get; init; } = true;
    /// <summary>Expressions to evaluate after the code, by name.</summary>
    public Dictionary<string, string>? UserExpressions { get; init; }
    /// <summary>Whether the frontend answers input_request.</summary>
    public bool AllowStdin { get; init; } = true;
    /// <summary>Abort queued requests when this one fails; defaults to true.</summary>
    public bool StopOnError { get; init; } = true;
}

/// <summary><c>execute_reply</c> content (also the shape of error replies).</summary>
public sealed record ExecuteReply
{
    /// <summary><c>ok</c>, <c>error</c> or <c>aborted</c>.</summary>
    public required string Status { get; init; }
    /// <summary>The execution counter.</summary>
    public int ExecutionCount { get; init; }
    /// <summary>Payloads (pager, set_next_input); empty.</summary>
    public JsonArray? Payload { get; init; }
    /// <summary>Results of user_expressions, by name.</summary>
    public JsonObject? UserExpressions { get; init; }
    /// <summary>Error name, on error.</summary>
    public string? Ename { get; init; }
    /// <summary>Error value, on error.</summary>
    public string? Evalue { get; init; }
    /// <summary>Traceback lines, on error.</summary>
    public List<string>? Traceback { get; init; }
}

/// <summary><c>execute_input</c> content: what is being run.</summary>
public sealed record ExecuteInput(string Code, int ExecutionCount);

/// <summary><c>execute_result</c> content.</summary>
public sealed record ExecuteResult(int ExecutionCount, JsonObject Data, JsonObject Metadata);

/// <summary><c>display_data</c> and <c>update_display_data</c> content.</summary>
public sealed record DisplayData(JsonObject Data, JsonObject Metadata)
{
    /// <summary>Not persisted: carries <c>display_id</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Transient { get; init; }
}

/// <summary><c>stream</c> content.</summary>
public sealed record StreamOutput(string Name, string Text);

/// <summary><c>error</c> content on iopub.</summary>
public sealed record ErrorContent(string Ename, string Evalue, List<string> Traceback);

/// <summary><c>clear_output</c> content.</summary>
public sealed record ClearOutput(bool Wait);

/// <summary><c>status</c> content: starting, busy or idle.</summary>
public sealed record StatusContent(string ExecutionState);
