using System.Collections.Concurrent;
using System.Text.Json;
using KernelGateway.Gateway.Kernels;
using KernelGateway.Protocol;
using KernelGateway.Protocol.WebSocket;

namespace KernelGateway.Gateway.Channels;

/// <summary>
/// The WebSocket side of one kernel: every iopub message goes to every connection; a shell, control or stdin
/// message goes to the connection that sent its parent request. State changes the clients cannot see from the
/// kernel itself (restarting, dead) are sent as iopub <c>status</c> messages, as Jupyter Server does.
/// When the last connection closes, what the kernel sends is kept (up to a limit) and replayed to the next
/// connection if it comes back with the same <c>session_id</c>, as Jupyter Server buffers for a reconnecting
/// frontend; a connection with another session discards it.
/// </summary>
internal sealed class KernelChannelHub
{
    private readonly ManagedKernel _kernel;
    private readonly Metrics.GatewayMetrics _metrics;
    // When each client execute_request in flight reached the gateway (Stopwatch timestamps), for the execute metric.
    private readonly ConcurrentDictionary<string, long> _executes = new();
    private readonly ConcurrentDictionary<ChannelConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<string, ChannelConnection> _requests = new();
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly int _bufferLimit;
    // Guards _buffer, and orders delivery against it: a message is either buffered or delivered, never both,
    // and a replay reaches the new connection before anything that arrives after it.
    private readonly Lock _delivery = new();
    private ReplayBuffer? _buffer;

    private sealed class ReplayBuffer(string session)
    {
        public string Session { get; } = session;
        public List<(JupyterMessage Message, KernelChannel Channel)> Messages { get; } = [];
        public bool Overflowed { get; set; }
    }

    public KernelChannelHub(ManagedKernel kernel, Metrics.GatewayMetrics metrics, int bufferLimit = 10_000)
    {
        _kernel = kernel;
        _metrics = metrics;
        _bufferLimit = bufferLimit;
        kernel.MessageReceived += OnKernelMessage;
        kernel.StateChanged += OnStateChanged;
    }

    /// <summary>Adds a connection; when it carries the session that left last, the messages it missed are replayed to it first.</summary>
    /// <returns>How many messages were replayed.</returns>
    public int Add(ChannelConnection connection)
    {
        lock (_delivery)
        {
            var replayed = 0;
            if (_buffer is { } buffer)
            {
                _buffer = null;
                if (connection.Session is { Length: > 0 } session && session == buffer.Session && !buffer.Overflowed)
                {
                    foreach (var (message, channel) in buffer.Messages) Deliver(connection, message, channel);
                    replayed = buffer.Messages.Count;
                }
            }
            _connections[connection] = 0;
            _kernel.AddConnection();
            // Shut down between the route finding the kernel and this: the close would never come otherwise.
            if (_kernel.Removed) _ = connection.CloseAsync("kernel shut down");
            return replayed;
        }
    }

    public void Remove(ChannelConnection connection)
    {
        lock (_delivery)
        {
            if (!_connections.TryRemove(connection, out _)) return;
            _kernel.RemoveConnection();
            foreach (var (id, c) in _requests)
                if (ReferenceEquals(c, connection))
                {
                    _requests.TryRemove(id, out _);
                    _executes.TryRemove(id, out _);
                }
            if (_connections.IsEmpty && connection.Session is { Length: > 0 } session && !_kernel.Removed)
                _buffer = new ReplayBuffer(session);
        }
    }

    /// <summary>Keeps a message for the session that left, when the hub is keeping messages. Call under <see cref="_delivery"/>.</summary>
    private bool Buffer(JupyterMessage message, KernelChannel channel)
    {
        if (_buffer is not { } buffer) return false;
        if (buffer.Overflowed) return true;
        if (buffer.Messages.Count < _bufferLimit)
        {
            buffer.Messages.Add((message, channel));
            return true;
        }
        // A replay without its tail would mislead more than none: past the limit nothing is kept.
        buffer.Overflowed = true;
        buffer.Messages.Clear();
        buffer.Messages.TrimExcess();
        return true;
    }

    /// <summary>Forwards a client's message to the kernel, remembering who sent it so the reply finds its way back.</summary>
    public void Send(ChannelConnection from, KernelChannel channel, JupyterMessage message)
    {
        if (channel != KernelChannel.Stdin) _requests[message.Header.MessageId] = from;
        if (message.MessageType == MessageTypes.ExecuteRequest) _executes[message.Header.MessageId] = System.Diagnostics.Stopwatch.GetTimestamp();
        _metrics.MessageToKernel(channel);
        _kernel.Send(channel, message);
    }

    private void OnKernelMessage(ManagedKernel kernel, KernelChannel channel, JupyterMessage message)
    {
        _metrics.MessageFromKernel(channel);
        if (message.MessageType == MessageTypes.ExecuteReply && message.ParentHeader?.MessageId is { } executed && _executes.TryRemove(executed, out var sent))
            _metrics.ExecuteAnswered(System.Diagnostics.Stopwatch.GetElapsedTime(sent));
        lock (_delivery)
        {
            if (channel == KernelChannel.IOPub)
            {
                if (!Buffer(message, channel)) Broadcast(message, channel);
                return;
            }
            var parent = message.ParentHeader?.MessageId;
            if (parent is null) return;
            var isReply = channel is KernelChannel.Shell or KernelChannel.Control;
            var target = isReply ? (_requests.TryRemove(parent, out var t) ? t : null) : _requests.GetValueOrDefault(parent);
            // A reply to a request of the session that left (its connection is gone, so the request is unknown).
            if (target is not null) Deliver(target, message, channel);
            else Buffer(message, channel);
        }
    }

    private void OnStateChanged(ManagedKernel kernel, string state)
    {
        if (state is not (ExecutionStates.Restarting or ExecutionStates.Dead)) return;
        var header = new MessageHeader { MessageId = Guid.NewGuid().ToString("N"), Session = _session, Username = "kernel", MessageType = MessageTypes.Status };
        var content = JsonSerializer.SerializeToElement(new Protocol.Messages.StatusContent(state), ProtocolJsonContext.Default.StatusContent);
        lock (_delivery)
        {
            var status = JupyterMessage.Create(header, null, content);
            if (kernel.Removed) _buffer = null;
            if (!Buffer(status, KernelChannel.IOPub)) Broadcast(status, KernelChannel.IOPub);
        }
        if (kernel.Removed)
            foreach (var c in _connections.Keys) _ = c.CloseAsync("kernel shut down");
    }

    private void Broadcast(JupyterMessage message, KernelChannel channel)
    {
        byte[]? legacy = null, v1 = null;
        var legacyBinary = false;
        var name = channel.ToWireName();
        foreach (var c in _connections.Keys)
        {
            if (c.UsesV1)
            {
                v1 ??= WebSocketCodec.EncodeV1(message, name);
                c.TryEnqueue(v1, true);
            }
            else
            {
                if (legacy is null) (legacy, legacyBinary) = WebSocketCodec.EncodeLegacy(message, name);
                c.TryEnqueue(legacy, legacyBinary);
            }
        }
    }

    private static void Deliver(ChannelConnection c, JupyterMessage message, KernelChannel channel)
    {
        if (c.UsesV1) c.TryEnqueue(WebSocketCodec.EncodeV1(message, channel.ToWireName()), true);
        else
        {
            var (payload, binary) = WebSocketCodec.EncodeLegacy(message, channel.ToWireName());
            c.TryEnqueue(payload, binary);
        }
    }
}
