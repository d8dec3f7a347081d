using System.Data;
using System.Data.Common;
using Dapper;
using DuckDB.NET.Data;
using Microsoft.Data.Analysis;
using Npgsql;

namespace KernelGateway.Platform.Warehouse;

/// <summary>
/// The typed client to the warehouse and every named connection: typed rows (Dapper), commands, and streaming
/// readers for results too big to hold. Every call takes a <see cref="CancellationToken"/> that cancels the
/// database command itself, and an optional timeout (none by default).
/// </summary>
public sealed class WarehouseClient
{
    private readonly EmbeddedWarehouse _embedded;
    private readonly SharedDuckDb _embeddedDatabase;

    /// <summary>
    /// A client over a registry, with the embedded warehouse in <paramref name="embedded"/>. Every connection this
    /// client opens to the embedded warehouse is to one in-memory database, so tables created through one are seen
    /// through the others.
    /// </summary>
    public WarehouseClient(ConnectionRegistry registry, EmbeddedWarehouse embedded)
    {
        Connections = registry;
        _embedded = embedded;
        _embeddedDatabase = new SharedDuckDb(embedded.OpenAsync);
        Trino = new KernelGateway.Platform.Trino.TrinoConnections(registry);
    }

    /// <summary>The Trino and Presto connections' clients (one session per connection, shared with <see cref="OpenAsync"/>).</summary>
    public KernelGateway.Platform.Trino.TrinoConnections Trino { get; }

    /// <summary>The named connections.</summary>
    public ConnectionRegistry Connections { get; }

    /// <summary>The embedded warehouse.</summary>
    public EmbeddedWarehouse Embedded => _embedded;

    /// <summary>Opens a connection by name (the embedded warehouse by default). The caller disposes it.</summary>
    /// <exception cref="KeyNotFoundException">No such connection.</exception>
    /// <exception cref="ConnectionUnusableException">The entry of that name is bad.</exception>
    public async Task<DbConnection> OpenAsync(string? connection = null, CancellationToken cancellationToken = default)
    {
        var spec = Connections.Get(connection);
        switch (spec.Kind)
        {
            case ConnectionKinds.DuckDb when spec.Name.Equals(ConnectionRegistry.EmbeddedName, StringComparison.OrdinalIgnoreCase) && spec.ConnectionString.Length == 0:
                return await _embeddedDatabase.OpenAsync(cancellationToken).ConfigureAwait(false);
            case ConnectionKinds.DuckDb:
                var duck = new DuckDBConnection(spec.ConnectionString.Length == 0 ? "DataSource=:memory:" : spec.ConnectionString);
                await duck.OpenAsync(cancellationToken).ConfigureAwait(false);
                EmbeddedWarehouse.Configure(duck);
                return duck;
            case ConnectionKinds.Postgres:
                var pg = new NpgsqlConnection(spec.ConnectionString);
                await pg.OpenAsync(cancellationToken).ConfigureAwait(false);
                return pg;
            case ConnectionKinds.Trino or ConnectionKinds.Presto:
                var trino = Trino.Get(spec).CreateConnection();
                await trino.OpenAsync(cancellationToken).ConfigureAwait(false);
                return trino;
            case var kind when ConnectionKinds.IsCatalogOnly(kind):
                throw new NotSupportedException(ConnectionKinds.CatalogOnlyMessage(spec));
            default:
                throw new NotSupportedException($"connection '{spec.Name}': no client for kind {spec.Kind}");
        }
    }

