using System.Threading.Channels;
using KernelGateway.Protocol;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// The shell requests waiting to be served, in order: those put back after an abort first, then what the
/// transport received. Only the shell loop reads it.
/// </summary>
internal sealed class ShellQueue(ChannelReader<JupyterMessage> shell)
{
    private readonly Queue<JupyterMessage> _deferred = new();

    /// <summary>The next request.</summary>
    public async ValueTask<JupyterMessage> ReadAsync(CancellationToken cancellationToken) =>
        _deferred.TryDequeue(out var message) ? message : await shell.ReadAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Takes every request already here, in order.</summary>
    public List<JupyterMessage> TakeWaiting()
    {
        var waiting = new List<JupyterMessage>();
        while (_deferred.TryDequeue(out var m)) waiting.Add(m);
        while (shell.TryRead(out var m)) waiting.Add(m);
        return waiting;
    }

    /// <summary>Puts a request taken by <see cref="TakeWaiting"/> back, to be served next (in the order put back).</summary>
    public void PutBack(JupyterMessage request) => _deferred.Enqueue(request);
}
