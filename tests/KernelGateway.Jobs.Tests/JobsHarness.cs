using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using KernelGateway.Jobs;
using KernelGateway.Jobs.Model;
using KernelGateway.Jobs.Scheduling;
using KernelGateway.Jobs.Sources;
using KernelGateway.Jobs.Store;
using KernelGateway.Tests;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Jobs.Tests;

/// <summary>A data directory with a SQLite store, sources, a fake clock, the service and a scheduler over a <see cref="RecordingExecutor"/>.</summary>
internal sealed class JobsHarness : IAsyncDisposable
{
    public JobsHarness(DateTimeOffset start, string? dataDirectory = null, SchedulerOptions? options = null, IJobStore? store = null, FakeTimeProvider? time = null)
    {
        DataDirectory = dataDirectory ?? TestEnvironment.TempDirectory("jobs");
        Time = time ?? new FakeTimeProvider(start);
        Store = store ?? new SqliteJobStore(Path.Combine(DataDirectory, "state.db"));
        Store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        Sources = new SourceStore(Path.Combine(DataDirectory, "sources"));
        Executor = new RecordingExecutor();
        Scheduler = new Scheduler(Store, Sources, Executor, DataDirectory, options, Time);
        Service = new JobService(Store, Sources, DataDirectory, Time, Scheduler.Nudge);
    }

    public string DataDirectory { get; }
    public FakeTimeProvider Time { get; }
    public IJobStore Store { get; }
    public SourceStore Sources { get; }
    public RecordingExecutor Executor { get; }
    public Scheduler Scheduler { get; }
    public JobService Service { get; }

    /// <summary>Writes a small python notebook into the workspace and returns its path.</summary>
    public string WriteNotebook(string name = "report.ipynb", string code = "print('hello')") => Notebooks.Write(Path.Combine(DataDirectory, "notebooks", name), code);

    /// <summary>One tick, then every run it started has ended.</summary>
    public async Task TickAndSettleAsync()
    {
        await Scheduler.TickAsync(TestTime.Soon());
        await Scheduler.WhenIdleAsync().WaitAsync(TestTime.Soon());
    }

    public async ValueTask DisposeAsync()
    {
        Executor.ReleaseAll();
        await Scheduler.DisposeAsync();
        await Store.DisposeAsync();
    }
}

/// <summary>Notebook files for tests.</summary>
internal static class Notebooks
{
    public static string Json(string code, string kernel = "python3") => new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = kernel, ["display_name"] = kernel, ["language"] = "python" }, ["language_info"] = new JsonObject { ["name"] = "python" } },
        ["cells"] = new JsonArray(
            new JsonObject { ["id"] = "params", ["cell_type"] = "code", ["metadata"] = new JsonObject { ["tags"] = new JsonArray("parameters") }, ["source"] = "x = 1", ["outputs"] = new JsonArray(), ["execution_count"] = null },
            new JsonObject { ["id"] = "body", ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["source"] = code, ["outputs"] = new JsonArray(), ["execution_count"] = null }),
    }.ToJsonString();

    public static string Write(string path, string code)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Json(code));
        return path;
    }
}

/// <summary>
/// The executor of the scheduler tests: records every execution (run, schedule, occurrence, source bytes), writes a
/// small output notebook as a new file, and — when <see cref="Hold"/> is set — keeps each run going until released
/// or cancelled.
/// </summary>
internal sealed class RecordingExecutor : IRunExecutor
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, int> _runningPerSchedule = new();
    private readonly Channel<RunContext> _started = Channel.CreateUnbounded<RunContext>();

    public bool Hold { get; set; }
    public ConcurrentBag<(RunRecord Run, string Source)> Executions { get; } = [];
    public int MostAtOncePerSchedule;
    private int _running;
    public int MostAtOnce;

    /// <summary>The next run that started.</summary>
    public Task<RunContext> NextStartedAsync(CancellationToken cancellationToken) => _started.Reader.ReadAsync(cancellationToken).AsTask();

    public void Release(long runId) => _gates.GetOrAdd(runId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public void ReleaseAll()
    {
        Hold = false;
        foreach (var g in _gates.Values) g.TrySetResult();
    }

    public async Task<RunExecution> ExecuteAsync(RunContext context, CancellationToken cancellationToken)
    {
        var key = context.Run.ScheduleName ?? "";
        var perSchedule = _runningPerSchedule.AddOrUpdate(key, 1, (_, n) => n + 1);
        InterlockedMax(ref MostAtOncePerSchedule, perSchedule);
        InterlockedMax(ref MostAtOnce, Interlocked.Increment(ref _running));
        try
        {
            Executions.Add((context.Run, File.ReadAllText(context.SourcePath)));
            using (var output = new FileStream(context.OutputPath, FileMode.CreateNew)) output.Write("{}"u8); // fails if a run's output path was used before
            _started.Writer.TryWrite(context);
            await Task.Yield();
            if (Hold)
            {
                var gate = _gates.GetOrAdd(context.Run.Id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
                try { await gate.Task.WaitAsync(cancellationToken); }
                catch (OperationCanceledException) { return new RunExecution(false, null, "KeyboardInterrupt: cancelled", "fake"); }
            }
            return new RunExecution(true, null, null, "fake");
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _runningPerSchedule.AddOrUpdate(key, 0, (_, n) => n - 1);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
