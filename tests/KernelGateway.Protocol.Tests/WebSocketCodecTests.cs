using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Protocol.WebSocket;

namespace KernelGateway.Protocol.Tests;

/// <summary>The WebSocket framings, cross-checked against Jupyter Server's own (Debian's python3-jupyter-server).</summary>
public sealed class WebSocketCodecTests
{
    private static JupyterMessage Sample(params byte[][] buffers) => JupyterMessage.Create(
            new MessageHeader { MessageId = "m-1", Session = "s-1", MessageType = MessageTypes.ExecuteRequest },
            null, new ExecuteRequest { Code = "Console.WriteLine(\"é\");" }, ProtocolJsonContext.Default.ExecuteRequest) is var m
        ? new JupyterMessage(m.Header, m.HeaderJson, m.ParentHeaderJson, m.Metadata, m.Content) { Buffers = buffers.Select(b => (ReadOnlyMemory<byte>)b).ToList() }
        : throw new InvalidOperationException();

    private static string RunPython(string script, byte[] input)
    {
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, input);
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        File.Delete(path);
        Assert.True(p.ExitCode == 0, stderr);
        return stdout;
    }

    private const string Imports = "import sys, json; from jupyter_server.base.zmqhandlers import serialize_binary_message, deserialize_binary_message, serialize_msg_to_ws_v1, deserialize_msg_from_ws_v1\n";

    [Fact]
    public void V1_frames_we_write_are_read_by_jupyter_server()
    {
        var frame = WebSocketCodec.EncodeV1(Sample([1, 2, 3], [4]), "shell");
        var output = RunPython(Imports + """
            channel, parts = deserialize_msg_from_ws_v1(open(sys.argv[1], 'rb').read())
            print(json.dumps({"channel": channel, "header": json.loads(parts[0]), "content": json.loads(parts[3]), "buffers": [list(b) for b in parts[4:]]}, separators=(",", ":")))
            """, frame);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("shell", doc.RootElement.GetProperty("channel").GetString());
        Assert.Equal("m-1", doc.RootElement.GetProperty("header").GetProperty("msg_id").GetString());
        Assert.Equal("Console.WriteLine(\"é\");", doc.RootElement.GetProperty("content").GetProperty("code").GetString());
        Assert.Equal("[[1,2,3],[4]]", doc.RootElement.GetProperty("buffers").GetRawText());
    }

    [Fact]
    public void V1_frames_jupyter_server_writes_are_read_here()
    {
        var frame = Encoding.UTF8.GetBytes(RunPython(Imports + """
            msg = {"header": {"msg_id": "py-1", "msg_type": "status", "session": "s", "username": "u", "date": "", "version": "5.3"},
                   "parent_header": {"msg_id": "req"}, "metadata": {}, "content": {"execution_state": "idle"}}
            pack = lambda o: json.dumps(o).encode()
            sys.stdout.write(serialize_msg_to_ws_v1(msg, "iopub", pack).hex())
            """, []));
        var message = WebSocketCodec.DecodeV1(Convert.FromHexString(Encoding.ASCII.GetString(frame)), out var error);
        Assert.True(message is not null, error);
        Assert.Equal("iopub", message.Channel);
        Assert.Equal("py-1", message.Header.MessageId);
        Assert.Equal("req", message.ParentHeader!.MessageId);
        Assert.Equal("idle", message.Content.GetProperty("execution_state").GetString());
    }

    [Fact]
    public void Legacy_binary_frames_round_trip_with_jupyter_server()
    {
        var (payload, binary) = WebSocketCodec.EncodeLegacy(Sample([9, 8, 7]), "shell");
        Assert.True(binary);
        var output = RunPython(Imports + """
            m = deserialize_binary_message(open(sys.argv[1], 'rb').read())
            m["buffers"] = [list(b) for b in m["buffers"]]
            back = serialize_binary_message({**m, "buffers": [bytes([5, 6])]})
            print(json.dumps({"channel": m["channel"], "msg_id": m["header"]["msg_id"], "buffers": m["buffers"], "back": back.hex()}, separators=(",", ":")))
            """, payload);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("shell", doc.RootElement.GetProperty("channel").GetString());
        Assert.Equal("m-1", doc.RootElement.GetProperty("msg_id").GetString());
        Assert.Equal("[[9,8,7]]", doc.RootElement.GetProperty("buffers").GetRawText());
        var back = WebSocketCodec.DecodeLegacy(Convert.FromHexString(doc.RootElement.GetProperty("back").GetString()!), binary: true, out var error);
        Assert.True(back is not null, error);
        Assert.Equal("shell", back.Channel);
        Assert.Equal(new byte[] { 5, 6 }, back.Buffers[0].ToArray());
    }

    [Fact]
    public void Legacy_text_frames_carry_channel_and_parts()
    {
        var (payload, binary) = WebSocketCodec.EncodeLegacy(Sample(), "control");
        Assert.False(binary);
        var decoded = WebSocketCodec.DecodeLegacy(payload, binary: false, out var error);
        Assert.True(decoded is not null, error);
        Assert.Equal("control", decoded.Channel);
        Assert.Equal("execute_request", decoded.MessageType);
        using var doc = JsonDocument.Parse(payload);
        Assert.Equal("m-1", doc.RootElement.GetProperty("msg_id").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"channel\":\"shell\",\"header\":{}}")]
    public void Bad_legacy_text_is_rejected_with_a_reason(string text)
    {
        Assert.Null(WebSocketCodec.DecodeLegacy(Encoding.UTF8.GetBytes(text), binary: false, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Truncated_or_garbage_binary_frames_never_throw()
    {
        var v1 = WebSocketCodec.EncodeV1(Sample([1, 2]), "shell");
        var legacy = WebSocketCodec.EncodeLegacy(Sample([1, 2]), "shell").Payload;
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var a = v1[..random.Next(v1.Length)];
            var b = (byte[])legacy.Clone();
            b[random.Next(b.Length)] ^= (byte)(1 + random.Next(255));
            WebSocketCodec.DecodeV1(a, out _);
            WebSocketCodec.DecodeLegacy(b, binary: true, out _);
            WebSocketCodec.DecodeLegacy(a, binary: true, out _);
        }
        Assert.NotNull(WebSocketCodec.DecodeV1(v1, out _));
    }
}
