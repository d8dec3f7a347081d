using System.Globalization;
using KernelGateway.Notebooks.Kernels;
using KernelGateway.Protocol;
using KernelGateway.Zmq;

namespace KernelGateway.Gateway.Kernels;

/// <summary>
/// A kernel the gateway runs: its id (kept across restarts), kernelspec, process and client, and the model
/// fields clients see. Messages from whichever process currently backs it are raised on <see cref="MessageReceived"/>.
/// </summary>
public sealed class ManagedKernel
{
    private readonly TimeProvider _time;
    private int _connections;
    private long _lastActivityTicks;
    private volatile string _executionState = ExecutionStates.Starting;

    internal ManagedKernel(string id, KernelSpec spec, IReadOnlyDictionary<string, string> environment, TimeProvider time)
    {
        Id = id;
        Spec = spec;
        Environment = environment;
        _time = time;
        Touch();
    }

    /// <summary>The kernel id, a UUID.</summary>
    public string Id { get; }

    /// <summary>The kernelspec name.</summary>
    public string Name => Spec.Name;

    /// <summary>The kernelspec.</summary>
    public KernelSpec Spec { get; }

    /// <summary>The environment set on top of the allow-listed one (<c>KERNEL_*</c> from the request, <c>KERNEL_GATEWAY=1</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The running process and its connection; replaced by a restart.</summary>
    internal LaunchedKernel? Launched { get; set; }

    /// <summary>The client of the current process; replaced by a restart.</summary>
    internal KernelClient? Client { get; set; }

    /// <summary>Serialises start, restart, interrupt and shutdown.</summary>
    internal SemaphoreSlim Lifecycle { get; } = new(1, 1);

    /// <summary>Set once the kernel has been shut down for good.</summary>
    internal bool Removed { get; set; }

    /// <summary>The process id of the current kernel process, or null.</summary>
    public int? ProcessId
    {
        get
        {
            try { return Launched?.Process.Id; }
            catch (InvalidOperationException) { return null; }
        }
    }

    /// <summary>When a message last went to or came from the kernel.</summary>
    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    /// <summary>One of <see cref="ExecutionStates"/>: starting, idle, busy, restarting, dead.</summary>
    public string ExecutionState => _executionState;

    /// <summary>The number of WebSocket connections open on this kernel.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Raised for every message from the kernel (any channel), on the client's poller thread; handlers must not block.</summary>
    public event Action<ManagedKernel, KernelChannel, JupyterMessage>? MessageReceived;

    /// <summary>Raised when <see cref="ExecutionState"/> changes.</summary>
    public event Action<ManagedKernel, string>? StateChanged;

    /// <summary>Sends a message to the kernel on shell, control or stdin, and records the activity.</summary>
    /// <exception cref="InvalidOperationException">The kernel has no running process.</exception>
    public void Send(KernelChannel channel, JupyterMessage message)
    {
        var client = Client ?? throw new InvalidOperationException($"kernel {Id} is not running");
        Touch();
        client.Send(channel, message);
    }

    /// <summary>The model clients see: id, name, last_activity, execution_state, connections.</summary>
    public KernelModel ToModel() => new(Id, Name, FormatTimestamp(LastActivity), ExecutionState, Connections);

    /// <summary>Formats a time as Jupyter does: <c>%Y-%m-%dT%H:%M:%S.%fZ</c> (UTC, microseconds).</summary>
    public static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    internal int AddConnection() => Interlocked.Increment(ref _connections);

    internal int RemoveConnection() => Interlocked.Decrement(ref _connections);

    internal void Touch() => Interlocked.Exchange(ref _lastActivityTicks, _time.GetUtcNow().UtcTicks);

    internal void SetState(string state)
    {
        if (_executionState == state) return;
        _executionState = state;
        StateChanged?.Invoke(this, state);
    }

    internal void OnMessage(KernelChannel channel, JupyterMessage message)
    {
        Touch();
        if (channel == KernelChannel.IOPub && message.MessageType == MessageTypes.Status
            && message.Content.TryGetProperty("execution_state", out var s) && s.GetString() is { } state
            && _executionState is not (ExecutionStates.Dead or ExecutionStates.Restarting))
            SetState(state);
        MessageReceived?.Invoke(this, channel, message);
    }
}

/// <summary>The kernel model of the REST API.</summary>
/// <param name="Id">The kernel id.</param>
/// <param name="Name">The kernelspec name.</param>
/// <param name="LastActivity">The last activity, <c>%Y-%m-%dT%H:%M:%S.%fZ</c>.</param>
/// <param name="ExecutionState">starting, idle, busy, restarting or dead.</param>
/// <param name="Connections">Open WebSocket connections.</param>
public sealed record KernelModel(string Id, string Name, string LastActivity, string ExecutionState, int Connections);

/// <summary>Values of <see cref="ManagedKernel.ExecutionState"/>.</summary>
public static class ExecutionStates
{
    /// <summary>The process is starting and has not answered yet.</summary>
    public const string Starting = "starting";
    /// <summary>Ready for requests.</summary>
    public const string Idle = "idle";
    /// <summary>Handling a request.</summary>
    public const string Busy = "busy";
    /// <summary>Being restarted.</summary>
    public const string Restarting = "restarting";
    /// <summary>The process has exited.</summary>
    public const string Dead = "dead";
}
