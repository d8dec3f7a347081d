using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using KernelGateway.Protocol;
using KernelGateway.Protocol.WebSocket;

namespace KernelGateway.Gateway.Tests.Channels;

/// <summary>A real WebSocket client of <c>/api/kernels/{id}/channels</c>, legacy JSON framing unless v1 is asked for.</summary>
public sealed class ChannelsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly System.Threading.Channels.Channel<JsonElement> _inbox = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
    private Task _reader;
    private readonly string _session = Guid.NewGuid().ToString();

    private ChannelsClient(ClientWebSocket socket, bool read)
    {
        _socket = socket;
        _reader = read ? ReadAsync() : Task.CompletedTask;
    }

    /// <summary>Why reading stopped: null while open; the close status or exception type after.</summary>
    public string? EndedBecause { get; private set; }

    /// <summary>The subprotocol the server chose.</summary>
    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>Connects; with <paramref name="read"/> false the client never reads (a stalled client).</summary>
    public static Task<ChannelsClient> ConnectAsync(GatewayServer server, string kernelId, bool v1 = false, string query = "", bool read = true) =>
        ConnectAsync(new UriBuilder(new Uri(server.BaseUri, server.Path($"/api/kernels/{kernelId}/channels{query}"))) { Scheme = "ws" }.Uri, v1, read);

    /// <summary>Connects to a channels URL (<c>ws://host:port/api/kernels/{id}/channels?...</c>) of any gateway, such as a <c>kernelgateway serve</c> process.</summary>
    public static async Task<ChannelsClient> ConnectAsync(Uri uri, bool v1 = false, bool read = true, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        if (v1) socket.Options.AddSubProtocol(WebSocketCodec.V1Subprotocol);
        if (read)
        {
            await socket.ConnectAsync(uri, cancellationToken);
        }
        else
        {
            // A small fixed receive buffer (no autotuning), so the kernel's TCP stack cannot absorb a stalled client's backlog.
            using var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, ct) =>
                {
                    var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024 };
                    await s.ConnectAsync(context.DnsEndPoint, ct);
                    return new System.Net.Sockets.NetworkStream(s, ownsSocket: true);
                },
            };
            await socket.ConnectAsync(uri, new HttpMessageInvoker(handler, disposeHandler: false), cancellationToken);
        }
        return new ChannelsClient(socket, read);
    }

    /// <summary>Sends a request and returns its msg_id.</summary>
    public async Task<string> SendAsync(string channel, string msgType, string content = "{}")
    {
        var header = new MessageHeader { MessageId = Guid.NewGuid().ToString("N"), Session = _session, Username = "test", MessageType = msgType };
        var message = JupyterMessage.Create(header, null, JsonDocument.Parse(content).RootElement.Clone());
        if (_socket.SubProtocol == WebSocketCodec.V1Subprotocol)
        {
            await _socket.SendAsync(WebSocketCodec.EncodeV1(message, channel), WebSocketMessageType.Binary, true, Timeout());
        }
        else
        {
            var json = new JsonObject
            {
                ["channel"] = channel,
                ["header"] = JsonSerializer.SerializeToNode(header, ProtocolJsonContext.Default.MessageHeader),
                ["parent_header"] = new JsonObject(),
                ["metadata"] = new JsonObject(),
                ["content"] = JsonNode.Parse(content),
            };
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json.ToJsonString()), WebSocketMessageType.Text, true, Timeout());
        }
        return header.MessageId;
    }

    /// <summary>Sends an execute_request and returns its msg_id.</summary>
    public Task<string> ExecuteAsync(string code, bool allowStdin = false) =>
        SendAsync("shell", MessageTypes.ExecuteRequest, new JsonObject { ["code"] = code, ["silent"] = false, ["allow_stdin"] = allowStdin }.ToJsonString());

    /// <summary>Every message received until (and including) the first that matches, as JSON with a <c>channel</c> field; at most 2 minutes.</summary>
    public async Task<List<JsonElement>> ReceiveUntilAsync(Func<JsonElement, bool> stop)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await ReceiveUntilAsync(stop, timeout.Token, "in 2 minutes");
    }

    /// <summary>As <see cref="ReceiveUntilAsync(Func{JsonElement, bool})"/>, for as long as <paramref name="cancellationToken"/> allows.</summary>
    public Task<List<JsonElement>> ReceiveUntilAsync(Func<JsonElement, bool> stop, CancellationToken cancellationToken) =>
        ReceiveUntilAsync(stop, cancellationToken, "before the test's deadline");

    private async Task<List<JsonElement>> ReceiveUntilAsync(Func<JsonElement, bool> stop, CancellationToken cancellationToken, string deadline)
    {
        var seen = new List<JsonElement>();
        while (true)
        {
            JsonElement m;
            try { m = await _inbox.Reader.ReadAsync(cancellationToken); }
            catch (ChannelClosedException) { throw new Xunit.Sdk.XunitException($"the socket ended ({EndedBecause}) after {seen.Count} messages"); }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"nothing matched {deadline}; {seen.Count} messages came: "
                    + string.Join(", ", seen.Select(x => $"{Channel(x)}/{Type(x)}{(Type(x) == "status" ? ":" + x.GetProperty("content").GetProperty("execution_state").GetString() : "")}")));
            }
            seen.Add(m);
            if (stop(m)) return seen;
        }
    }

    /// <summary>Reads until the request's shell reply and its iopub idle have both arrived (at most 2 minutes, or until <paramref name="cancellationToken"/> when given).</summary>
    public async Task<List<JsonElement>> ReceiveOutcomeAsync(string msgId, CancellationToken? cancellationToken = null)
    {
        bool reply = false, idle = false;
        bool Done(JsonElement m)
        {
            if (ParentId(m) == msgId && Channel(m) is "shell" or "control" && Type(m).EndsWith("_reply")) reply = true;
            if (ParentId(m) == msgId && Type(m) == "status" && m.GetProperty("content").GetProperty("execution_state").GetString() == "idle") idle = true;
            return reply && idle;
        }
        return cancellationToken is { } token ? await ReceiveUntilAsync(Done, token) : await ReceiveUntilAsync(Done);
    }

    /// <summary>Starts reading on a client connected with read: false.</summary>
    public void BeginReading()
    {
        if (_reader.IsCompleted) _reader = ReadAsync();
    }

    /// <summary>Waits until the server ends the connection; returns why.</summary>
    public async Task<string> WaitForEndAsync()
    {
        while (await _inbox.Reader.WaitToReadAsync()) _inbox.Reader.TryRead(out _);
        await _reader;
        return EndedBecause!;
    }

    /// <summary>The channel of a received message.</summary>
    public static string Channel(JsonElement m) => m.GetProperty("channel").GetString()!;

    /// <summary>The msg_type of a received message.</summary>
    public static string Type(JsonElement m) => m.GetProperty("header").GetProperty("msg_type").GetString()!;

    /// <summary>The parent msg_id of a received message, or null.</summary>
    public static string? ParentId(JsonElement m) =>
        m.GetProperty("parent_header").TryGetProperty("msg_id", out var id) ? id.GetString() : null;

    /// <summary>All stdout text in the messages.</summary>
    public static string Stdout(IEnumerable<JsonElement> messages) => string.Concat(messages
        .Where(m => Type(m) == "stream" && m.GetProperty("content").GetProperty("name").GetString() == "stdout")
        .Select(m => m.GetProperty("content").GetProperty("text").GetString()));

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                using var ms = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    ms.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    EndedBecause = $"close {result.CloseStatus}";
                    break;
                }
                _inbox.Writer.TryWrite(Decode(ms.ToArray(), result.MessageType == WebSocketMessageType.Binary));
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            EndedBecause = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }

    private JsonElement Decode(byte[] payload, bool binary)
    {
        if (_socket.SubProtocol != WebSocketCodec.V1Subprotocol) return JsonDocument.Parse(payload).RootElement.Clone();
        var m = WebSocketCodec.DecodeV1(payload, out var error) ?? throw new InvalidDataException(error);
        return JsonSerializer.SerializeToElement(new JsonObject
        {
            ["channel"] = m.Channel,
            ["header"] = JsonNode.Parse(m.HeaderJson.GetRawText()),
            ["parent_header"] = JsonNode.Parse(m.ParentHeaderJson.GetRawText()),
            ["metadata"] = JsonNode.Parse(m.Metadata.GetRawText()),
            ["content"] = JsonNode.Parse(m.Content.GetRawText()),
        }, ProtocolJsonContext.Default.JsonObject);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token;

    /// <summary>Closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", Timeout());
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        _socket.Abort();
        await _reader;
        _socket.Dispose();
    }
}
