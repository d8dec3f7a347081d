using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace KernelGateway.Protocol.WebSocket;

/// <summary>
/// The two WebSocket framings Jupyter servers and gateways speak on <c>/api/kernels/{id}/channels</c>:
/// <list type="bullet">
/// <item>legacy (the default, and what Jupyter Server's gateway client uses): a text frame holding one JSON
/// object with <c>channel</c>, <c>header</c>, <c>parent_header</c>, <c>metadata</c>, <c>content</c>; with binary
/// buffers, a binary frame: big-endian u32 part count, u32 offsets, the JSON, then the buffers;</item>
/// <item><c>v1.kernel.websocket.jupyter.org</c>: a binary frame: little-endian u64 offset count, u64 offsets,
/// then the channel name, header, parent header, metadata, content and buffers as separate parts.</item>
/// </list>
/// Decoding never throws for bad input; it returns null and a reason.
/// </summary>
public static class WebSocketCodec
{
    /// <summary>The subprotocol name of the v1 framing.</summary>
    public const string V1Subprotocol = "v1.kernel.websocket.jupyter.org";

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 256 };

    /// <summary>Encodes a message in the legacy framing: text unless it carries buffers.</summary>
    public static (byte[] Payload, bool Binary) EncodeLegacy(JupyterMessage message, string channel)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("channel", channel);
            w.WritePropertyName("header"); message.HeaderJson.WriteTo(w);
            w.WriteString("msg_id", message.Header.MessageId);
            w.WriteString("msg_type", message.Header.MessageType);
            w.WritePropertyName("parent_header"); message.ParentHeaderJson.WriteTo(w);
            w.WritePropertyName("metadata"); message.Metadata.WriteTo(w);
            w.WritePropertyName("content");
            if (message.ContentUtf8 is { } raw) w.WriteRawValue(raw, skipInputValidation: true);
            else message.Content.WriteTo(w);
            w.WriteStartArray("buffers"); w.WriteEndArray();
            w.WriteEndObject();
        }
        if (message.Buffers.Count == 0) return (buffer.WrittenSpan.ToArray(), false);

        var parts = new List<ReadOnlyMemory<byte>> { buffer.WrittenMemory };
        parts.AddRange(message.Buffers);
        var headerSize = 4 * (parts.Count + 1);
        var total = headerSize + parts.Sum(p => p.Length);
        var payload = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)parts.Count);
        var offset = headerSize;
        for (var i = 0; i < parts.Count; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4 * (i + 1)), (uint)offset);
            parts[i].Span.CopyTo(payload.AsSpan(offset));
            offset += parts[i].Length;
        }
        return (payload, true);
    }

    /// <summary>Decodes a legacy frame (text or binary). The channel is in <see cref="JupyterMessage.Channel"/>.</summary>
    public static JupyterMessage? DecodeLegacy(ReadOnlySpan<byte> payload, bool binary, out string? error)
    {
        List<ReadOnlyMemory<byte>> buffers = [];
        ReadOnlySpan<byte> json = payload;
        if (binary)
        {
            if (payload.Length < 8) { error = "binary frame too short"; return null; }
            var count = BinaryPrimitives.ReadUInt32BigEndian(payload);
            if (count == 0 || count > 1024 || payload.Length < 4 * (count + 1)) { error = "bad part count"; return null; }
            var offsets = new int[count + 1];
            for (var i = 0; i < count; i++) offsets[i] = (int)BinaryPrimitives.ReadUInt32BigEndian(payload[(4 * (i + 1))..]);
            offsets[count] = payload.Length;
            for (var i = 0; i < count; i++)
            {
                if (offsets[i] < 4 * (count + 1) || offsets[i] > offsets[i + 1] || offsets[i + 1] > payload.Length) { error = "bad offsets"; return null; }
            }
            json = payload[offsets[0]..offsets[1]];
            for (var i = 1; i < count; i++) buffers.Add(payload[offsets[i]..offsets[i + 1]].ToArray());
        }
        if (!System.Text.Unicode.Utf8.IsValid(json)) { error = "not valid UTF-8"; return null; }
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray(), ParseOptions);
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            error = $"not JSON: {e.Message}";
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object) { error = "not a JSON object"; return null; }
        JsonElement Part(string name) => root.TryGetProperty(name, out var v) ? v : default;
        var header = Part("header");
        var parsed = JupyterMessage.TryParseHeader(header);
        if (parsed is null) { error = "header lacks msg_id or msg_type"; return null; }
        var channel = root.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        error = null;
        return new JupyterMessage(parsed, header, Part("parent_header"), Part("metadata"), Part("content")) { Channel = channel, Buffers = buffers };
    }

    /// <summary>Encodes a message in the v1 framing.</summary>
    public static byte[] EncodeV1(JupyterMessage message, string channel)
    {
        var parts = new List<ReadOnlyMemory<byte>>
        {
            Encoding.UTF8.GetBytes(channel),
            JsonSerializer.SerializeToUtf8Bytes(message.HeaderJson, ProtocolJsonContext.Default.JsonElement),
            JsonSerializer.SerializeToUtf8Bytes(message.ParentHeaderJson, ProtocolJsonContext.Default.JsonElement),
            JsonSerializer.SerializeToUtf8Bytes(message.Metadata, ProtocolJsonContext.Default.JsonElement),
            message.ContentUtf8 ?? JsonSerializer.SerializeToUtf8Bytes(message.Content, ProtocolJsonContext.Default.JsonElement),
        };
        parts.AddRange(message.Buffers);
        var offsetCount = parts.Count + 1;
        var headerSize = 8 * (1 + offsetCount);
        var payload = new byte[headerSize + parts.Sum(p => p.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, (ulong)offsetCount);
        var offset = headerSize;
        for (var i = 0; i < parts.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(8 * (i + 1)), (ulong)offset);
            parts[i].Span.CopyTo(payload.AsSpan(offset));
            offset += parts[i].Length;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(8 * offsetCount), (ulong)offset);
        return payload;
    }

    /// <summary>Decodes a v1 frame. The channel is in <see cref="JupyterMessage.Channel"/>.</summary>
    public static JupyterMessage? DecodeV1(ReadOnlySpan<byte> payload, out string? error)
    {
        if (payload.Length < 8) { error = "frame too short"; return null; }
        var count = BinaryPrimitives.ReadUInt64LittleEndian(payload);
        if (count < 6 || count > 1024 || (ulong)payload.Length < 8 * (count + 1)) { error = "bad offset count"; return null; }
        var offsets = new int[count];
        for (var i = 0; i < (int)count; i++)
        {
            var o = BinaryPrimitives.ReadUInt64LittleEndian(payload[(8 * (i + 1))..]);
            if (o > (ulong)payload.Length || o < 8 * (count + 1) || (i > 0 && (int)o < offsets[i - 1])) { error = "bad offsets"; return null; }
            offsets[i] = (int)o;
        }
        if (!System.Text.Unicode.Utf8.IsValid(payload[offsets[0]..offsets[5]])) { error = "not valid UTF-8"; return null; } // channel and the four JSON parts; buffers are binary
        var channel = Encoding.UTF8.GetString(payload[offsets[0]..offsets[1]]);
        var json = new JsonElement[4];
        for (var i = 0; i < 4; i++)
        {
            try
            {
                using var doc = JsonDocument.Parse(payload[offsets[i + 1]..offsets[i + 2]].ToArray(), ParseOptions);
                json[i] = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                error = $"part {i + 1} is not JSON: {e.Message}";
                return null;
            }
        }
        var header = JupyterMessage.TryParseHeader(json[0]);
        if (header is null) { error = "header lacks msg_id or msg_type"; return null; }
        var buffers = new List<ReadOnlyMemory<byte>>();
        for (var i = 5; i < (int)count - 1; i++) buffers.Add(payload[offsets[i]..offsets[i + 1]].ToArray());
        error = null;
        return new JupyterMessage(header, json[0], json[1], json[2], json[3]) { Channel = channel, Buffers = buffers };
    }
}
