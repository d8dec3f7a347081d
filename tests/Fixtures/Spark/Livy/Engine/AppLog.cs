namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>
/// An application's log as Livy shows it (<c>SparkProcApp.log()</c>): <c>"stdout: "</c>, the stdout lines,
/// <c>"\nstderr: "</c>, the stderr lines; each stream keeps its last <see cref="LivyServerOptions.LogCacheSize"/>
/// lines (<c>LineBufferedStream</c>'s circular queue), so the log is not append-only.
/// </summary>
internal sealed class AppLog(int capacity)
{
    private readonly Queue<string> _stdout = new();
    private readonly Queue<string> _stderr = new();
    private readonly Lock _lock = new();

    public void Stdout(IEnumerable<string> lines) => Add(_stdout, lines);

    public void Stderr(IEnumerable<string> lines) => Add(_stderr, lines);

    public IReadOnlyList<string> Lines()
    {
        lock (_lock) return ["stdout: ", .. _stdout, "\nstderr: ", .. _stderr];
    }

    /// <summary>A page as Livy's <c>serializeLogs</c> cuts it: size 100 by default (negative: all), from by default the last <c>size</c> lines.</summary>
    public (int From, int Total, IReadOnlyList<string> Lines) Page(int? from, int? size)
    {
        var lines = Lines();
        var n = size is null ? 100 : size < 0 ? lines.Count : size.Value;
        var start = from is null or < 0 ? Math.Max(0, lines.Count - n) : from.Value;
        return (start, lines.Count, lines.Skip(start).Take(n).ToList());
    }

    /// <summary>The last ten lines, as the session and batch views carry them.</summary>
    public IReadOnlyList<string> Tail() => Lines().TakeLast(10).ToList();

    private void Add(Queue<string> stream, IEnumerable<string> lines)
    {
        lock (_lock)
        {
            foreach (var line in lines)
            {
                stream.Enqueue(line);
                while (stream.Count > capacity) stream.Dequeue();
            }
        }
    }
}
