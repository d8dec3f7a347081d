using System.Diagnostics;
using System.Runtime;

namespace KernelGateway.Kernel.CSharp;

/// <summary>What a cell cost the process since <see cref="Start"/>: time, methods the JIT compiled, gen0 collections (for the debug log).</summary>
internal sealed class CellCost
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly long _jitted = JitInfo.GetCompiledMethodCount();
    private readonly TimeSpan _jitTime = JitInfo.GetCompilationTime();
    private readonly int _collections = GC.CollectionCount(0);

    private CellCost()
    {
    }

    /// <summary>Starts counting.</summary>
    public static CellCost Start() => new();

    /// <summary>Wall-clock time so far.</summary>
    public long Milliseconds => (long)Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

    /// <summary>Methods the JIT compiled so far (all threads).</summary>
    public long Jitted => JitInfo.GetCompiledMethodCount() - _jitted;

    /// <summary>Time the JIT spent so far (all threads).</summary>
    public double JitMilliseconds => (JitInfo.GetCompilationTime() - _jitTime).TotalMilliseconds;

    /// <summary>Gen0 collections so far.</summary>
    public int Collections => GC.CollectionCount(0) - _collections;
}
