using System.ComponentModel;
using System.Runtime.CompilerServices;
using KernelGateway.Kernel.CSharp;

namespace KernelGateway.Kernel.Hosting;

/// <summary>
/// What the C# engine weaves into cells so an interrupt reaches code that never mentions a token: a check at the top of
/// every loop body and method body, and a wrapper around every <c>await</c> so it stops waiting. User code has no need
/// to call this; <see cref="KernelServices.CellToken"/> is the token to pass on.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CellInterrupt
{
    private static readonly AsyncLocal<CancellationToken> Current = new();
    private static int _interrupted;

    /// <summary>The token of the cell this code runs for (flows into tasks and threads the cell starts).</summary>
    public static CancellationToken Token => Current.Value;

    /// <summary>Throws when the cell this code runs for was interrupted. Nearly free while no cell is being interrupted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check()
    {
        if (Volatile.Read(ref _interrupted) != 0) CheckSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckSlow() => Current.Value.ThrowIfCancellationRequested();

    /// <summary>A top-level <c>await</c> of a cell: stops waiting on interrupt and resumes on the cell's thread.</summary>
    public static CellAwaitable Top(Task task) => new(Within(task), CellThread.Current);

    /// <summary>A top-level <c>await</c> of a cell: stops waiting on interrupt and resumes on the cell's thread.</summary>
    public static CellAwaitable<T> Top<T>(Task<T> task) => new(Within(task), CellThread.Current);

    /// <summary>A top-level <c>await</c> of a cell: stops waiting on interrupt and resumes on the cell's thread.</summary>
    public static CellAwaitable Top(ValueTask task) => Top(task.AsTask());

    /// <summary>A top-level <c>await</c> of a cell: stops waiting on interrupt and resumes on the cell's thread.</summary>
    public static CellAwaitable<T> Top<T>(ValueTask<T> task) => Top(task.AsTask());

    /// <summary>A top-level <c>await Task.Yield()</c>: resumes on the cell's thread.</summary>
    public static CellAwaitable Top(YieldAwaitable _) => Top(Task.CompletedTask);

    /// <summary>Any other awaitable is awaited as it is.</summary>
    public static T Top<T>(T awaitable) => awaitable;

    /// <summary>An <c>await</c> inside a method or lambda of a cell: stops waiting on interrupt.</summary>
    public static Task Within(Task task)
    {
        var token = Current.Value;
        return token.CanBeCanceled && !task.IsCompleted ? task.WaitAsync(token) : task;
    }

    /// <summary>An <c>await</c> inside a method or lambda of a cell: stops waiting on interrupt.</summary>
    public static Task<T> Within<T>(Task<T> task)
    {
        var token = Current.Value;
        return token.CanBeCanceled && !task.IsCompleted ? task.WaitAsync(token) : task;
    }

    /// <summary>An <c>await</c> inside a method or lambda of a cell: stops waiting on interrupt.</summary>
    public static Task Within(ValueTask task) => task.IsCompletedSuccessfully ? Task.CompletedTask : Within(task.AsTask());

    /// <summary>An <c>await</c> inside a method or lambda of a cell: stops waiting on interrupt.</summary>
    public static Task<T> Within<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? Task.FromResult(task.Result) : Within(task.AsTask());

    /// <summary>Any other awaitable is awaited as it is.</summary>
    public static T Within<T>(T awaitable) => awaitable;

    /// <summary>Makes <paramref name="token"/> the cell token of the code run from here on (in this execution context).</summary>
    internal static void Enter(CancellationToken token) => Current.Value = token;

    /// <summary>An interrupted cell is running: checks look at their token until <see cref="Settled"/>.</summary>
    internal static void Interrupted() => Interlocked.Increment(ref _interrupted);

    /// <summary>An interrupted cell has ended (stopped, failed or finished).</summary>
    internal static void Settled() => Interlocked.Decrement(ref _interrupted);
}

/// <summary>The awaitable of a top-level <c>await</c> of a task with no result.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct CellAwaitable
{
    private readonly Task _task;
    private readonly CellThread? _cell;

    internal CellAwaitable(Task task, CellThread? cell)
    {
        _task = task;
        _cell = cell;
    }

    /// <summary>The awaiter.</summary>
    public Awaiter GetAwaiter() => new(_task, _cell);

    /// <summary>Resumes on the cell's thread.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly Task _task;
        private readonly CellThread? _cell;

        internal Awaiter(Task task, CellThread? cell)
        {
            _task = task;
            _cell = cell;
        }

        /// <summary>True when the task has ended.</summary>
        public bool IsCompleted => _task.IsCompleted;

        /// <summary>Ends the await: rethrows the task's exception, or the interrupt.</summary>
        public void GetResult() => _task.GetAwaiter().GetResult();

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation) => CellThread.ResumeOn(_cell, _task, continuation);
    }
}

/// <summary>The awaitable of a top-level <c>await</c> of a task with a result.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct CellAwaitable<T>
{
    private readonly Task<T> _task;
    private readonly CellThread? _cell;

    internal CellAwaitable(Task<T> task, CellThread? cell)
    {
        _task = task;
        _cell = cell;
    }

    /// <summary>The awaiter.</summary>
    public Awaiter GetAwaiter() => new(_task, _cell);

    /// <summary>Resumes on the cell's thread.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly Task<T> _task;
        private readonly CellThread? _cell;

        internal Awaiter(Task<T> task, CellThread? cell)
        {
            _task = task;
            _cell = cell;
        }

        /// <summary>True when the task has ended.</summary>
        public bool IsCompleted => _task.IsCompleted;

        /// <summary>Ends the await: the task's result, or its exception, or the interrupt.</summary>
        public T GetResult() => _task.GetAwaiter().GetResult();

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation) => CellThread.ResumeOn(_cell, _task, continuation);
    }
}
