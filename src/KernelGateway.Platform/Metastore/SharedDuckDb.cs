using System.Data.Common;
using DuckDB.NET.Data;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// One in-memory DuckDB database, opened at the first lookup and kept, and a connection of its own to it for each
/// lookup (DuckDB's <c>Duplicate</c>: the same database, so lookups may run at once). For the embedded warehouse,
/// whose views never change while the process runs: opening it afresh costs a manifest read and three
/// <c>CREATE VIEW</c>s, more than the lookup itself. A failed open is not kept: the next lookup tries again.
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
