using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelGateway.Protocol.Messages;

/// <summary><c>complete_request</c> content.</summary>
public sealed record CompleteRequest(string Code, int CursorPos);

/// <summary><c>complete_reply</c> content.</summary>
public sealed record CompleteReply(List<string> Matches, int CursorStart, int CursorEnd, JsonObject Metadata, string Status = "ok");

/// <summary><c>inspect_request</c> content.</summary>
public sealed record InspectRequest(string Code, int CursorPos, int DetailLevel = 0);

/// <summary><c>inspect_reply</c> content.</summary>
public sealed record InspectReply(bool Found, JsonObject Data, JsonObject Metadata, string Status = "ok");

/// <summary><c>is_complete_request</c> content.</summary>
public sealed record IsCompleteRequest(string Code);

/// <summary><c>is_complete_reply</c> content: complete, incomplete (with indent), invalid or unknown.</summary>
public sealed record IsCompleteReply(string Status, string? Indent = null);

/// <summary><c>history_request</c> content.</summary>
public sealed record HistoryRequest
{
    /// <summary>Include outputs.</summary>
    public bool Output { get; init; }
    /// <summary>Raw input rather than transformed.</summary>
    public bool Raw { get; init; } = true;
    /// <summary><c>range</c>, <c>tail</c> or <c>search</c>.</summary>
    public string HistAccessType { get; init; } = "tail";
    /// <summary>Session for range; 0 is the current one, negative counts back.</summary>
    public int Session { get; init; }
    /// <summary>First line for range.</summary>
    public int Start { get; init; }
    /// <summary>Line after the last for range.</summary>
    public int Stop { get; init; }
    /// <summary>How many for tail and search.</summary>
    public int? N { get; init; }
    /// <summary>A glob for search (<c>*</c> and <c>?</c>).</summary>
    public string? Pattern { get; init; }
    /// <summary>Drop duplicates from search results.</summary>
    public bool Unique { get; init; }
}

/// <summary><c>history_reply</c> content: entries are <c>[session, line, input]</c> or <c>[session, line, [input, output]]</c>.</summary>
public sealed record HistoryReply(List<JsonElement> History, string Status = "ok");
