using System.Runtime.InteropServices;
using KernelGateway.Protocol;
using KernelGateway.Zmq;

namespace KernelGateway.Notebooks.Kernels;

/// <summary>
/// Interrupts a kernel as Jupyter's kernel managers do: an <c>interrupt_request</c> on the control channel when its
/// kernelspec's <c>interrupt_mode</c> is <c>message</c>, SIGINT to its process otherwise (the default, <c>signal</c>).
/// </summary>
public static class KernelInterrupt
{
    private const int SigInt = 2;

    /// <summary>Sends the interrupt; false when it could not be delivered (no process, a refused signal, no reply within 10 s).</summary>
    public static async Task<bool> InterruptAsync(KernelSpec spec, int? processId, KernelClient? client, CancellationToken cancellationToken)
    {
        if (spec.InterruptMode == "message")
        {
            if (client is null) return false;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await client.RequestAsync(KernelChannel.Control, client.CreateRequest(MessageTypes.InterruptRequest, KernelClient.EmptyContent), cts.Token).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
        return processId is { } pid && !OperatingSystem.IsWindows() && Kill(pid, SigInt) == 0;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
