using System.Data.Common;
using KernelGateway.Jobs.Model;
using Microsoft.Data.Sqlite;

namespace KernelGateway.Jobs.Store;

/// <summary>
/// The store of one gateway: a SQLite file (<c>{data}/state.db</c> by default) in WAL mode, so readers never wait
/// for the writer, with a busy timeout so that writers from several connections or processes wait for each other
/// instead of failing. Every write is a <c>BEGIN IMMEDIATE</c> transaction; a claim is one
/// <c>UPDATE ... WHERE state = 'queued' ... RETURNING</c>.
/// </summary>
public sealed class SqliteJobStore : SqlJobStore
{
    private readonly string _connectionString;

    /// <summary>A store on the database file at <paramref name="path"/> (created with its directory when missing).</summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long a write waits for another writer; 30 seconds by default.</param>
    public SqliteJobStore(string path, TimeSpan? busyTimeout = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)(busyTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    protected override string SchemaSql => Schema("INTEGER PRIMARY KEY", "INTEGER", "TEXT");

    /// <inheritdoc />
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await OpenAsync(cancellationToken))
        {
            // WAL is a property of the file: set once, it stays.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
        }
        await base.InitializeAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {connection.DefaultTimeout * 1000}; PRAGMA synchronous = NORMAL", cancellationToken);
        return connection;
    }

    /// <inheritdoc />
    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false)); // BEGIN IMMEDIATE

    /// <inheritdoc />
    protected override bool IsUniqueViolation(DbException e) => e is SqliteException { SqliteErrorCode: 19 };

    /// <inheritdoc />
    public override Task<RunRecord?> ClaimNextAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
        (await QueryAsync(c, t, $"""
            UPDATE kg_runs SET {ClaimAssignments}
            WHERE id = (SELECT r.id FROM kg_runs r LEFT JOIN kg_schedules s ON s.id = r.schedule_id
                        WHERE r.state = 'queued'
                          AND (r.schedule_id IS NULL OR (SELECT COUNT(*) FROM kg_runs x WHERE x.schedule_id = r.schedule_id AND x.state = 'running') < s.max_concurrency)
                        ORDER BY r.id LIMIT 1)
              AND state = 'queued'
            RETURNING {RunColumns}
            """, ReadRun, cancellationToken, ("owner", owner), ("now", Ms(now)))).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        return ValueTask.CompletedTask;
    }
}
