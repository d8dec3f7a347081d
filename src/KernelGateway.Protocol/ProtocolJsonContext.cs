using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using KernelGateway.Protocol.Messages;

namespace KernelGateway.Protocol;

/// <summary>Source-generated JSON metadata for every wire type; snake_case names, nulls omitted.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(MessageHeader))]
[JsonSerializable(typeof(ConnectionInfo))]
[JsonSerializable(typeof(ExecuteRequest))]
[JsonSerializable(typeof(ExecuteReply))]
[JsonSerializable(typeof(ExecuteInput))]
[JsonSerializable(typeof(ExecuteResult))]
[JsonSerializable(typeof(DisplayData))]
[JsonSerializable(typeof(StreamOutput))]
[JsonSerializable(typeof(ErrorContent))]
[JsonSerializable(typeof(ClearOutput))]
[JsonSerializable(typeof(StatusContent))]
[JsonSerializable(typeof(CompleteRequest))]
[JsonSerializable(typeof(CompleteReply))]
[JsonSerializable(typeof(InspectRequest))]
[JsonSerializable(typeof(InspectReply))]
[JsonSerializable(typeof(IsCompleteRequest))]
[JsonSerializable(typeof(IsCompleteReply))]
[JsonSerializable(typeof(HistoryRequest))]
[JsonSerializable(typeof(HistoryReply))]
[JsonSerializable(typeof(KernelInfoReply))]
[JsonSerializable(typeof(ShutdownContent))]
[JsonSerializable(typeof(StatusReply))]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(InputRequest))]
[JsonSerializable(typeof(InputReply))]
[JsonSerializable(typeof(CommOpen))]
[JsonSerializable(typeof(CommMessage))]
[JsonSerializable(typeof(CommInfoRequest))]
[JsonSerializable(typeof(CommInfoReply))]
[JsonSerializable(typeof(IopubWelcome))]
[JsonSerializable(typeof(RawJson))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;

/// <summary><c>iopub_welcome</c> content (JEP 65).</summary>
public sealed record IopubWelcome(string Subscription);
