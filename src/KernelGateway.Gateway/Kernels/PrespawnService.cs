using Microsoft.Extensions.Hosting;

namespace KernelGateway.Gateway.Kernels;

/// <summary>Fills the prespawn pool (<c>KG_PRESPAWN_COUNT</c>) in the background when the server starts.</summary>
internal sealed class PrespawnService(KernelManager kernels) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        kernels.RefillPool();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
