using KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>What the server records of one ExecutePlan while it runs; <see cref="Snapshot"/> is the public view.</summary>
internal sealed class ExecutionRecord(string operationId, string sessionId, string? userId, string planKind, IReadOnlyList<string> tags, bool reattachable,
    IReadOnlyDictionary<string, string> headers)
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<SparkConnectExecution> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _query, _executed, _errorClass;
    private IReadOnlyDictionary<string, object?> _named = new Dictionary<string, object?>();
    private IReadOnlyList<object?> _positional = [];
    private string _state = "RUNNING";
    private long _rows;
    private int _batches;

    public string OperationId => operationId;

    public Task<SparkConnectExecution> Ended => _ended.Task;

    /// <summary>The Spark SQL and arguments as the client sent them.</summary>
    public void Planned(string? sparkSql, SqlArguments? args)
    {
        lock (_gate)
        {
            _query = sparkSql;
            if (args is null) return;
            _named = args.Named.ToDictionary(kv => kv.Key, kv => kv.Value.Recorded);
            _positional = args.Positional.Select(v => v.Recorded).ToList();
        }
    }

    public void Ran(string duckDbSql)
    {
        lock (_gate) _executed = duckDbSql;
    }

    public void Batch(long rows)
    {
        lock (_gate)
        {
            _rows += rows;
            _batches++;
        }
    }

    public void End(string state, string? errorClass = null)
    {
        lock (_gate)
        {
            if (_state != "RUNNING") return;
            _state = state;
            _errorClass = errorClass;
        }
        _ended.TrySetResult(Snapshot());
    }

    public SparkConnectExecution Snapshot()
    {
        lock (_gate)
        {
            return new SparkConnectExecution(operationId, sessionId, userId, planKind, _query, _executed, _named, _positional, tags, reattachable, headers,
                _state, _errorClass, _rows, _batches);
        }
    }
}
