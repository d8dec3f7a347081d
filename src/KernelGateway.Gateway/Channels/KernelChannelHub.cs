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
/// </summary>
internal sealed class KernelChannelHub
{
    private readonly ManagedKernel _kernel;
    private readonly ConcurrentDictionary<ChannelConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<string, ChannelConnection> _requests = new();
    private readonly string _session = Guid.NewGuid().ToString();

    public KernelChannelHub(ManagedKernel kernel)
    {
        _kernel = kernel;
        kernel.MessageReceived += OnKernelMessage;
        kernel.StateChanged += OnStateChanged;
    }

    public void Add(ChannelConnection connection)
    {
        _connections[connection] = 0;
        _kernel.AddConnection();
    }

    public void Remove(ChannelConnection connection)
    {
        if (!_connections.TryRemove(connection, out _)) return;
        _kernel.RemoveConnection();
        foreach (var (id, c) in _requests)
            if (ReferenceEquals(c, connection)) _requests.TryRemove(id, out _);
    }

    /// <summary>Forwards a client's message to the kernel, remembering who sent it so the reply finds its way back.</summary>
    public void Send(ChannelConnection from, KernelChannel channel, JupyterMessage message)
    {
        if (channel != KernelChannel.Stdin) _requests[message.Header.MessageId] = from;
        _kernel.Send(channel, message);
    }

    private void OnKernelMessage(ManagedKernel kernel, KernelChannel channel, JupyterMessage message)
    {
        if (channel == KernelChannel.IOPub)
        {
            Broadcast(message, channel);
            return;
        }
        var parent = message.ParentHeader?.MessageId;
        if (parent is null) return;
        var isReply = channel is KernelChannel.Shell or KernelChannel.Control;
        var target = isReply ? (_requests.TryRemove(parent, out var t) ? t : null) : _requests.GetValueOrDefault(parent);
        if (target is not null) Deliver(target, message, channel);
    }

    private void OnStateChanged(ManagedKernel kernel, string state)
    {
        if (state is not (ExecutionStates.Restarting or ExecutionStates.Dead)) return;
        var header = new MessageHeader { MessageId = Guid.NewGuid().ToString("N"), Session = _session, Username = "kernel", MessageType = MessageTypes.Status };
        var content = JsonSerializer.SerializeToElement(new Protocol.Messages.StatusContent(state), ProtocolJsonContext.Default.StatusContent);
        Broadcast(JupyterMessage.Create(header, null, content), KernelChannel.IOPub);
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
