using System.Diagnostics;
using KernelGateway.Notebooks.Execution;
using KernelGateway.Notebooks.Format;
using KernelGateway.Notebooks.Kernels;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;

namespace KernelGateway.Cli.Run;

/// <summary>How one run ended: its result (null when the kernel never became ready, with the reason), its duration and output path.</summary>
internal sealed record JobOutcome(string Output, RunResult? Result, string? StartFailure, TimeSpan Duration)
{
    public bool Succeeded => Result?.Succeeded == true;

    /// <summary>The 1-based position of the failing cell among the output's code cells, or null.</summary>
    public int? FailingCell => Result is { Succeeded: false } r
        ? r.Output.Cells.Where(c => c?["cell_type"]?.GetValue<string>() == "code").Select((c, i) => (c, i))
            .FirstOrDefault(x => x.c?["metadata"]?["papermill"]?["status"]?.GetValue<string>() == "failed").i + 1
        : null;
}

/// <summary>
/// One notebook run on a kernel of its own: starts the kernel (its stderr kept for a death report), runs the
/// notebook writing the output as it goes (<see cref="OutputWriter"/>), and shuts the kernel down. An interrupt
/// reaches the running kernel as its kernelspec asks; cancellation ends the run with a complete record.
/// </summary>
internal sealed class NotebookJob(KernelSpec spec, NotebookDocument notebook, RunOptions options, string output, string runtimeDirectory)
{
    private LaunchedKernel? _kernel;
    private KernelClient? _client;

    /// <summary>Interrupts the running kernel, if any.</summary>
    public Task InterruptAsync() => _kernel is { } k && _client is { } c ? k.InterruptAsync(c, CancellationToken.None) : Task.CompletedTask;

    /// <summary>
    /// Runs the notebook. The kernel is asked to shut down at the end but not waited for: <paramref name="stopping"/>
    /// receives the task that waits for it (and kills it after a grace period), so the next run of a grid starts at
    /// once; the command awaits them all before it exits.
    /// </summary>
    public async Task<JobOutcome> RunAsync(RunHooks hooks, Action<Task> stopping, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var kernel = KernelLauncher.Start(spec, runtimeDirectory, captureStderr: true);
        var client = new KernelClient(kernel.Connection);
        (_kernel, _client) = (kernel, client);
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
            var writer = new OutputWriter(output);
            var result = await NotebookRunner.RunAsync(notebook, client, options, cancellationToken, hooks with
            {
                KernelExited = kernel.Exited,
                KernelDeath = () => (kernel.LastWords, kernel.Process.HasExited ? kernel.Process.ExitCode : null),
                Checkpoint = writer.Write,
            }).ConfigureAwait(false);
            return new JobOutcome(output, result, null, clock.Elapsed);
        }
        finally
        {
            (_kernel, _client) = (null, null);
            try
            {
                if (!kernel.Process.HasExited)
                    client.Send(KernelChannel.Control, client.CreateRequest(MessageTypes.ShutdownRequest, new ShutdownContent(false), ProtocolJsonContext.Default.ShutdownContent));
            }
            catch (Exception) { }
            stopping(StopAsync(kernel, client));
        }
    }

    private static async Task StopAsync(LaunchedKernel kernel, KernelClient client)
    {
        await kernel.DisposeAsync().ConfigureAwait(false);
        client.Dispose();
    }
}
