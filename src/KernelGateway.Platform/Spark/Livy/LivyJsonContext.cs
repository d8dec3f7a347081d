using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>Source-generated JSON metadata of Livy's wire types. Nulls are left out of requests: Livy (Jackson) takes a
/// missing field as its default, and refuses fields it does not know.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LivySessionRequest))]
[JsonSerializable(typeof(LivySession))]
[JsonSerializable(typeof(LivyPage<LivySession>))]
[JsonSerializable(typeof(LivyPage<LivyBatch>))]
[JsonSerializable(typeof(LivyLog))]
[JsonSerializable(typeof(LivyStateView))]
[JsonSerializable(typeof(LivyStatementRequest))]
[JsonSerializable(typeof(LivyStatement))]
[JsonSerializable(typeof(LivyBatchRequest))]
[JsonSerializable(typeof(LivyBatch))]
[JsonSerializable(typeof(LivyMessage))]
internal sealed partial class LivyJsonContext : JsonSerializerContext;

/// <summary><c>GET /sessions/{id}/state</c> and <c>/batches/{id}/state</c>: <c>{id, state}</c>.</summary>
internal sealed record LivyStateView([property: JsonPropertyName("id")] int Id, [property: JsonPropertyName("state")] string State);

/// <summary>The body of <c>POST /sessions/{id}/statements</c> (<c>ExecuteRequest</c>): the code and, optionally, its kind.</summary>
internal sealed record LivyStatementRequest([property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("kind")] string? Kind);

/// <summary>Livy's message answers: <c>{"msg": "deleted"}</c>, <c>{"msg": "canceled"}</c>, and errors.</summary>
internal sealed record LivyMessage([property: JsonPropertyName("msg")] string? Msg);
