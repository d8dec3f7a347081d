using System.Diagnostics;
using System.Runtime.InteropServices;
using KernelGateway.Kernel.CSharp;
using KernelGateway.Kernel.Extensions;
using KernelGateway.Kernel.Magics;
using KernelGateway.Kernel.Routing;
using KernelGateway.Protocol;
using KernelGateway.Zmq;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Kernel.Hosting;

/// <summary>
/// Runs the C# kernel for one connection file until shutdown_request, SIGTERM, or the death of the parent
/// process named by <c>JPY_PARENT_PID</c>. SIGINT interrupts the running cell instead of stopping the kernel.
/// </summary>
public static class KernelProcess
{
    /// <summary>Serves a connection file with the given extensions loaded; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string connectionFile, ILogger log, KernelOptions? options = null, IReadOnlyList<IKernelExtension>? extensions = null)
    {
        ConnectionInfo info;
        try
        {
            info = ConnectionInfo.Load(connectionFile);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            log.LogError("cannot read connection file: {Error}", e.Message);
            return 2;
        }

        var engine = new CSharpEngine(log);
        var magics = MagicRegistry.CreateDefault();
        var host = new KernelExtensionHost(magics, engine, log);
        host.Load(extensions ?? []);
        // The engine's start (the first submission's compile, in the background) begins before the sockets are
        // opened: it is most of the time to the first result, and the transport and router start alongside it.
        _ = engine.StartAsync(CancellationToken.None);
        using var transport = new KernelTransport(info, log);
        var router = new KernelRouter(transport, engine, options, magics, log)
        {
            HelpLinks =
            [
                new("C# language reference", "https://learn.microsoft.com/dotnet/csharp/"),
                new(".NET API browser", "https://learn.microsoft.com/dotnet/api/"),
            ],
        };
        KernelServices.Attach(router);
        transport.Start();

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; router.Interrupt(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        WatchParent(stop, log);

        try
        {
            await router.RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await router.DisposeAsync().ConfigureAwait(false);
            await host.ShutdownAsync().ConfigureAwait(false);
            try { await engine.DisposeAsync().ConfigureAwait(false); }
            catch (Exception e) { log.LogDebug("engine dispose: {Error}", e.Message); }
        }
        return 0;
    }

    private static void WatchParent(CancellationTokenSource stop, ILogger log)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) || pid <= 1) return;
        Process parent;
        try { parent = Process.GetProcessById(pid); }
        catch (ArgumentException) { return; }
        _ = Task.Run(async () =>
        {
            try
            {
                await parent.WaitForExitAsync(stop.Token).ConfigureAwait(false);
                log.LogWarning("parent process {Pid} exited; shutting down", pid);
                stop.Cancel();
            }
            catch (OperationCanceledException) { }
            catch (InvalidOperationException) { }
        });
    }
}
