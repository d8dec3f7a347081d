namespace KernelGateway.Tests.Fixtures.Spark.Connect;

/// <summary>A call the server received: the RPC (<c>ExecutePlan</c>, <c>Config</c>…), the request's session and user id,
/// every request header (Authorization and user-agent included; binary headers base64) and when it arrived.</summary>
public sealed record SparkConnectCall(string Method, string? SessionId, string? UserId, IReadOnlyDictionary<string, string> Headers, DateTimeOffset Time)
{
    /// <summary>A header's value (case-insensitive name), or null.</summary>
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>
/// An ExecutePlan as the server saw it: operation and session ids, what the plan was (<c>root.sql</c>,
/// <c>command.sql_command</c>, <c>root.read</c>, <c>root.project</c>…), the Spark SQL text exactly as sent (null for
/// DataFrame plans) and the DuckDB SQL that ran, the argument values as bound (named and positional; NULL as null), tags,
/// whether it was reattachable, the request headers, its state (RUNNING, FINISHED, FAILED, CANCELED), the error
/// condition when it failed, and rows and ArrowBatches produced.
/// </summary>
public sealed record SparkConnectExecution(string OperationId, string SessionId, string? UserId, string PlanKind, string? Query, string? ExecutedSql,
    IReadOnlyDictionary<string, object?> NamedArguments, IReadOnlyList<object?> PositionalArguments, IReadOnlyList<string> Tags, bool Reattachable,
    IReadOnlyDictionary<string, string> Headers, string State, string? ErrorClass, long Rows, int ArrowBatches);

/// <summary>An Interrupt call: session, type (ALL, TAG, OPERATION_ID), tag or operation id, and the operations it interrupted.</summary>
public sealed record SparkConnectInterrupt(string SessionId, string Type, string? OperationTag, string? OperationId, IReadOnlyList<string> InterruptedIds);

/// <summary>A ReattachExecute call: session, operation, the last response id the client had, and the error condition it failed with (null if it did not).</summary>
public sealed record SparkConnectReattach(string SessionId, string OperationId, string? LastResponseId, string? ErrorClass);

/// <summary>A ReleaseExecute call: release_all, or release_until with its response id; <see cref="Found"/> whether the operation existed.</summary>
public sealed record SparkConnectRelease(string SessionId, string OperationId, bool All, string? UntilResponseId, bool Found);
