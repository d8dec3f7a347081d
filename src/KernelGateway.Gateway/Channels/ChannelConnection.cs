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
    private volatile bool _closing;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChannelConnection(WebSocket socket, bool v1, int queueLimit, string? session = null)
    {
        _socket = socket;
        UsesV1 = v1;
        Session = session;
        _outbox = Channel.CreateBounded<(byte[], bool)>(new BoundedChannelOptions(queueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The client's <c>session_id</c> query parameter, when it sent one: the key of the replay buffer.</summary>
    public string? Session { get; }

    /// <summary>True for the <c>v1.kernel.websocket.jupyter.org</c> framing, false for the legacy JSON one.</summary>
    public bool UsesV1 { get; }

    /// <summary>Cancelled when the connection is over (closed, aborted or dropped as too slow).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Queues a frame without waiting; when the queue is full the client is dropped. Returns false when dropped.</summary>
    public bool TryEnqueue(byte[] payload, bool binary)
    {
        if (_outbox.Writer.TryWrite((payload, binary))) return true;
        // Refused because the connection is closing (messages after the last one are dropped), or because it is full.
        if (!_closing) Abort();
        return false;
    }

    /// <summary>Sends queued frames until the connection ends.</summary>
    public async Task RunWriterAsync()
    {
        var drained = false;
        try
        {
            await foreach (var (payload, binary) in _outbox.Reader.ReadAllAsync(_closed.Token).ConfigureAwait(false))
                await _socket.SendAsync(payload, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, _closed.Token).ConfigureAwait(false);
            drained = true;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            // A completed queue that was sent in full is CloseAsync's doing: it sends the close frame itself.
            _drained.TrySetResult();
            if (!drained) Abort();
        }
    }

    /// <summary>Ends the connection now, without a close handshake (a dropped or failed client).</summary>
    public void Abort()
    {
        Finish();
        _socket.Abort();
    }

    /// <summary>Stops the writer after the close handshake is over; the socket is left to ASP.NET Core to finish, so what it still holds reaches the client.</summary>
    public void Finish()
    {
        _outbox.Writer.TryComplete();
        try { _closed.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>
    /// Closes the connection with a close handshake (best effort), e.g. when the kernel is shut down: what is queued
    /// (such as the kernel's last <c>dead</c> status) is sent first, then the close frame, then the client's close
    /// frame is awaited. Aborting right after sending would lose both: Kestrel drops output it has not flushed yet.
    /// </summary>
    public async Task CloseAsync(string reason)
    {
        if (_closing) return;
        _closing = true;
        _outbox.Writer.TryComplete();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _drained.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token).ConfigureAwait(false);
            // The receive loop sees the client's close frame and ends the connection (Finish), or the timeout does.
            if (_socket.State != WebSocketState.Closed)
                await Task.Delay(Timeout.Infinite, _closed.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        if (_socket.State == WebSocketState.Closed) Finish();
        else Abort();
    }
}
