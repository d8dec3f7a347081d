using KernelGateway.Jobs.Execution;
using KernelGateway.Notebooks.Execution;
using KernelGateway.Notebooks.Format;
using KernelGateway.Notebooks.Kernels;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Jobs.Scheduling;

/// <summary>
/// Runs a run's source snapshot papermill-style (<see cref="NotebookJob"/>) on a kernel of a local kernelspec: the
/// run's kernel, else the notebook's, else <paramref name="defaultKernel"/>. Its parameters are injected, its time
/// limit applied, and its output notebook written as it goes (created new, never over a file). Cancellation
/// interrupts the kernel and ends the run with a complete output notebook.
/// </summary>
/// <param name="runtimeDirectory">Where the kernels' connection files go.</param>
/// <param name="defaultKernel">The kernelspec when neither the run nor the notebook names one.</param>
/// <param name="logger">Progress lines (cell n/m) at debug level; never cell contents.</param>
/// <param name="findSpec">Finds a kernelspec by name; <see cref="KernelSpecCatalog.Find"/> by default.</param>
public sealed class NotebookRunExecutor(string runtimeDirectory, string defaultKernel, ILogger? logger = null, Func<string, KernelSpec?>? findSpec = null) : IRunExecutor
{
    private readonly ILogger _log = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <inheritdoc />
    public async Task<RunExecution> ExecuteAsync(RunContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        NotebookDocument notebook;
        try { notebook = NotebookDocument.Load(context.SourcePath); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return new RunExecution(false, null, e.Message, run.Kernel);
        }
        var kernelName = run.Kernel ?? notebook.KernelName ?? defaultKernel;
        if ((findSpec ?? KernelSpecCatalog.Find)(kernelName) is not { } spec)
            return new RunExecution(false, null, $"no kernelspec named '{kernelName}' (looked in {string.Join(", ", KernelSpecCatalog.SearchPaths())})", null);
        var options = new RunOptions
        {
            Parameters = JobParameters.ToValues(run.Parameters),
            InputPath = run.Notebook,
            OutputPath = context.OutputPath,
            RunTimeout = run.Timeout,
        };
        var job = new NotebookJob(new JobKernel(spec, runtimeDirectory), notebook, options, context.OutputPath);
        var stopping = new List<Task>();
        JobOutcome outcome;
        await using (cancellationToken.Register(() => _ = job.InterruptAsync()))
        {
            try
            {
                outcome = await job.RunAsync(new RunHooks { Log = line => _log.LogDebug("run {Id}: {Progress}", run.Id, line) }, t => { lock (stopping) stopping.Add(t); }, cancellationToken);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException or IOException)
            {
                // parameters the notebook's language cannot take, an output path that exists
                outcome = new JobOutcome(context.OutputPath, null, e.Message, TimeSpan.Zero);
            }
        }
        Task[] waits;
        lock (stopping) waits = [.. stopping];
        await Task.WhenAll(waits); // the kernel gone before the run is recorded: its slot is free again
        return new RunExecution(outcome.Succeeded, outcome.FailingCell, outcome.Result?.Error ?? outcome.StartFailure, spec.Name);
    }
}
