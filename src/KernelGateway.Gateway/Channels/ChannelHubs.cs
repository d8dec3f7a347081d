using KernelGateway.Gateway.Kernels;

namespace KernelGateway.Gateway.Channels;

/// <summary>The <see cref="KernelChannelHub"/> of each kernel that has had a WebSocket client; exactly one per kernel.</summary>
internal sealed class ChannelHubs(Metrics.GatewayMetrics metrics)
{
    private readonly Dictionary<string, KernelChannelHub> _hubs = [];
    private readonly Lock _lock = new();

    public KernelChannelHub For(ManagedKernel kernel)
    {
        lock (_lock)
        {
            if (_hubs.TryGetValue(kernel.Id, out var hub)) return hub;
            hub = new KernelChannelHub(kernel, metrics);
            _hubs[kernel.Id] = hub;
            kernel.StateChanged += (k, _) =>
            {
                if (!k.Removed) return;
                lock (_lock) _hubs.Remove(k.Id);
            };
            return hub;
        }
    }
}
