using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;

namespace KernelGateway.Protocol.Tests;

/// <summary>
/// A message made from a typed content keeps the bytes it was serialized to and sends those: a display's data is
/// written once. The bytes must be what serializing the parsed content would give, and a <see cref="RawJson"/>
/// value (a renderer's finished JSON) must arrive as the same JSON.
/// </summary>
public sealed class RawContentTests
{
    private static readonly WireCodec Codec = new(new MessageSigner("secret-key"));

    private static MessageHeader Header(string type) => new() { MessageId = "m1", Session = "s1", MessageType = type };

    [Fact]
    public void The_content_frame_is_what_serializing_the_parsed_content_gives()
    {
        var content = new DisplayData(new JsonObject { ["text/plain"] = "a <b> & \"c\" é 😀", ["n"] = 1.5 }, new JsonObject()) { Transient = new JsonObject { ["display_id"] = "d" } };
        var message = JupyterMessage.Create(Header(MessageTypes.DisplayData), null, content, ProtocolJsonContext.Default.DisplayData);
        var frames = Codec.Encode(message.WithIdentities([Encoding.ASCII.GetBytes("kernel.s1.display_data")]));
        var expected = JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.SerializeToElement(content, ProtocolJsonContext.Default.DisplayData), ProtocolJsonContext.Default.JsonElement);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(frames[^1]));
        Assert.Equal("d", message.Content.GetProperty("transient").GetProperty("display_id").GetString());
    }

    [Fact]
    public void A_raw_json_value_is_sent_byte_for_byte_and_decodes_to_the_same_json()
    {
        var raw = """{"schema":{"fields":[{"name":"s","type":"string"}]},"data":[{"s":"<script> & é"},{"s":null}]}"""u8.ToArray();
        var content = new DisplayData(new JsonObject { ["application/vnd.dataresource+json"] = RawJson.Node(raw), ["text/plain"] = "t" }, new JsonObject());
        var message = JupyterMessage.Create(Header(MessageTypes.DisplayData), null, content, ProtocolJsonContext.Default.DisplayData);
        var frames = Codec.Encode(message);
        Assert.Contains(Encoding.UTF8.GetString(raw), Encoding.UTF8.GetString(frames[^1]));

        Assert.Equal(DecodeFailure.None, Codec.TryDecode(frames, out var decoded));
        var resource = decoded!.Content.GetProperty("data").GetProperty("application/vnd.dataresource+json");
        Assert.Equal("<script> & é", resource.GetProperty("data")[0].GetProperty("s").GetString());
        Assert.Equal(JsonValueKind.Null, resource.GetProperty("data")[1].GetProperty("s").ValueKind);
        // Read in place too, parsed on first use.
        Assert.Equal("string", message.Content.GetProperty("data").GetProperty("application/vnd.dataresource+json").GetProperty("schema").GetProperty("fields")[0].GetProperty("type").GetString());
    }

    [Fact]
    public void A_bundle_holding_raw_json_can_be_cloned_and_printed()
    {
        var data = new JsonObject { ["application/json"] = RawJson.Node("""{"a":[1,2,{"b":"c"}]}"""u8.ToArray()) };
        var clone = data.DeepClone();
        Assert.Equal("c", clone["application/json"]!["a"]![2]!["b"]!.GetValue<string>());
        Assert.Equal("""{"application/json":{"a":[1,2,{"b":"c"}]}}""", data.ToJsonString());
    }

    [Fact]
    public void Copies_with_other_identities_or_channel_send_the_same_content()
    {
        var message = JupyterMessage.Create(Header(MessageTypes.Stream), null, new StreamOutput("stdout", "hi"), ProtocolJsonContext.Default.StreamOutput);
        var a = Codec.Encode(message)[^1];
        var b = Codec.Encode(message.WithIdentities([[1]]).WithChannel("iopub"))[^1];
        Assert.Equal(a, b);
        Assert.Equal("hi", message.WithChannel("iopub").Content.GetProperty("text").GetString());
    }

    [Fact]
    public void A_decoded_message_is_forwarded_with_the_content_bytes_it_came_with()
    {
        // Escapes as another kernel writes them (\u escapes, a slash escaped), which re-serializing would change.
        var content = """{"name":"stdout","text":"caf\u00e9 <b> \/ \ud83d\ude00\n"}"""u8.ToArray();
        var header = """{"msg_id":"m2","msg_type":"stream","session":"k","username":"kernel","date":"2026-01-01T00:00:00Z","version":"5.3"}"""u8.ToArray();
        var signature = Encoding.ASCII.GetBytes(Codec.Signer.Sign(header, "{}"u8, "{}"u8, content));
        List<byte[]> frames = [Encoding.ASCII.GetBytes("kernel.k.stream"), Encoding.ASCII.GetBytes("<IDS|MSG>"), signature, header, "{}"u8.ToArray(), "{}"u8.ToArray(), content];
        Assert.Equal(DecodeFailure.None, Codec.TryDecode(frames, out var decoded));
        Assert.Equal("café <b> / 😀\n", decoded!.Content.GetProperty("text").GetString());

        var (legacy, binary) = KernelGateway.Protocol.WebSocket.WebSocketCodec.EncodeLegacy(decoded, "iopub");
        Assert.False(binary);
        Assert.Contains(Encoding.UTF8.GetString(content), Encoding.UTF8.GetString(legacy));
        using (var doc = JsonDocument.Parse(legacy))
            Assert.Equal("café <b> / 😀\n", doc.RootElement.GetProperty("content").GetProperty("text").GetString());
        var back = KernelGateway.Protocol.WebSocket.WebSocketCodec.DecodeV1(KernelGateway.Protocol.WebSocket.WebSocketCodec.EncodeV1(decoded, "iopub"), out var error);
        Assert.Null(error);
        Assert.Equal("café <b> / 😀\n", back!.Content.GetProperty("text").GetString());
        Assert.Equal(content, Codec.Encode(decoded)[^1]);
    }
}
