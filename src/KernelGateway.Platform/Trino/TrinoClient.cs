using System.Data.Common;
using System.Net;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Dapper;
using KernelGateway.Platform.Sql;
using Microsoft.Data.Analysis;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// A client of one Trino (or Presto) coordinator over its client REST protocol, with one session: what a statement
/// changes (<c>USE</c>, <c>SET SESSION</c>, <c>START TRANSACTION</c>, ...) holds for the next ones. Parameters are
/// bound as Trino binds them (<c>EXECUTE ... USING</c>), never spliced into the SQL. Every call takes a
/// <see cref="CancellationToken"/> that cancels the query on the server; without one, the token of
/// <see cref="AmbientCancellation"/> is used (in a kernel: the running cell's, so an interrupt stops the query).
/// </summary>
public sealed class TrinoClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly TrinoTransport _transport;

    /// <summary>A client of the coordinator in <paramref name="options"/>.</summary>
    /// <param name="options">Where and as whom; validated here.</param>
    /// <param name="handler">The HTTP handler (tests); a pooled <see cref="SocketsHttpHandler"/> by default.</param>
    /// <param name="timeProvider">The clock for retry backoff; the system clock by default.</param>
    /// <exception cref="ArgumentException">The options cannot work (see <see cref="TrinoConnectionOptions.Validated"/>).</exception>
    public TrinoClient(TrinoConnectionOptions options, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null)
    {
        Options = options.Validated();
        Session = new TrinoSession(Options);
        _http = new HttpClient(handler ?? CreateHandler(Options), disposeHandler: handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("kernelgateway-trino/1");
        _transport = new TrinoTransport(_http, Options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The connection.</summary>
    public TrinoConnectionOptions Options { get; }

    /// <summary>The session: current catalog, schema, properties, prepared statements and transaction.</summary>
    public TrinoSession Session { get; }

    /// <summary>Where calls made without a token get one (the running cell's token, in a kernel); none by default.</summary>
    public Func<CancellationToken>? AmbientCancellation { get; set; }

    /// <summary>
    /// Starts a statement and returns its handle at once: id, state and progress as they come, rows as an async
    /// stream, cancel. Dispose it (or read it to the end) so an unfinished query does not linger on the server.
    /// </summary>
    /// <param name="sql">One statement.</param>
    /// <param name="parameters">Values for <c>@name</c> references (an object or a dictionary) or for <c>?</c> (a list); bound, never spliced.</param>
    /// <param name="progress">Told of the query's progress after every response.</param>
    /// <param name="cancellationToken">Cancels the query on the server.</param>
    /// <exception cref="ArgumentException">A parameter has no value or no Trino literal.</exception>
    public TrinoQuery Submit(string sql, object? parameters = null, IProgress<QueryProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (text, prepared) = TrinoParameters.Bind(sql, parameters);
        return new TrinoQuery(_transport, Session, text, prepared, progress, Token(cancellationToken));
    }

    /// <summary>Runs a query and keeps its whole result (for results that fit in memory; stream big ones with <see cref="Submit"/>).</summary>
    /// <exception cref="TrinoQueryException">The query failed.</exception>
    /// <exception cref="TrinoException">The server could not be reached or answered with an error.</exception>
    public async Task<TrinoResult> QueryAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var query = Submit(sql, parameters, null, cancellationToken);
        var rows = new List<object?[]>();
        await foreach (var page in query.ReadPagesAsync(Token(cancellationToken)).ConfigureAwait(false)) rows.AddRange(page.Rows);
        return new TrinoResult(query.Id!, query.Columns ?? [], rows, query.Stats, query.UpdateType, query.UpdateCount, query.Warnings);
    }

    /// <summary>Runs a query and maps each row to <typeparamref name="T"/> (columns to properties by name, or a scalar from the first column).</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var connection = CreateConnection();
        var command = new CommandDefinition(sql, parameters, cancellationToken: Token(cancellationToken));
        return (await connection.QueryAsync<T>(command).ConfigureAwait(false)).AsList();
    }

    /// <summary>Runs a query into a DataFrame (through Arrow columns, one typed column per Trino column).</summary>
    public Task<DataFrame> QueryDataFrameAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Warehouse.ArrowFrames.LoadAsync(ReadArrowAsync(sql, parameters, cancellationToken), cancellationToken);

    /// <summary>Runs a query and returns its result as Arrow record batches, one per page received, decoded straight into typed columns.</summary>
    public async IAsyncEnumerable<RecordBatch> ReadArrowAsync(string sql, object? parameters = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var query = Submit(sql, parameters, null, cancellationToken);
        await foreach (var batch in query.ReadArrowAsync(Token(cancellationToken)).ConfigureAwait(false)) yield return batch;
    }

    /// <summary>Runs a statement to its end; returns the rows it changed when the server says (INSERT, CREATE TABLE AS, ...).</summary>
    public async Task<long?> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var query = Submit(sql, parameters, null, cancellationToken);
        await query.CountRowsAsync(Token(cancellationToken)).ConfigureAwait(false);
        return query.UpdateCount;
    }

    /// <summary>An ADO.NET connection over this client and its session (for Dapper and code written against DbConnection).</summary>
    public DbConnection CreateConnection() => new TrinoDbConnection(this);

    /// <inheritdoc />
    public override string ToString() => Options.ToString();

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private CancellationToken Token(CancellationToken given) => given.CanBeCanceled ? given : AmbientCancellation?.Invoke() ?? CancellationToken.None;

    private static SocketsHttpHandler CreateHandler(TrinoConnectionOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (!options.VerifyCertificate) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        return handler;
    }
}
