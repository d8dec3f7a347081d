using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using KernelGateway.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Monitoring;
using NetMQ.Sockets;

namespace KernelGateway.Zmq;

/// <summary>
/// The client side of a kernel connection, as used by the gateway, the notebook runner and the tests:
/// DEALER sockets for shell, control and stdin (one identity for all three, so the kernel routes
/// input_request to us), a SUB socket on iopub and a REQ heartbeat. One poller thread owns all sockets.
/// Replies are matched to requests by parent msg_id; iopub messages are delivered to per-request
/// collectors and to <see cref="Messages"/>.
/// </summary>
public sealed class KernelClient : IDisposable
{
    private readonly ILogger _log;
    private readonly DealerSocket _shell = new();
    private readonly DealerSocket _control = new();
    private readonly DealerSocket _stdin = new();
    private readonly SubscriberSocket _iopub = new();
    private readonly NetMQQueue<(KernelChannel Channel, List<byte[]> Frames)> _outbox = new();
    private readonly NetMQPoller _poller;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JupyterMessage>> _pending = new();
    private readonly ConcurrentDictionary<string, ChannelWriter<JupyterMessage>> _collectors = new();
    private readonly Channel<(KernelChannel, JupyterMessage)> _all;
    private readonly bool _keepAll;
    private readonly TaskCompletionSource _firstIOPub = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Nothing answers on stdin, and control is not asked during readiness: their connections are watched instead.
    // A kernel's input_request sent before the stdin socket has connected is dropped by its ROUTER, and the cell
    // then waits for input forever.
    private readonly TaskCompletionSource _stdinConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _controlConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly NetMQMonitor _stdinMonitor;
    private readonly NetMQMonitor _controlMonitor;

