using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using KernelGateway.Gateway.Kernels;
using KernelGateway.Gateway.Policy;
using KernelGateway.Gateway.Sessions;

namespace KernelGateway.Gateway;

/// <summary>Source-generated JSON metadata for the gateway's REST types; snake_case names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(KernelModel))]
[JsonSerializable(typeof(List<KernelModel>))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(SessionModel))]
[JsonSerializable(typeof(List<SessionModel>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
