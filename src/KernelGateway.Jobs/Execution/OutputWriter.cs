using KernelGateway.Notebooks.Format;

namespace KernelGateway.Jobs.Execution;

/// <summary>
/// Writes a run's output notebook as the run goes: the first write creates the file (never over an existing one),
/// each later one replaces it in one step (temporary file, then rename), so a reader — or what is left after the
/// runner is killed — is always a complete notebook.
/// </summary>
public sealed class OutputWriter(string path)
{
    private bool _created;

    /// <summary>Writes the notebook as it stands: creates the file the first time (failing if it exists), replaces it after.</summary>
    public void Write(NotebookDocument notebook)
    {
        if (_created)
        {
            notebook.SaveReplacing(path);
            return;
        }
        notebook.SaveNew(path);
        _created = true;
    }
}
