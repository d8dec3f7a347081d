using KernelGateway.Protocol;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// The cell being run now: the cancellation an interrupt triggers, the request that parents the messages code
/// sends while it runs (comms, displays), and the sink of its outputs. Shell sets it; control and cells read it.
/// </summary>
internal sealed class RunningCell
{
    private CancellationTokenSource? _cancellation;
    private JupyterMessage? _parent;

    /// <summary>The request that parents messages sent now: the running execute_request, or the comm message being handled.</summary>
    public JupyterMessage? Parent => Volatile.Read(ref _parent);

    /// <summary>The execution sink of the running cell, if any.</summary>
    public ExecutionSink? Sink { get; private set; }

    /// <summary>The running cell's cancellation token; none between cells.</summary>
    public CancellationToken Token => Volatile.Read(ref _cancellation)?.Token ?? CancellationToken.None;

    /// <summary>Makes the cell interruptible: from now on <see cref="Interrupt"/> cancels <paramref name="cancellation"/>.</summary>
    public void Begin(CancellationTokenSource cancellation) => Volatile.Write(ref _cancellation, cancellation);

    /// <summary>The cell's request becomes the parent, and its sink the current one.</summary>
    public void Enter(JupyterMessage request, ExecutionSink sink)
    {
        Volatile.Write(ref _parent, request);
        Sink = sink;
    }

    /// <summary>Ends the cell: no longer interruptible, its sink flushed and closed, no parent.</summary>
    public void End()
    {
        Volatile.Write(ref _cancellation, null);
        var sink = Sink;
        Sink = null;
        sink?.Dispose();
        Volatile.Write(ref _parent, null);
    }

    /// <summary>Sets the parent (a comm message being handled) and returns the previous one.</summary>
    public JupyterMessage? SwapParent(JupyterMessage? parent) => Interlocked.Exchange(ref _parent, parent);

    /// <summary>Interrupts the running cell, if any.</summary>
    public void Interrupt()
    {
        try { Volatile.Read(ref _cancellation)?.Cancel(); }
        catch (ObjectDisposedException) { }
    }
}
