using KernelGateway.Jobs.Model;

namespace KernelGateway.Jobs.Scheduling;

/// <summary>Runs one claimed run. The real one is <see cref="NotebookRunExecutor"/>; tests count and hold runs with their own.</summary>
public interface IRunExecutor
{
    /// <summary>
    /// Runs <paramref name="run"/>'s source and writes its output notebook at <see cref="RunContext.OutputPath"/>
    /// (never over an existing file). <paramref name="cancellationToken"/> is cancelled when the run is cancelled or
    /// the scheduler stops: the executor then stops the run and still leaves a complete output notebook.
    /// </summary>
    Task<RunExecution> ExecuteAsync(RunContext run, CancellationToken cancellationToken);
}

/// <summary>A claimed run with the files it needs.</summary>
/// <param name="Run">The run record (state running).</param>
/// <param name="SourcePath">The source snapshot (read-only).</param>
/// <param name="OutputPath">Where its output notebook goes (absolute).</param>
public sealed record RunContext(RunRecord Run, string SourcePath, string OutputPath);

/// <summary>How a run went, as the executor saw it.</summary>
/// <param name="Succeeded">Every cell ran without error.</param>
/// <param name="FailingCell">The failing cell (1-based among the code cells), or null.</param>
/// <param name="Error">What went wrong, or null.</param>
/// <param name="Kernel">The kernelspec used, or null when none was found.</param>
public sealed record RunExecution(bool Succeeded, int? FailingCell, string? Error, string? Kernel);
