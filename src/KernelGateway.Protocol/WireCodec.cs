using System.Text.Json;

namespace KernelGateway.Protocol;

/// <summary>Why a set of ZMQ frames was not accepted as a message.</summary>
public enum DecodeFailure
{
    /// <summary>Accepted.</summary>
    None,
    /// <summary>No <c>&lt;IDS|MSG&gt;</c> delimiter, or fewer than five frames after it.</summary>
    Malformed,
    /// <summary>The signature is missing, not hex, or does not match.</summary>
    BadSignature,
    /// <summary>A frame is not a JSON object, or the header lacks msg_id or msg_type.</summary>
    BadJson,
}

/// <summary>Encodes and decodes the ZMQ wire format: <c>[identities…, &lt;IDS|MSG&gt;, signature, header, parent, metadata, content, buffers…]</c>.</summary>
public sealed class WireCodec(MessageSigner signer)
{
    /// <summary>The signer in use.</summary>
    public MessageSigner Signer { get; } = signer;

    /// <summary>Encodes a message as frames, identities first.</summary>
    public List<byte[]> Encode(JupyterMessage message)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(message.HeaderJson, ProtocolJsonContext.Default.JsonElement);
        var parent = JsonSerializer.SerializeToUtf8Bytes(message.ParentHeaderJson, ProtocolJsonContext.Default.JsonElement);
        var metadata = JsonSerializer.SerializeToUtf8Bytes(message.Metadata, ProtocolJsonContext.Default.JsonElement);
        var content = message.ContentUtf8 ?? JsonSerializer.SerializeToUtf8Bytes(message.Content, ProtocolJsonContext.Default.JsonElement);
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(ProtocolInfo.Delimiter.ToArray());
        frames.Add(System.Text.Encoding.ASCII.GetBytes(Signer.Sign(header, parent, metadata, content)));
        frames.Add(header);
        frames.Add(parent);
        frames.Add(metadata);
        frames.Add(content);
        foreach (var b in message.Buffers) frames.Add(b.ToArray());
        return frames;
    }

    /// <summary>
    /// Decodes frames into a message. The signature is checked over the frames exactly as received.
    /// Never throws for bad input: returns the reason instead.
    /// </summary>
    public DecodeFailure TryDecode(IReadOnlyList<byte[]> frames, out JupyterMessage? message)
    {
        message = null;
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(ProtocolInfo.Delimiter)) { delimiter = i; break; }
        }
        if (delimiter < 0 || frames.Count < delimiter + 6) return DecodeFailure.Malformed;

        var signature = frames[delimiter + 1];
        var header = frames[delimiter + 2];
        var parent = frames[delimiter + 3];
        var metadata = frames[delimiter + 4];
        var content = frames[delimiter + 5];
        if (!Signer.Verify(signature, header, parent, metadata, content)) return DecodeFailure.BadSignature;

        if (!TryParseObject(header, out var headerJson) || !TryParseObject(parent, out var parentJson)
            || !TryParseObject(metadata, out var metadataJson) || !IsJsonObject(content))
            return DecodeFailure.BadJson;
        var parsed = JupyterMessage.TryParseHeader(headerJson);
        if (parsed is null) return DecodeFailure.BadJson;

        var identities = new byte[delimiter][];
        for (var i = 0; i < delimiter; i++) identities[i] = frames[i];
        var buffers = new ReadOnlyMemory<byte>[frames.Count - delimiter - 6];
        for (var i = 0; i < buffers.Length; i++) buffers[i] = frames[delimiter + 6 + i];
        message = JupyterMessage.FromWire(parsed, headerJson, parentJson, metadataJson, content, identities, buffers);
        return DecodeFailure.None;
    }

    /// <summary>Whether a frame is one well-formed JSON object (valid UTF-8, depth ≤ 256), checked without building a document.</summary>
    private static bool IsJsonObject(byte[] frame)
    {
        if (!System.Text.Unicode.Utf8.IsValid(frame)) return false;
        try
        {
            var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            reader.Skip();
            // Nothing but whitespace may follow the object.
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryParseObject(byte[] frame, out JsonElement element)
    {
        element = default;
        if (!System.Text.Unicode.Utf8.IsValid(frame)) return false; // JsonDocument defers this check to GetString
        try
        {
            using var doc = JsonDocument.Parse(frame, new JsonDocumentOptions { MaxDepth = 256 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return false;
            element = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
