using KernelGateway.Gateway.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Gateway.Kernels;

/// <summary>
/// Runs <see cref="KernelManager.CullIdleKernelsAsync"/> every <see cref="GatewayOptions.CullInterval"/> when
/// <see cref="GatewayOptions.CullIdleTimeout"/> is set. The interval runs on the gateway's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class KernelCuller(KernelManager kernels, GatewayOptions options, [FromKeyedServices(GatewayServices.ClockKey)] TimeProvider time, ILogger<KernelCuller> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.CullIdleTimeout <= TimeSpan.Zero) return;
        log.LogInformation("culling kernels idle for more than {Timeout} s, checking every {Interval} s (connected: {Connected}, busy: {Busy})",
            options.CullIdleTimeout.TotalSeconds, options.CullInterval.TotalSeconds, options.CullConnected, options.CullBusy);
        using var timer = new PeriodicTimer(options.CullInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await kernels.CullIdleKernelsAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One failed pass must not end culling for the life of the server.
                    log.LogError(e, "culling idle kernels failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
