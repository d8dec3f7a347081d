using System.Net.WebSockets;
using System.Threading.Channels;

namespace KernelGateway.Gateway.Channels;

/// <summary>
/// One WebSocket client of a kernel: a bounded outbound queue drained by a single writer loop, so a slow client
/// only ever fills its own queue. When the queue is full the client is disconnected; nobody else waits for it.
/// </summary>
internal sealed class ChannelConnection
{
    private readonly WebSocket _socket;
    private readonly Channel<(byte[] Payload, bool Binary)> _outbox;
    private readonly CancellationTokenSource _closed = new();

    public ChannelConnection(WebSocket socket, bool v1, int queueLimit)
    {
        _socket = socket;
        UsesV1 = v1;
        _outbox = Channel.CreateBounded<(byte[], bool)>(new BoundedChannelOptions(queueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>True for the <c>v1.kernel.websocket.jupyter.org</c> framing, false for the legacy JSON one.</summary>
    public bool UsesV1 { get; }

    /// <summary>Cancelled when the connection is over (closed, aborted or dropped as too slow).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Queues a frame without waiting; when the queue is full the client is dropped. Returns false when dropped.</summary>
    public bool TryEnqueue(byte[] payload, bool binary)
    {
        if (_outbox.Writer.TryWrite((payload, binary))) return true;
        Abort();
        return false;
    }

    /// <summary>Sends queued frames until the connection ends.</summary>
    public async Task RunWriterAsync()
    {
        try
        {
            await foreach (var (payload, binary) in _outbox.Reader.ReadAllAsync(_closed.Token).ConfigureAwait(false))
                await _socket.SendAsync(payload, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, _closed.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Abort();
        }
    }

    /// <summary>Ends the connection now.</summary>
    public void Abort()
    {
        _outbox.Writer.TryComplete();
        try { _closed.Cancel(); } catch (ObjectDisposedException) { }
        _socket.Abort();
    }

    /// <summary>Closes the connection with a close frame (best effort), e.g. when the kernel is shut down.</summary>
    public async Task CloseAsync(string reason)
    {
        _outbox.Writer.TryComplete();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        Abort();
    }
}
