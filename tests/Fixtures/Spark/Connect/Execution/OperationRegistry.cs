using System.Collections.Concurrent;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Sessions;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>
/// Every live operation by session and operation id, as SparkConnectExecutionManager keeps them: a second ExecutePlan
/// with the same operation id fails with INVALID_HANDLE.OPERATION_ALREADY_EXISTS; operations removed because their
/// session was released leave a tombstone (OPERATION_ABANDONED), those released by ReleaseExecute do not (a later
/// ReattachExecute finds nothing: OPERATION_NOT_FOUND).
/// </summary>
internal sealed class OperationRegistry
{
    private readonly ConcurrentDictionary<(SessionKey, string), Operation> _live = new();
    private readonly ConcurrentDictionary<(SessionKey, string), bool> _abandoned = new();
    private readonly Lock _gate = new();

    public void Add(Operation op)
    {
        var key = (op.Session.Key, op.Id);
        lock (_gate)
        {
            if (_live.ContainsKey(key)) throw SparkError.Handle("OPERATION_ALREADY_EXISTS", op.Id);
            if (_abandoned.ContainsKey(key)) throw SparkError.Handle("OPERATION_ABANDONED", op.Id);
            _live[key] = op;
        }
    }

    public Operation? Find(SessionKey session, string operationId) => _live.GetValueOrDefault((session, operationId));

    public bool WasAbandoned(SessionKey session, string operationId) => _abandoned.ContainsKey((session, operationId));

    public IReadOnlyList<Operation> OfSession(SessionKey session) => _live.Values.Where(o => o.Session.Key == session).ToList();

    public IReadOnlyList<Operation> All => _live.Values.ToList();

    /// <summary>Removes and closes an operation (interrupting it if it still runs).</summary>
    public void Remove(Operation op, bool abandoned = false)
    {
        var key = (op.Session.Key, op.Id);
        if (abandoned) _abandoned[key] = true;
        if (_live.TryRemove(new KeyValuePair<(SessionKey, string), Operation>(key, op))) op.Close();
    }
}
