using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace KernelGateway.Protocol.Messages;

/// <summary><c>comm_open</c> content.</summary>
public sealed record CommOpen(string CommId, string TargetName, JsonObject? Data)
{
    /// <summary>The module that defines the target (optional).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TargetModule { get; init; }
}

/// <summary><c>comm_msg</c> and <c>comm_close</c> content.</summary>
public sealed record CommMessage(string CommId, JsonObject? Data);

/// <summary><c>comm_info_request</c> content.</summary>
public sealed record CommInfoRequest(string? TargetName);

/// <summary><c>comm_info_reply</c> content.</summary>
public sealed record CommInfoReply(Dictionary<string, CommInfo> Comms, string Status = "ok");

/// <summary>One open comm in comm_info_reply.</summary>
public sealed record CommInfo(string TargetName);
