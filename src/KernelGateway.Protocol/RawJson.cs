using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace KernelGateway.Protocol;

/// <summary>
/// A JSON text that is already valid UTF-8 JSON (a renderer's output), carried in a <see cref="JsonNode"/> tree
/// (a MIME bundle's <c>data</c>) and written out byte for byte: a multi-megabyte data resource goes into a message
/// without being parsed into a document and written again token by token. Serializing it needs options that know
/// this type (<see cref="ProtocolJsonContext"/> does, and so do reflection-based options); reading the node's
/// contents (<c>DeepClone</c>, say) parses it then.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed class RawJson
{
    /// <summary>Wraps <paramref name="utf8Json"/>; the caller vouches that it is one valid JSON value.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    public RawJson(byte[] utf8Json) => Utf8Json = utf8Json ?? throw new ArgumentNullException(nameof(utf8Json));

    /// <summary>The JSON text, UTF-8.</summary>
    public byte[] Utf8Json { get; }

    /// <summary>A node for a JSON text, to put in a <see cref="JsonObject"/>.</summary>
    public static JsonNode Node(byte[] utf8Json) => JsonValue.Create(new RawJson(utf8Json), ProtocolJsonContext.Default.RawJson)!;
}

/// <summary>Writes a <see cref="RawJson"/> as it is; reads any JSON value into one.</summary>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    /// <inheritdoc />
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return new RawJson(JsonSerializer.SerializeToUtf8Bytes(doc.RootElement, ProtocolJsonContext.Default.JsonElement));
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8Json, skipInputValidation: true);
}
