using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace KernelGateway.Kernel.Comms;

/// <summary>
/// The kernel's comms: a registry of targets (what to do when a frontend opens a comm) and the open comms.
/// A frontend's comm_open for an unknown target is answered with comm_close, as the protocol asks.
/// </summary>
public sealed class CommManager
{
    private readonly ConcurrentDictionary<string, Action<Comm, JsonObject?>> _targets = new();
    private readonly ConcurrentDictionary<string, Comm> _open = new();
    private readonly ICommPublisher _publisher;

    internal CommManager(ICommPublisher publisher) => _publisher = publisher;

    /// <summary>Registers (or replaces) a target; <paramref name="onOpen"/> gets the new comm and the open data.</summary>
    public void RegisterTarget(string targetName, Action<Comm, JsonObject?> onOpen) => _targets[targetName] = onOpen;

    /// <summary>Removes a target; open comms stay open.</summary>
    public bool UnregisterTarget(string targetName) => _targets.TryRemove(targetName, out _);

    /// <summary>The names of the registered targets.</summary>
    public IReadOnlyCollection<string> Targets => _targets.Keys.ToArray();

    /// <summary>The open comms, by id.</summary>
    public IReadOnlyDictionary<string, Comm> Open => _open;

    /// <summary>Opens a comm from the kernel side (comm_open on iopub).</summary>
    public Comm OpenComm(string targetName, JsonObject? data = null)
    {
        var comm = new Comm(Guid.NewGuid().ToString("N"), targetName, this);
        _open[comm.Id] = comm;
        _publisher.PublishCommOpen(comm.Id, targetName, data);
        return comm;
    }

    internal void OnOpenFromFrontend(string commId, string targetName, JsonObject? data)
    {
        if (!_targets.TryGetValue(targetName, out var onOpen))
        {
            _publisher.PublishCommClose(commId, new JsonObject { ["error"] = $"unknown comm target '{targetName}'" });
            return;
        }
        var comm = new Comm(commId, targetName, this);
        _open[commId] = comm;
        onOpen(comm, data);
    }

    internal void OnMessageFromFrontend(string commId, JsonObject? data)
    {
        if (_open.TryGetValue(commId, out var comm)) comm.RaiseMessage(data);
    }

    internal void OnCloseFromFrontend(string commId, JsonObject? data)
    {
        if (_open.TryRemove(commId, out var comm)) comm.RaiseClose(data);
    }

    internal void Send(Comm comm, JsonObject? data) => _publisher.PublishCommMsg(comm.Id, data);

    internal void Close(Comm comm, JsonObject? data)
    {
        if (_open.TryRemove(comm.Id, out _)) _publisher.PublishCommClose(comm.Id, data);
    }
}

/// <summary>One open comm: send messages to the frontend, receive its messages.</summary>
public sealed class Comm
{
    private readonly CommManager _manager;

    internal Comm(string id, string targetName, CommManager manager)
    {
        Id = id;
        TargetName = targetName;
        _manager = manager;
    }

    /// <summary>The comm id.</summary>
    public string Id { get; }

    /// <summary>The target it was opened for.</summary>
    public string TargetName { get; }

    /// <summary>Raised for each comm_msg from the frontend.</summary>
    public event Action<JsonObject?>? MessageReceived;

    /// <summary>Raised when the frontend closes the comm.</summary>
    public event Action<JsonObject?>? Closed;

    /// <summary>Sends comm_msg to the frontend.</summary>
    public void Send(JsonObject? data) => _manager.Send(this, data);

    /// <summary>Closes the comm (comm_close to the frontend).</summary>
    public void Close(JsonObject? data = null) => _manager.Close(this, data);

    internal void RaiseMessage(JsonObject? data) => MessageReceived?.Invoke(data);

    internal void RaiseClose(JsonObject? data) => Closed?.Invoke(data);
}

/// <summary>What comms need from the router: iopub messages with the current request as parent.</summary>
internal interface ICommPublisher
{
    void PublishCommOpen(string commId, string targetName, JsonObject? data);
    void PublishCommMsg(string commId, JsonObject? data);
    void PublishCommClose(string commId, JsonObject? data);
}