    /// <summary>Connects to a kernel. With <paramref name="keepAllMessages"/>, every inbound message is also written to <see cref="Messages"/>.</summary>
    public KernelClient(ConnectionInfo info, ILogger? log = null, bool keepAllMessages = false, string? session = null)
    {
        Connection = info;
        _log = log ?? NullLogger.Instance;
        _keepAll = keepAllMessages;
        _all = Channel.CreateUnbounded<(KernelChannel, JupyterMessage)>(new() { SingleWriter = true });
        Codec = new WireCodec(info.CreateSigner());
        Session = session ?? Guid.NewGuid().ToString();
        var identity = System.Text.Encoding.ASCII.GetBytes(Session);
        foreach (var s in new NetMQSocket[] { _shell, _control, _stdin, _iopub })
        {
            s.Options.Linger = TimeSpan.Zero;
            s.Options.SendHighWatermark = 0;
            s.Options.ReceiveHighWatermark = 0;
        }
        _shell.Options.Identity = identity;
        _stdin.Options.Identity = identity;
        _control.Options.Identity = identity;
        _stdinMonitor = new NetMQMonitor(_stdin, $"inproc://kg-client-stdin-{Guid.NewGuid():N}", SocketEvents.Connected);
        _stdinMonitor.Connected += (_, _) => _stdinConnected.TrySetResult();
        _controlMonitor = new NetMQMonitor(_control, $"inproc://kg-client-control-{Guid.NewGuid():N}", SocketEvents.Connected);
        _controlMonitor.Connected += (_, _) => _controlConnected.TrySetResult();
        _shell.Connect(info.Endpoint(KernelChannel.Shell));
        _control.Connect(info.Endpoint(KernelChannel.Control));
        _stdin.Connect(info.Endpoint(KernelChannel.Stdin));
        _iopub.Connect(info.Endpoint(KernelChannel.IOPub));
        _iopub.SubscribeToAnyTopic();

        _shell.ReceiveReady += (_, e) => Receive(e.Socket, KernelChannel.Shell);
        _control.ReceiveReady += (_, e) => Receive(e.Socket, KernelChannel.Control);
        _stdin.ReceiveReady += (_, e) => Receive(e.Socket, KernelChannel.Stdin);
        _iopub.ReceiveReady += (_, e) => Receive(e.Socket, KernelChannel.IOPub);
        _outbox.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var item, TimeSpan.Zero))
                SocketFor(item.Channel).SendMultipartBytes(item.Frames);
        };
        _poller = new NetMQPoller { _shell, _control, _stdin, _iopub, _outbox };
        _stdinMonitor.AttachToPoller(_poller);
        _controlMonitor.AttachToPoller(_poller);
        _poller.RunAsync("kernel-client");
    }

    /// <summary>The connection.</summary>
    public ConnectionInfo Connection { get; }

    /// <summary>The codec (and signer).</summary>
    public WireCodec Codec { get; }

    /// <summary>This client's session id, also its socket identity.</summary>
    public string Session { get; }

    /// <summary>The user name put in headers.</summary>
    public string Username { get; init; } = Environment.UserName;

    /// <summary>Every inbound message, when the client was created with keepAllMessages.</summary>
    public ChannelReader<(KernelChannel Channel, JupyterMessage Message)> Messages => _all.Reader;

    /// <summary>Answers input_request; without one, input_request is answered with an empty string.</summary>
    public Func<JupyterMessage, CancellationToken, Task<string>>? InputHandler { get; set; }

    /// <summary>
    /// Whether this client answers input_request itself (with <see cref="InputHandler"/>); true by default.
    /// A bridge that forwards stdin to its own frontends turns it off.
    /// </summary>
    public bool AnswerInputRequests { get; set; } = true;

    /// <summary>Raised on the poller thread for each inbound message.</summary>
    public event Action<KernelChannel, JupyterMessage>? MessageReceived;

    /// <summary>Completes when the first iopub message (welcome or status) arrives.</summary>
    public Task IOPubConnected => _firstIOPub.Task;

    /// <summary>A header for a new request from this client.</summary>
    public MessageHeader NewHeader(string msgType) => new()
    {
        MessageId = Guid.NewGuid().ToString("N"),
        Session = Session,
        Username = Username,
        MessageType = msgType,
    };

    /// <summary>Builds a request message with typed content.</summary>
    public JupyterMessage CreateRequest<T>(string msgType, T content, JsonTypeInfo<T> typeInfo) =>
        JupyterMessage.Create(NewHeader(msgType), null, content, typeInfo);

    /// <summary>Builds a request message with JSON content.</summary>
    public JupyterMessage CreateRequest(string msgType, JsonElement content) =>
        JupyterMessage.Create(NewHeader(msgType), null, content);

    /// <summary>Queues a message on a channel without waiting for anything.</summary>
    public void Send(KernelChannel channel, JupyterMessage message) => _outbox.Enqueue((channel, Codec.Encode(message)));

    /// <summary>Queues raw frames (for tests of malformed input).</summary>
    public void SendFrames(KernelChannel channel, List<byte[]> frames) => _outbox.Enqueue((channel, frames));

    /// <summary>Sends a request and waits for the reply with it as parent.</summary>
    public async Task<JupyterMessage> RequestAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken = default)
    {
        var tcs = new TaskCompletionSource<JupyterMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[request.Header.MessageId] = tcs;
        try
        {
            Send(channel, request);
            return await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(request.Header.MessageId, out _);
        }
    }

    /// <summary>
    /// Sends a request and collects everything it causes: the reply, and every iopub message with it as
    /// parent up to and including <c>idle</c>.
    /// </summary>
    public async Task<RequestOutcome> RunAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken = default)
    {
        Task<JupyterMessage>? reply = null;
        var messages = await CollectUntilIdleAsync(request, () => reply = RequestAsync(channel, request, cancellationToken), cancellationToken).ConfigureAwait(false);
        return new RequestOutcome(request, await reply!.ConfigureAwait(false), messages);
    }

    /// <summary>
    /// Sends a message that has no reply (comm_open, comm_msg, comm_close) and collects its iopub messages up
    /// to and including <c>idle</c>.
    /// </summary>
    public Task<IReadOnlyList<JupyterMessage>> NotifyAsync(KernelChannel channel, JupyterMessage message, CancellationToken cancellationToken = default) =>
        CollectUntilIdleAsync(message, () => Send(channel, message), cancellationToken);

    /// <summary>Registers a collector for the iopub messages parented to <paramref name="request"/>, sends it, and reads up to idle.</summary>
    private async Task<IReadOnlyList<JupyterMessage>> CollectUntilIdleAsync(JupyterMessage request, Action send, CancellationToken cancellationToken)
    {
        var iopub = Channel.CreateUnbounded<JupyterMessage>(new() { SingleReader = true, SingleWriter = true });
        _collectors[request.Header.MessageId] = iopub.Writer;
        try
        {
            send();
            var messages = new List<JupyterMessage>();
            await foreach (var m in iopub.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                messages.Add(m);
                if (m.MessageType == MessageTypes.Status && m.Content.TryGetProperty("execution_state", out var s) && s.GetString() == "idle")
                    break;
            }
            return messages;
        }
        finally
        {
            _collectors.TryRemove(request.Header.MessageId, out _);
        }
    }

    /// <summary>Runs code on shell and collects the outcome.</summary>
    public Task<RequestOutcome> ExecuteAsync(string code, bool silent = false, bool storeHistory = true, bool allowStdin = false, bool stopOnError = true, CancellationToken cancellationToken = default) =>
        RunAsync(KernelChannel.Shell, CreateRequest(MessageTypes.ExecuteRequest,
            new Protocol.Messages.ExecuteRequest { Code = code, Silent = silent, StoreHistory = storeHistory, AllowStdin = allowStdin, StopOnError = stopOnError },
            ProtocolJsonContext.Default.ExecuteRequest), cancellationToken);

    /// <summary>
    /// Sends kernel_info_request on a channel until one is answered, the stdin and control sockets have connected, and iopub has delivered a message (the
    /// subscription can connect after the first messages were published), for at most <paramref name="timeout"/>.
    /// </summary>
    public async Task<JupyterMessage> WaitForReadyAsync(TimeSpan timeout, KernelChannel channel = KernelChannel.Shell, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        // A reply to any of the requests counts: a starting kernel answers the ones queued while it bound its
        // sockets, so waiting for the latest only would add a round of back-off to every start.
        var replied = new TaskCompletionSource<JupyterMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = new List<string>();
        var interval = TimeSpan.FromMilliseconds(50);
        try
        {
            while (!replied.Task.IsCompleted)
            {
                var request = CreateRequest(MessageTypes.KernelInfoRequest, EmptyContent);
                sent.Add(request.Header.MessageId);
                _pending[request.Header.MessageId] = replied;
                Send(channel, request);
                await Task.WhenAny(replied.Task, Task.Delay(interval, cts.Token)).ConfigureAwait(false);
                cts.Token.ThrowIfCancellationRequested();
                interval = TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds * 1.5, 1000));
            }
            await Task.WhenAll(_stdinConnected.Task, _controlConnected.Task).WaitAsync(cts.Token).ConfigureAwait(false);
            // Whatever the kernel publishes before the SUB socket's subscription reaches it is lost; every
            // kernel_info_request makes it publish busy/idle, so ask again until iopub has delivered something.
            while (!_firstIOPub.Task.IsCompleted)
            {
                Send(channel, CreateRequest(MessageTypes.KernelInfoRequest, EmptyContent));
                await Task.WhenAny(_firstIOPub.Task, Task.Delay(50, cts.Token)).ConfigureAwait(false);
                cts.Token.ThrowIfCancellationRequested();
            }
            return await replied.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the kernel did not answer kernel_info_request on {channel.ToWireName()} and iopub within {timeout.TotalSeconds:F0} s");
        }
        finally
        {
            foreach (var id in sent) _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Pings the heartbeat; true when the echo arrives within <paramref name="timeout"/>.</summary>
    public bool IsAlive(TimeSpan timeout)
    {
        using var hb = new RequestSocket();
        hb.Options.Linger = TimeSpan.Zero;
        hb.Connect(Connection.Endpoint(KernelChannel.Heartbeat));
        var ping = Guid.NewGuid().ToByteArray();
        hb.SendFrame(ping);
        return hb.TryReceiveFrameBytes(timeout, out var echo) && echo.AsSpan().SequenceEqual(ping);
    }

    /// <summary>An empty JSON object.</summary>
    public static JsonElement EmptyContent { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    private NetMQSocket SocketFor(KernelChannel channel) => channel switch
    {
        KernelChannel.Shell => _shell,
        KernelChannel.Control => _control,
        KernelChannel.Stdin => _stdin,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), "a client sends on shell, control and stdin"),
    };

    private void Receive(NetMQSocket socket, KernelChannel channel)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(ref frames))
        {
            var failure = Codec.TryDecode(frames, out var message);
            if (failure != DecodeFailure.None)
            {
                _log.LogWarning("dropped a {Failure} message on {Channel}", failure, channel.ToWireName());
                continue;
            }
            frames = new List<byte[]>();
            Dispatch(channel, message!);
        }
    }

    private void Dispatch(KernelChannel channel, JupyterMessage message)
    {
        if (channel == KernelChannel.IOPub) _firstIOPub.TrySetResult();
        try
        {
            MessageReceived?.Invoke(channel, message);
        }
        catch (Exception e)
        {
            _log.LogError(e, "a MessageReceived handler failed");
        }
        if (_keepAll) _all.Writer.TryWrite((channel, message));
        var parentId = message.ParentHeader?.MessageId;
        if (parentId is null) return;
        switch (channel)
        {
            case KernelChannel.IOPub:
                if (_collectors.TryGetValue(parentId, out var collector)) collector.TryWrite(message);
                break;
            case KernelChannel.Stdin when message.MessageType == MessageTypes.InputRequest:
                if (AnswerInputRequests) _ = AnswerInputAsync(message);
                break;
            default:
                if (_pending.TryGetValue(parentId, out var tcs)) tcs.TrySetResult(message);
                break;
        }
    }

    private async Task AnswerInputAsync(JupyterMessage request)
    {
        string value;
        try
        {
            value = InputHandler is null ? "" : await InputHandler(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.LogError(e, "input handler failed");
            value = "";
        }
        var reply = JupyterMessage.Create(NewHeader(MessageTypes.InputReply), request.HeaderJson,
            JsonSerializer.SerializeToElement(new Protocol.Messages.InputReply(value), ProtocolJsonContext.Default.InputReply));
        Send(KernelChannel.Stdin, reply);
    }

    /// <summary>Stops the poller and closes the sockets.</summary>
    public void Dispose()
    {
        foreach (var m in new[] { _stdinMonitor, _controlMonitor })
        {
            try { m.DetachFromPoller(); } catch (Exception e) { _log.LogDebug(e, "monitor detach"); }
        }
        try { _poller.Stop(); } catch (Exception e) { _log.LogDebug(e, "poller stop"); }
        _poller.Dispose();
        foreach (var m in new[] { _stdinMonitor, _controlMonitor })
        {
            try { m.Dispose(); } catch (Exception e) { _log.LogDebug(e, "monitor dispose"); }
        }
        foreach (var s in new NetMQSocket[] { _shell, _control, _stdin, _iopub }) s.Dispose();
        _outbox.Dispose();
        _all.Writer.TryComplete();
        foreach (var p in _pending.Values) p.TrySetCanceled();
    }
}

/// <summary>What one request caused: the request, its reply, and its iopub messages up to idle.</summary>
public sealed record RequestOutcome(JupyterMessage Request, JupyterMessage Reply, IReadOnlyList<JupyterMessage> IOPub)
{
    /// <summary>The reply's status field.</summary>
    public string Status => Reply.Content.TryGetProperty("status", out var s) ? s.GetString() ?? "" : "";

    /// <summary>The iopub messages of one type.</summary>
    public IEnumerable<JupyterMessage> OfType(string msgType) => IOPub.Where(m => m.MessageType == msgType);

    /// <summary>All stream text of one stream (stdout or stderr), concatenated.</summary>
    public string StreamText(string name = "stdout") => string.Concat(OfType(MessageTypes.Stream)
        .Where(m => m.Content.GetProperty("name").GetString() == name)
        .Select(m => m.Content.GetProperty("text").GetString()));
}
