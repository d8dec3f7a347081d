using KernelGateway.Notebooks.Format;

namespace KernelGateway.Cli.Run;

/// <summary>
/// Writes a run's output notebook as the run goes: the first write creates the file (never over an existing one),
/// each later one replaces it in one step (temporary file, then rename), so a reader — or what is left after the
/// runner is killed — is always a complete notebook.
/// </summary>
internal sealed class OutputWriter(string path)
{
    private bool _created;

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
