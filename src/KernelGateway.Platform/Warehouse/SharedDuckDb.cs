using System.Data.Common;
using DuckDB.NET.Data;

namespace KernelGateway.Platform.Warehouse;

/// <summary>
/// One in-memory DuckDB database, opened at first use and kept for the process, and a connection of its own to it
/// for each caller (DuckDB's <c>Duplicate</c>: the same database, so callers may run at once and see each other's
/// tables). The embedded warehouse is one of these per <see cref="WarehouseClient"/>: a table a <c>%%sql</c> cell
/// creates is there for C# cells, the metastore and completion, as in one DuckDB session; and opening it afresh
/// would cost a manifest read and three <c>CREATE VIEW</c>s, more than most lookups. A failed open is not kept: the
/// next caller tries again.
/// </summary>
/// <param name="open">Opens the database (once it succeeds, never again).</param>
internal sealed class SharedDuckDb(Func<CancellationToken, Task<DuckDBConnection>> open)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DuckDBConnection? _database;

    /// <summary>A new open connection to the database; the caller disposes it.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var database = Volatile.Read(ref _database) ?? await FirstAsync(cancellationToken).ConfigureAwait(false);
        var connection = database.Duplicate();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private async Task<DuckDBConnection> FirstAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_database is null) Volatile.Write(ref _database, await open(cancellationToken).ConfigureAwait(false));
            return _database;
        }
        finally
        {
            _gate.Release();
        }
    }
}
