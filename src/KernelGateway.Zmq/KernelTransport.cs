using System.Threading.Channels;
using KernelGateway.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Sockets;

namespace KernelGateway.Zmq;

/// <summary>
/// The kernel side of a connection: shell, control and stdin ROUTER sockets, an iopub XPUB socket that
/// greets every subscriber with <c>iopub_welcome</c>, and a heartbeat REP socket. All sockets live on one
/// poller thread, which is the only writer to each of them: producers call <see cref="Send"/>, which encodes
/// and signs on the caller's thread and queues the frames. Inbound messages whose signature or shape is bad
/// are logged (type of failure only) and dropped.
/// </summary>
public sealed class KernelTransport : IDisposable
{
    private readonly ConnectionInfo _info;
    private readonly ILogger _log;
    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly XPublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();
    private readonly NetMQQueue<(KernelChannel Channel, List<byte[]> Frames)> _outbox = new();
    private readonly NetMQPoller _poller;
    private readonly Channel<JupyterMessage> _shellIn = Channel.CreateUnbounded<JupyterMessage>(new() { SingleReader = true, SingleWriter = true });
    private readonly Channel<JupyterMessage> _controlIn = Channel.CreateUnbounded<JupyterMessage>(new() { SingleReader = true, SingleWriter = true });
    private readonly Channel<JupyterMessage> _stdinIn = Channel.CreateUnbounded<JupyterMessage>(new() { SingleReader = true, SingleWriter = true });
    private int _dropped;

    /// <summary>Binds all five sockets to the addresses of a connection file.</summary>
    public KernelTransport(ConnectionInfo info, ILogger? log = null)
    {
        _info = info;
        _log = log ?? NullLogger.Instance;
        Codec = new WireCodec(info.CreateSigner());
        foreach (var s in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat })
        {
            s.Options.Linger = TimeSpan.FromMilliseconds(500);
            s.Options.SendHighWatermark = 0;
            s.Options.ReceiveHighWatermark = 0;
        }
        _iopub.Options.XPubVerbose = true;
        _shell.Bind(info.Endpoint(KernelChannel.Shell));
        _control.Bind(info.Endpoint(KernelChannel.Control));
        _stdin.Bind(info.Endpoint(KernelChannel.Stdin));
        _iopub.Bind(info.Endpoint(KernelChannel.IOPub));
        _heartbeat.Bind(info.Endpoint(KernelChannel.Heartbeat));

