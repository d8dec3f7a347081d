using System.Text;
using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;

namespace KernelGateway.Protocol.Tests;

public sealed class WireCodecTests
{
    private static readonly WireCodec Codec = new(new MessageSigner("secret-key"));

    private static JupyterMessage Sample(string code = "1+1") => JupyterMessage.Create(
        new MessageHeader { MessageId = "m1", Session = "s1", MessageType = MessageTypes.ExecuteRequest },
        null, new ExecuteRequest { Code = code }, ProtocolJsonContext.Default.ExecuteRequest);

    [Fact]
    public void Signature_matches_an_independent_hmac_sha256()
    {
        // Computed with Python's hmac module over the same four frames.
        var signer = new MessageSigner("secret-key");
        var signature = signer.Sign("{\"msg_id\":\"1\",\"msg_type\":\"kernel_info_request\"}"u8, "{}"u8, "{}"u8, "{}"u8);
        Assert.Equal("d24613c901272087168eb7a17b371d2f54d14044dca08737846f4baf86191b6a", signature);
    }

    [Fact]
    public void Encode_then_decode_round_trips_identities_header_content_and_buffers()
    {
        var message = Sample().WithIdentities([[1, 2, 3], Encoding.ASCII.GetBytes("client")]);
        message = new JupyterMessage(message.Header, message.HeaderJson, message.ParentHeaderJson, message.Metadata, message.Content)
        {
            Identities = message.Identities,
            Buffers = [new byte[] { 9, 8, 7 }],
        };
        var frames = Codec.Encode(message);
        Assert.Equal("<IDS|MSG>", Encoding.ASCII.GetString(frames[2]));
        Assert.Equal(DecodeFailure.None, Codec.TryDecode(frames, out var decoded));
        Assert.Equal(2, decoded!.Identities.Count);
        Assert.Equal("client", Encoding.ASCII.GetString(decoded.Identities[1]));
        Assert.Equal(MessageTypes.ExecuteRequest, decoded.MessageType);
        Assert.Equal("1+1", decoded.ContentAs(ProtocolJsonContext.Default.ExecuteRequest).Code);
        Assert.Equal(new byte[] { 9, 8, 7 }, decoded.Buffers[0].ToArray());
        Assert.Null(decoded.ParentHeader);
    }

