using System.Diagnostics;
using KernelGateway.Notebooks.Execution;
using KernelGateway.Notebooks.Format;
using KernelGateway.Notebooks.Kernels;
using KernelGateway.Notebooks.Summaries;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;

namespace KernelGateway.Jobs.Execution;

/// <summary>How one run ended: its result (null when the kernel never became ready, with the reason), its duration and output path.</summary>
/// <param name="Output">The output notebook's path.</param>
/// <param name="Result">How the notebook ran; null when it never started.</param>
/// <param name="StartFailure">Why the kernel never became ready, or null.</param>
/// <param name="Duration">From the kernel's start to the run's end.</param>
public sealed record JobOutcome(string Output, RunResult? Result, string? StartFailure, TimeSpan Duration)
{
    /// <summary>Whether every cell ran without error.</summary>
    public bool Succeeded => Result?.Succeeded == true;

    /// <summary>The 1-based position of the failing cell among the output's code cells, or null.</summary>
    public int? FailingCell => Result is { Succeeded: false } r ? RunSummaries.FailingCell(r.Output) : null;
}

/// <summary>Where a job's kernel comes from: a local kernelspec, or a gateway (URL and token) and a kernel name there.</summary>
/// <param name="Spec">The local kernelspec, or null for a gateway kernel.</param>
/// <param name="RuntimeDirectory">Where a local kernel's connection file goes.</param>
/// <param name="Gateway">The gateway's URL, or null for a local kernel.</param>
/// <param name="Token">The gateway's token, if any.</param>
/// <param name="KernelName">The kernel name asked of the gateway.</param>
public sealed record JobKernel(KernelSpec? Spec, string RuntimeDirectory, Uri? Gateway = null, string? Token = null, string? KernelName = null);

/// <summary>
/// One notebook run on a kernel of its own — a local process, or a kernel a gateway starts for it (its channels
/// over WebSocket) — running the notebook and writing the output as it goes (<see cref="OutputWriter"/>), then
/// shutting the kernel down. An interrupt reaches the running kernel as its kernelspec asks (through the gateway's
/// interrupt endpoint for a remote one); cancellation ends the run with a complete record.
/// </summary>
public sealed class NotebookJob(JobKernel source, NotebookDocument notebook, RunOptions options, string output)
{
    private Func<Task>? _interrupt;

    /// <summary>Interrupts the running kernel, if any.</summary>
    public Task InterruptAsync() => _interrupt?.Invoke() ?? Task.CompletedTask;

    /// <summary>
    /// Runs the notebook. The kernel is asked to shut down at the end but not waited for: <paramref name="stopping"/>
    /// receives the task that waits for it, so the next run of a grid starts at once; the command awaits them all
    /// before it exits.
    /// </summary>
    public Task<JobOutcome> RunAsync(RunHooks hooks, Action<Task> stopping, CancellationToken cancellationToken) =>
        source.Gateway is { } gateway ? RunOnGatewayAsync(gateway, hooks, stopping, cancellationToken) : RunLocallyAsync(hooks, stopping, cancellationToken);

    private async Task<JobOutcome> RunLocallyAsync(RunHooks hooks, Action<Task> stopping, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var kernel = KernelLauncher.Start(source.Spec!, source.RuntimeDirectory, captureStderr: true);
        var client = new KernelClient(kernel.Connection);
        _interrupt = () => kernel.InterruptAsync(client, CancellationToken.None);
        try
        {
            try
            {
                await client.WaitForReadyAsync(TimeSpan.FromSeconds(60), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                var why = kernel.Process.HasExited
                    ? $"the kernel exited before it was ready (code {kernel.Process.ExitCode}){(kernel.LastWords.Length > 0 ? ":\n" + kernel.LastWords : "")}"
                    : "the kernel did not become ready";
                return new JobOutcome(output, null, why, clock.Elapsed);
            }
            var result = await RunNotebookAsync((code, stop, ct) => client.ExecuteAsync(code, stopOnError: stop, cancellationToken: ct), hooks with
            {
                KernelExited = kernel.Exited,
                KernelDeath = () => (kernel.LastWords, kernel.Process.HasExited ? kernel.Process.ExitCode : null),
            }, cancellationToken).ConfigureAwait(false);
            return new JobOutcome(output, result, null, clock.Elapsed);
        }
        finally
        {
            _interrupt = null;
            try
            {
                if (!kernel.Process.HasExited)
                    client.Send(KernelChannel.Control, client.CreateRequest(MessageTypes.ShutdownRequest, new ShutdownContent(false), ProtocolJsonContext.Default.ShutdownContent));
            }
            catch (Exception) { }
            stopping(StopAsync(kernel, client));
        }
    }

    private async Task<JobOutcome> RunOnGatewayAsync(Uri gateway, RunHooks hooks, Action<Task> stopping, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        GatewayKernel kernel;
        try
        {
            kernel = await GatewayKernel.StartAsync(gateway, source.Token, source.KernelName!, cancellationToken).ConfigureAwait(false);
            await kernel.WaitForReadyAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
        {
            return new JobOutcome(output, null, $"the gateway at {gateway} did not give a ready kernel: {e.Message}", clock.Elapsed);
        }
        _interrupt = () => kernel.InterruptAsync(CancellationToken.None);
        try
        {
            var result = await RunNotebookAsync(kernel.ExecuteAsync, hooks with
            {
                KernelExited = kernel.Closed,
                KernelDeath = () => ("", null),
            }, cancellationToken).ConfigureAwait(false);
            return new JobOutcome(output, result, null, clock.Elapsed);
        }
        finally
        {
            _interrupt = null;
            stopping(kernel.DisposeAsync().AsTask());
        }
    }

    private Task<RunResult> RunNotebookAsync(Func<string, bool, CancellationToken, Task<RequestOutcome>> execute, RunHooks hooks, CancellationToken cancellationToken)
    {
        var writer = new OutputWriter(output);
        return NotebookRunner.RunAsync(notebook, execute, options, cancellationToken, hooks with { Checkpoint = writer.Write });
    }

    private static async Task StopAsync(LaunchedKernel kernel, KernelClient client)
    {
        await kernel.DisposeAsync().ConfigureAwait(false);
        client.Dispose();
    }
}
