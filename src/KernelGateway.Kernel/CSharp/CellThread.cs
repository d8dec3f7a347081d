using System.Collections.Concurrent;

namespace KernelGateway.Kernel.CSharp;

/// <summary>
/// The thread a cell's top-level code runs on, from its first statement to its last: top-level awaits resume here
/// (<see cref="Hosting.CellInterrupt.Top(Task)"/>), so an interrupt can wake the cell with
/// <see cref="Thread.Interrupt"/> wherever it blocks (<c>Thread.Sleep</c>, <c>Wait</c>, <c>Join</c>, <c>Monitor.Wait</c>).
/// One thread per cell: a cell that never stops can be abandoned with its thread while the next runs on a new one.
/// </summary>
internal sealed class CellThread
{
    [ThreadStatic] private static CellThread? _current;
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly Func<Task> _body;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CellThread(Func<Task> body, string name)
    {
        _body = body;
        _thread = new Thread(Pump, 16 * 1024 * 1024) { IsBackground = true, Name = name };
    }

    /// <summary>The cell thread the caller runs on, or null.</summary>
    internal static CellThread? Current => _current;

    /// <summary>Completes when the cell's code has ended (its task is then complete too).</summary>
    internal Task Completion => _done.Task;

    /// <summary>Starts <paramref name="body"/> on a new cell thread; its task ends when the body's task does.</summary>
    internal static CellThread Start(Func<Task> body, string name)
    {
        var cell = new CellThread(body, name);
        cell._thread.Start();
        return cell;
    }

    /// <summary>Wakes the cell if it blocks in an interruptible wait (now, or at its next one).</summary>
    internal void Interrupt()
    {
        try { _thread.Interrupt(); }
        catch (ThreadStateException) { }
    }

    /// <summary>Runs <paramref name="continuation"/> on <paramref name="cell"/>'s thread once <paramref name="task"/> ends.</summary>
    internal static void ResumeOn(CellThread? cell, Task task, Action continuation)
    {
        if (cell is null)
        {
            task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(continuation);
            return;
        }
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() =>
        {
            if (!cell.TryPost(continuation)) continuation(); // the cell's pump has ended: run it here
        });
    }

    private bool TryPost(Action action)
    {
        try { return _work.TryAdd(action); }
        catch (InvalidOperationException) { return false; } // adding completed
    }

    private void Pump()
    {
        _current = this;
        Task running;
        try { running = _body(); }
        catch (Exception e) { running = Task.FromException(e); }
        running.ContinueWith(_ => _work.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!_work.IsCompleted)
        {
            try
            {
                if (_work.TryTake(out var action, Timeout.Infinite)) action();
            }
            catch (ThreadInterruptedException)
            {
                // An interrupt that found the pump idle: the cell's own code has been told by its token.
            }
            catch (InvalidOperationException) when (_work.IsCompleted)
            {
            }
        }
        _current = null;
        _done.TrySetResult();
    }
}
