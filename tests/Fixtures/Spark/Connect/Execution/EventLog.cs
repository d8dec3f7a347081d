namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>Recorded events of one kind, in arrival order, that tests can wait for.</summary>
internal sealed class EventLog<T>
{
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<T> Done)> _waiters = [];
    private readonly Lock _gate = new();

    public void Add(T item)
    {
        List<TaskCompletionSource<T>> done;
        lock (_gate)
        {
            _items.Add(item);
            done = _waiters.Where(w => w.Match(item)).Select(w => w.Done).ToList();
            _waiters.RemoveAll(w => done.Contains(w.Done));
        }
        foreach (var d in done) d.TrySetResult(item);
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate) return _items.ToList();
    }

    /// <summary>Completes with the first event matching <paramref name="match"/>, at once if one was recorded.</summary>
    public Task<T> WaitAsync(Func<T, bool> match, CancellationToken ct)
    {
        lock (_gate)
        {
            foreach (var item in _items) if (match(item)) return Task.FromResult(item);
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(ct);
        }
    }
}