    /// <summary>Runs a query and maps each row to <typeparamref name="T"/> (columns to properties by name).</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, string? connection = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(connection, cancellationToken).ConfigureAwait(false);
        using var cancel = Cancellation(timeout, cancellationToken);
        var command = new CommandDefinition(sql, parameters, commandTimeout: Seconds(timeout), commandType: System.Data.CommandType.Text, cancellationToken: cancel.Token); // Text: Dapper takes a one-word statement (ANALYZE) for a procedure
        return await Guard(cancel.Token, async () => (await db.QueryAsync<T>(command).ConfigureAwait(false)).AsList()).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a query into a DataFrame. On DuckDB and Trino the rows come as Arrow record batches and are copied column
    /// by column (the fast path); other engines go through a data reader.
    /// </summary>
    public async Task<DataFrame> QueryDataFrameAsync(string sql, IReadOnlyDictionary<string, object?>? parameters = null, string? connection = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (Connections.Get(connection) is { } trinoSpec && ConnectionKinds.IsTrinoProtocol(trinoSpec.Kind))
        {
            using var deadline = Cancellation(timeout, cancellationToken);
            return await Guard(deadline.Token, () => Trino.Get(trinoSpec).QueryDataFrameAsync(sql, parameters, deadline.Token)).ConfigureAwait(false);
        }
        await using var db = await OpenAsync(connection, cancellationToken).ConfigureAwait(false);
        using var cancel = Cancellation(timeout, cancellationToken);
        if (db is DuckDBConnection duck)
        {
            return await Guard(cancel.Token, async () =>
            {
                await using var command = duck.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
                    command.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
                using var registration = cancel.Token.Register(() => { try { command.Cancel(); } catch (Exception) { } });
                return await ArrowFrames.LoadAsync(command.ExecuteArrowBatchesAsync(cancel.Token), cancel.Token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        await using var reader = await ReadAsync(db, sql, parameters, closeConnection: false, cancel.Token).ConfigureAwait(false);
        return await ReaderFrames.LoadAsync(reader, cancel.Token).ConfigureAwait(false);
    }

    /// <summary>Runs a statement; returns the affected row count.</summary>
    public async Task<int> ExecuteAsync(string sql, object? parameters = null, string? connection = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(connection, cancellationToken).ConfigureAwait(false);
        using var cancel = Cancellation(timeout, cancellationToken);
        var command = new CommandDefinition(sql, parameters, commandTimeout: Seconds(timeout), commandType: System.Data.CommandType.Text, cancellationToken: cancel.Token); // Text: Dapper takes a one-word statement (ANALYZE) for a procedure
        return await Guard(cancel.Token, () => db.ExecuteAsync(command)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a query and returns a streaming reader; disposing the reader closes its connection. Rows are read as
    /// they are consumed, so results of any size can be processed.
    /// </summary>
    public async Task<DbDataReader> ReadAsync(string sql, IReadOnlyDictionary<string, object?>? parameters = null, string? connection = null, CancellationToken cancellationToken = default)
    {
        var db = await OpenAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadAsync(db, sql, parameters, closeConnection: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a query on an open connection (e.g. one a session keeps, so temporary tables survive between statements).</summary>
    public static async Task<DbDataReader> ReadAsync(DbConnection db, string sql, IReadOnlyDictionary<string, object?>? parameters, bool closeConnection, CancellationToken cancellationToken)
    {
        var command = db.CreateCommand();
        command.CommandText = sql;
        // Stream rows as they are produced instead of materializing the whole result: the first rows of a
        // 10M-row SELECT arrive at once and memory stays bounded.
        if (command is DuckDBCommand duckCommand) duckCommand.UseStreamingMode = true;
        foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        var behavior = closeConnection ? CommandBehavior.CloseConnection : CommandBehavior.Default;
        return await Guard(cancellationToken, () => command.ExecuteReaderAsync(behavior, cancellationToken)).ConfigureAwait(false);
    }

    private static int? Seconds(TimeSpan? timeout) => timeout is { } t ? Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)) : null;

    private static CancellationTokenSource Cancellation(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t) cts.CancelAfter(t);
        return cts;
    }

    /// <summary>
    /// Runs database work off the caller's thread (DuckDB's async methods run synchronously) so that
    /// cancelling the token reaches the command while it runs: DbCommand's async methods cancel the command
    /// (DuckDB interrupts the query, Npgsql cancels it on the server), and the failure becomes an
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    private static async Task<TResult> Guard<TResult>(CancellationToken cancellationToken, Func<Task<TResult>> work)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await Task.Run(work, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("the query was cancelled", e, cancellationToken);
        }
    }
}
