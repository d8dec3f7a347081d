namespace KernelGateway.Tests.Fixtures.Trino.Sql;

/// <summary>What a statement asks of the coordinator.</summary>
internal enum StatementKind
{
    /// <summary>Rows: SELECT, WITH, VALUES, TABLE, SHOW (rewritten to a SELECT over DuckDB's catalog).</summary>
    Query,
    /// <summary>DuckDB runs it; the answer is an update type (and a row count for DML).</summary>
    Update,
    Use,
    SetSession,
    ResetSession,
    Prepare,
    Deallocate,
    Execute,
    StartTransaction,
    Commit,
    Rollback,
    /// <summary>SHOW COLUMNS FROM t / DESCRIBE t (types are mapped by the server).</summary>
    ShowColumns,
    /// <summary>SHOW CREATE TABLE t (the DDL is written by the server).</summary>
    ShowCreateTable,
}

/// <summary>
/// A classified statement. <see cref="Name"/> is the session property, prepared statement, table or catalog the
/// statement names; <see cref="Value"/> its value (SET SESSION), body (PREPARE) or schema (USE);
/// <see cref="Arguments"/> the USING expressions of EXECUTE.
/// </summary>
internal sealed record TrinoStatement(StatementKind Kind, string Sql, string? UpdateType = null, string? Name = null,
    string? Value = null, IReadOnlyList<string>? Arguments = null)
{
    /// <summary>Whether DuckDB reports a row count (DML and CREATE TABLE AS).</summary>
    public bool CountsRows => UpdateType is "INSERT" or "UPDATE" or "DELETE" or "MERGE"
        || (UpdateType == "CREATE TABLE" && Sql.Contains(" AS ", StringComparison.OrdinalIgnoreCase) && Sql.Contains("SELECT", StringComparison.OrdinalIgnoreCase));
}
