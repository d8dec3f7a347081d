using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Protocol.WebSocket;

namespace KernelGateway.Benchmarks;

/// <summary>One channels WebSocket: a reader that decodes every message (legacy JSON framing) and hands it to the current waiter.</summary>
internal sealed class WsKernel : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly Task _reader;
    private readonly SemaphoreSlim _send = new(1, 1);
    private (Func<JupyterMessage, bool> Match, TaskCompletionSource<JupyterMessage> Done)? _waiter;
    private readonly Lock _lock = new();

    private WsKernel(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = ReadAsync();
    }

    public static async Task<WsKernel> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, cancellationToken);
        return new WsKernel(socket);
    }

    public async Task<string> SendAsync(KernelChannel channel, string msgType, JsonElement content, CancellationToken cancellationToken, string? msgId = null)
    {
        var header = new MessageHeader { MessageId = msgId ?? Guid.NewGuid().ToString("N"), Session = _session, Username = "bench", MessageType = msgType };
        var (payload, binary) = WebSocketCodec.EncodeLegacy(JupyterMessage.Create(header, null, content), channel.ToWireName());
        await _send.WaitAsync(cancellationToken);
        try { await _socket.SendAsync(payload, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, cancellationToken); }
        finally { _send.Release(); }
        return header.MessageId;
    }

    /// <summary>Hands every message to <paramref name="match"/> (on the reader) until it returns true; one waiter at a time.</summary>
    public Task<JupyterMessage> WaitForAsync(Func<JupyterMessage, bool> match, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<JupyterMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _waiter = (match, done);
        cancellationToken.Register(() => done.TrySetCanceled());
        return done.Task;
    }

    public void CancelWaits()
    {
        lock (_lock) _waiter = null;
    }

    /// <summary>Runs a cell and returns the milliseconds from sending it to having both its execute_reply and its idle status.</summary>
    public async Task<double> ExecuteAsync(string code, CancellationToken cancellationToken, int expectLines = 0)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        var content = JsonSerializer.SerializeToElement(new ExecuteRequest { Code = code }, ProtocolJsonContext.Default.ExecuteRequest);
        var id = Guid.NewGuid().ToString("N");
        bool reply = false, idle = false;
        string? status = null;
        var lines = 0;
        var clock = Stopwatch.StartNew();
        var finished = WaitForAsync(m =>
        {
            if (m.ParentHeader?.MessageId != id) return false;
            if (m.MessageType == MessageTypes.ExecuteReply) { reply = true; status = m.Content.GetProperty("status").GetString(); }
            else if (m.MessageType == MessageTypes.Status && m.Content.GetProperty("execution_state").GetString() == "idle") idle = true;
            else if (m.MessageType == MessageTypes.Stream) lines += CountLines(m.Content.GetProperty("text").GetString());
            return reply && idle;
        }, timeout.Token);
        await SendAsync(KernelChannel.Shell, MessageTypes.ExecuteRequest, content, timeout.Token, id);
        await finished;
        var ms = clock.Elapsed.TotalMilliseconds;
        if (status != "ok") throw new InvalidOperationException($"'{code}' failed: {status}");
        if (expectLines > 0 && lines != expectLines) throw new InvalidOperationException($"{lines} lines arrived, not {expectLines}");
        return ms;
    }

    private static int CountLines(string? text)
    {
        var n = 0;
        foreach (var ch in text.AsSpan()) if (ch == '\n') n++;
        return n;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 20];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) return;
                var decoded = WebSocketCodec.DecodeLegacy(message.GetBuffer().AsSpan(0, (int)message.Length), result.MessageType == WebSocketMessageType.Binary, out _);
                if (decoded is null) continue;
                (Func<JupyterMessage, bool> Match, TaskCompletionSource<JupyterMessage> Done)? w;
                lock (_lock) w = _waiter;
                if (w is { } waiter && waiter.Match(decoded))
                {
                    lock (_lock) if (ReferenceEquals(_waiter?.Done, waiter.Done)) _waiter = null;
                    waiter.Done.TrySetResult(decoded);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var t = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (_socket.State == WebSocketState.Open) await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", t.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        _socket.Abort();
        await _reader;
        _socket.Dispose();
    }
}
