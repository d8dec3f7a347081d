namespace KernelGateway.Tests.Fixtures.Trino;

/// <summary>
/// A query as the server saw it: id, SQL, user, its state (QUEUED, RUNNING, FINISHED or FAILED), the error name
/// when it failed (USER_CANCELED when a client cancelled it), how many rows and pages were produced and how many
/// pages carrying rows were served, and whether a client's cancel took effect (fully or its leaf stage) before it ended.
/// </summary>
public sealed record QueryRecord(string Id, string Sql, string? User, string State, string? ErrorName, long RowsProduced, long PagesProduced,
    int DataPagesServed, bool Cancelled, string? UpdateType);
