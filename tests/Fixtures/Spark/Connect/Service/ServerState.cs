using System.Collections.Concurrent;
using KernelGateway.Tests.Fixtures.Spark.Connect.Engine;
using KernelGateway.Tests.Fixtures.Spark.Connect.Execution;
using KernelGateway.Tests.Fixtures.Spark.Connect.Sessions;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Service;

/// <summary>Everything the handlers share: options, the database, sessions, operations, faults and the records.</summary>
internal sealed class ServerState
{
    private readonly ConcurrentBag<Task> _runs = [];

    public ServerState(SparkConnectServerOptions options)
    {
        Options = options;
        Sessions = new SessionStore(_ => new SessionConfig(options.TimeZone, options.MaxRowsPerBatch));
        Runner = new ExecutionRunner(Db, options, new ResultCache());
        Sender = new ResponseSender(Connections);
    }

    public SparkConnectServerOptions Options { get; }

    public SparkDuckDb Db { get; } = new();

    public SessionStore Sessions { get; }

    public OperationRegistry Operations { get; } = new();

    public ExecutionRunner Runner { get; }

    public ResponseSender Sender { get; }

    public ConnectionTracker Connections { get; } = new();

    public SparkConnectFaults Faults { get; } = new();

    public EventLog<SparkConnectCall> Calls { get; } = new();

    public EventLog<ExecutionRecord> Executions { get; } = new();

    public EventLog<SparkConnectInterrupt> Interrupts { get; } = new();

    public EventLog<SparkConnectReattach> Reattaches { get; } = new();

    public EventLog<SparkConnectRelease> Releases { get; } = new();

    public EventLog<string> ReleasedSessions { get; } = new();

    /// <summary>Starts an execution in the background; <see cref="StopAsync"/> waits for every one.</summary>
    public void Start(Func<Task> run) => _runs.Add(Task.Run(run));

    /// <summary>Interrupts every operation and waits for the executions to end.</summary>
    public async Task StopAsync()
    {
        foreach (var op in Operations.All) Operations.Remove(op);
        await Task.WhenAll(_runs).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
