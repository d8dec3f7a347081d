using KernelGateway.Kernel.Engine;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// The engine's start, run in the background: kernel_info is answered at once, and the requests that need the
/// engine (execute, complete, inspect) wait for it.
/// </summary>
internal sealed class EngineStartup(ILanguageEngine engine)
{
    private Task _ready = Task.CompletedTask;

    /// <summary>Starts the engine in the background.</summary>
    public void Start(CancellationToken cancellationToken) => _ready = Task.Run(() => engine.StartAsync(cancellationToken), cancellationToken);

    /// <summary>Completes when the engine has started (or fails as its start did).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _ready.WaitAsync(cancellationToken);
}