    [Fact]
    public void A_reply_echoes_the_request_header_exactly_as_parent()
    {
        var header = "{\"msg_id\":\"abc\",\"session\":\"s\",\"username\":\"u\",\"date\":\"2026-01-01T00:00:00Z\",\"msg_type\":\"kernel_info_request\",\"version\":\"5.3\",\"x_custom\":1}"u8.ToArray();
        var signer = Codec.Signer;
        List<byte[]> frames = [Encoding.ASCII.GetBytes("<IDS|MSG>"), Encoding.ASCII.GetBytes(signer.Sign(header, "{}"u8, "{}"u8, "{}"u8)), header, "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray()];
        Assert.Equal(DecodeFailure.None, Codec.TryDecode(frames, out var request));
        var reply = JupyterMessage.Create(new MessageHeader { MessageId = "r", Session = "k", MessageType = MessageTypes.KernelInfoReply }, request, new StatusReply(), ProtocolJsonContext.Default.StatusReply);
        var encoded = Codec.Encode(reply);
        using var parent = JsonDocument.Parse(encoded[3]);
        Assert.Equal(1, parent.RootElement.GetProperty("x_custom").GetInt32());
        Assert.Equal("abc", reply.ParentHeader!.MessageId);
    }

    [Fact]
    public void Tampered_content_fails_the_signature()
    {
        var frames = Codec.Encode(Sample());
        frames[^1] = Encoding.UTF8.GetBytes("{\"code\":\"rm -rf /\"}");
        Assert.Equal(DecodeFailure.BadSignature, Codec.TryDecode(frames, out var message));
        Assert.Null(message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("zz")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex!")]
    public void Missing_or_wrong_signatures_are_rejected(string signature)
    {
        var frames = Codec.Encode(Sample());
        frames[1] = Encoding.ASCII.GetBytes(signature);
        Assert.Equal(DecodeFailure.BadSignature, Codec.TryDecode(frames, out _));
    }

    [Fact]
    public void A_signature_made_with_another_key_is_rejected()
    {
        var other = new WireCodec(new MessageSigner("other-key"));
        Assert.Equal(DecodeFailure.BadSignature, Codec.TryDecode(other.Encode(Sample()), out _));
    }

    [Fact]
    public void Upper_case_hex_signatures_are_accepted()
    {
        var frames = Codec.Encode(Sample());
        frames[1] = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(frames[1]).ToUpperInvariant());
        Assert.Equal(DecodeFailure.None, Codec.TryDecode(frames, out _));
    }

    [Fact]
    public void Without_a_key_messages_are_unsigned_and_accepted()
    {
        var codec = new WireCodec(new MessageSigner(""));
        var frames = codec.Encode(Sample());
        Assert.Empty(frames[1]);
        Assert.Equal(DecodeFailure.None, codec.TryDecode(frames, out _));
    }

    [Fact]
    public void Frames_without_delimiter_or_too_few_frames_are_malformed()
    {
        Assert.Equal(DecodeFailure.Malformed, Codec.TryDecode([Encoding.ASCII.GetBytes("hello")], out _));
        Assert.Equal(DecodeFailure.Malformed, Codec.TryDecode([Encoding.ASCII.GetBytes("<IDS|MSG>"), [1], [2]], out _));
        Assert.Equal(DecodeFailure.Malformed, Codec.TryDecode([], out _));
    }

    [Theory]
    [InlineData("not json", "{}")]
    [InlineData("[1,2]", "{}")]
    [InlineData("{\"msg_type\":\"x\"}", "{}")]
    [InlineData("{\"msg_id\":\"1\"}", "{}")]
    [InlineData("{\"msg_id\":1,\"msg_type\":\"x\"}", "{}")]
    [InlineData("{\"msg_id\":\"1\",\"msg_type\":\"x\"}", "\"a string\"")]
    [InlineData("{\"msg_id\":\"1\",\"msg_type\":\"x\"}", "{\"a\":1} {}")]
    [InlineData("{\"msg_id\":\"1\",\"msg_type\":\"x\"}", "{\"a\":1")]
    [InlineData("{\"msg_id\":\"1\",\"msg_type\":\"x\"}", "{\"a\":[1,}")]
    [InlineData("{\"msg_id\":\"1\",\"msg_type\":\"x\"}", "")]
    public void Correctly_signed_but_bad_json_is_rejected(string header, string content)
    {
        byte[] h = Encoding.UTF8.GetBytes(header), c = Encoding.UTF8.GetBytes(content);
        var signature = Codec.Signer.Sign(h, "{}"u8, "{}"u8, c);
        List<byte[]> frames = [Encoding.ASCII.GetBytes("<IDS|MSG>"), Encoding.ASCII.GetBytes(signature), h, "{}"u8.ToArray(), "{}"u8.ToArray(), c];
        Assert.Equal(DecodeFailure.BadJson, Codec.TryDecode(frames, out _));
    }

    [Fact]
    public void A_correctly_signed_header_with_invalid_utf8_is_rejected_not_thrown()
    {
        byte[] h = [.. "{\"msg_id\":\"a"u8, 0xC8, .. "\",\"msg_type\":\"x\"}"u8];
        var signature = Codec.Signer.Sign(h, "{}"u8, "{}"u8, "{}"u8);
        List<byte[]> frames = [Encoding.ASCII.GetBytes("<IDS|MSG>"), Encoding.ASCII.GetBytes(signature), h, "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray()];
        Assert.NotEqual(DecodeFailure.None, Codec.TryDecode(frames, out _));
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        var random = new Random(1234);
        var good = Codec.Encode(Sample());
        for (var i = 0; i < 2000; i++)
        {
            var frames = good.Select(f => (byte[])f.Clone()).ToList();
            switch (random.Next(4))
            {
                case 0: frames[random.Next(frames.Count)] = RandomBytes(random); break;
                case 1: frames.RemoveAt(random.Next(frames.Count)); break;
                case 2: frames.Insert(random.Next(frames.Count), RandomBytes(random)); break;
                default:
                    var f = frames[random.Next(frames.Count)];
                    if (f.Length > 0) f[random.Next(f.Length)] ^= (byte)(1 + random.Next(255));
                    break;
            }
            var result = Codec.TryDecode(frames, out var message);
            Assert.Equal(result == DecodeFailure.None, message is not null);
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var b = new byte[random.Next(0, 64)];
        random.NextBytes(b);
        return b;
    }
}