        _shell.ReceiveReady += (_, e) => Receive(e.Socket, KernelChannel.Shell, _shellIn.Writer);
        _control.ReceiveReady += (_, e) => Receive(e.Socket, KernelChannel.Control, _controlIn.Writer);
        _stdin.ReceiveReady += (_, e) => Receive(e.Socket, KernelChannel.Stdin, _stdinIn.Writer);
        _iopub.ReceiveReady += (_, e) => OnSubscription();
        _heartbeat.ReceiveReady += (_, e) =>
        {
            var frames = new List<byte[]>();
            while (e.Socket.TryReceiveMultipartBytes(ref frames)) e.Socket.SendMultipartBytes(frames);
        };
        _outbox.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var item, TimeSpan.Zero))
                SocketFor(item.Channel).SendMultipartBytes(item.Frames);
        };
        _poller = new NetMQPoller { _shell, _control, _stdin, _iopub, _heartbeat, _outbox };
    }

    /// <summary>The codec (and signer) of this connection.</summary>
    public WireCodec Codec { get; }

    /// <summary>The connection this transport is bound to.</summary>
    public ConnectionInfo Connection => _info;

    /// <summary>Requests arriving on shell, in order.</summary>
    public ChannelReader<JupyterMessage> Shell => _shellIn.Reader;

    /// <summary>Requests arriving on control, in order.</summary>
    public ChannelReader<JupyterMessage> Control => _controlIn.Reader;

    /// <summary>Replies arriving on stdin (input_reply).</summary>
    public ChannelReader<JupyterMessage> Stdin => _stdinIn.Reader;

    /// <summary>How many inbound messages were dropped as malformed or badly signed.</summary>
    public int DroppedMessages => Volatile.Read(ref _dropped);

    /// <summary>Raised (on the poller thread) after an inbound message is dropped.</summary>
    public event Action<KernelChannel, DecodeFailure>? MessageDropped;

    /// <summary>Raised (on the poller thread) when a frontend subscribes to iopub, after the welcome is queued.</summary>
    public event Action<string>? Subscribed;

    /// <summary>Starts the poller thread.</summary>
    public void Start() => _poller.RunAsync("kernel-zmq");

    /// <summary>Encodes, signs and queues a message on a channel; safe from any thread.</summary>
    public void Send(KernelChannel channel, JupyterMessage message)
    {
        if (channel == KernelChannel.Heartbeat) throw new ArgumentException("heartbeat carries no messages", nameof(channel));
        _outbox.Enqueue((channel, Codec.Encode(message)));
    }

    private NetMQSocket SocketFor(KernelChannel channel) => channel switch
    {
        KernelChannel.Shell => _shell,
        KernelChannel.Control => _control,
        KernelChannel.Stdin => _stdin,
        KernelChannel.IOPub => _iopub,
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    private void Receive(NetMQSocket socket, KernelChannel channel, ChannelWriter<JupyterMessage> sink)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(ref frames))
        {
            var failure = Codec.TryDecode(frames, out var message);
            if (failure != DecodeFailure.None)
            {
                Interlocked.Increment(ref _dropped);
                _log.LogWarning("dropped a {Failure} message on {Channel} ({Frames} frames)", failure, channel.ToWireName(), frames.Count);
                MessageDropped?.Invoke(channel, failure);
                continue;
            }
            _log.LogDebug("{Channel} <- {MsgType}", channel.ToWireName(), message!.MessageType);
            sink.TryWrite(message!);
            frames = new List<byte[]>();
        }
    }

    private void OnSubscription()
    {
        var frames = new List<byte[]>();
        while (_iopub.TryReceiveMultipartBytes(ref frames))
        {
            var frame = frames[0];
            if (frame.Length == 0 || frame[0] != 1) continue; // unsubscribe
            var topic = System.Text.Encoding.UTF8.GetString(frame, 1, frame.Length - 1);
            var header = new MessageHeader { MessageId = Guid.NewGuid().ToString("N"), Session = WelcomeSession, MessageType = MessageTypes.IopubWelcome };
            var welcome = JupyterMessage.Create(header, null, new IopubWelcome(topic), ProtocolJsonContext.Default.IopubWelcome)
                .WithIdentities([System.Text.Encoding.UTF8.GetBytes(topic)]);
            _iopub.SendMultipartBytes(Codec.Encode(welcome));
            Subscribed?.Invoke(topic);
        }
    }

    /// <summary>The session used in iopub_welcome headers; the kernel sets it to its own session id.</summary>
    public string WelcomeSession { get; set; } = Guid.NewGuid().ToString();

    /// <summary>Stops the poller, flushing queued messages first (up to the linger time).</summary>
    public void Dispose()
    {
        try
        {
            if (_poller.IsRunning)
            {
                // Let the outbox drain before stopping.
                var deadline = Environment.TickCount64 + 1000;
                while (_outbox.Count > 0 && Environment.TickCount64 < deadline) Thread.Sleep(5);
                _poller.Stop();
            }
        }
        catch (Exception e)
        {
            _log.LogDebug(e, "poller stop");
        }
        _poller.Dispose();
        foreach (var s in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat }) s.Dispose();
        _outbox.Dispose();
        _shellIn.Writer.TryComplete();
        _controlIn.Writer.TryComplete();
        _stdinIn.Writer.TryComplete();
    }
}
