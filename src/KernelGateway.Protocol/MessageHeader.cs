using System.Text.Json.Serialization;

namespace KernelGateway.Protocol;

/// <summary>The header of a Jupyter message (messaging protocol 5.x).</summary>
public sealed record MessageHeader
{
    /// <summary>A unique id for this message.</summary>
    [JsonPropertyName("msg_id")]
    public required string MessageId { get; init; }

    /// <summary>The session of the sender; a restarted kernel uses a new one.</summary>
    [JsonPropertyName("session")]
    public required string Session { get; init; }

    /// <summary>The user name of the sender.</summary>
    [JsonPropertyName("username")]
    public string Username { get; init; } = "kernel";

    /// <summary>ISO 8601 timestamp in UTC, e.g. <c>2026-12-01T07:30:00.000000Z</c>.</summary>
    [JsonPropertyName("date")]
    public string Date { get; init; } = ProtocolClock.Now();

    /// <summary>The message type, one of <see cref="MessageTypes"/>.</summary>
    [JsonPropertyName("msg_type")]
    public required string MessageType { get; init; }

    /// <summary>The protocol version of the message; defaults to <see cref="ProtocolInfo.Version"/>.</summary>
    [JsonPropertyName("version")]
    public string Version { get; init; } = ProtocolInfo.Version;

    /// <summary>The subshell this message addresses, when subshells are used (5.5).</summary>
    [JsonPropertyName("subshell_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SubshellId { get; init; }
}
