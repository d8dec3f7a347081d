namespace KernelGateway.Notebooks.Kernels;

/// <summary>The last lines a process wrote (at most 40 lines of at most 500 characters), for reporting its death.</summary>
internal sealed class StderrTail
{
    private const int MaxLines = 40;
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line.Length > 500 ? line[..500] + "…" : line);
            while (_lines.Count > MaxLines) _lines.Dequeue();
        }
    }

    public string Text
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }
}
