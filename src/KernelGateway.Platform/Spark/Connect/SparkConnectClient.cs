using System.Runtime.CompilerServices;
using Apache.Arrow;
using Dapper;
using Grpc.Net.Client;
using KernelGateway.Platform.Spark.Connect.Proto;
using KernelGateway.Platform.Warehouse;
using Microsoft.Data.Analysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// A client of one Spark Connect server with one Spark session: temporary views, configuration and the current
/// database of one statement hold for the next ones. SQL parameters are bound as Spark binds them
/// (<c>:name</c> with values in <c>named_arguments</c>, or <c>?</c> with <c>pos_arguments</c>), never spliced
/// into the text. Results come as Arrow batches (<see cref="Execute(string, object?, SparkExecuteOptions?, CancellationToken)"/>),
/// DataFrames, typed rows, or lazily through <see cref="Sql"/> and <see cref="Table"/>. Every call takes a
/// <see cref="CancellationToken"/> that interrupts the operation on the server; without one, the token of
/// <see cref="AmbientCancellation"/> is used. Disposing the client releases its session on the server.
/// </summary>
public sealed class SparkConnectClient : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly SparkRpc _rpc;
    private int _released;

    /// <summary>A client of the server in a connection string (<c>sc://host:port/;user_id=...</c>).</summary>
    /// <exception cref="ArgumentException">The connection string cannot be read.</exception>
    public SparkConnectClient(string connectionString, ILogger? logger = null)
        : this(SparkConnectOptions.Parse(connectionString), null, logger)
    {
    }

    /// <summary>A client of the server in <paramref name="options"/>.</summary>
    /// <param name="options">Where, as whom and in which session.</param>
    /// <param name="handler">The HTTP handler (tests, proxies, pinned certificates; the caller keeps ownership); a pooled HTTP/2 handler by default.</param>
    /// <param name="logger">Where housekeeping failures (releases, interrupts) are logged; nowhere by default. Tokens are never logged.</param>
    public SparkConnectClient(SparkConnectOptions options, HttpMessageHandler? handler = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _channel = GrpcChannel.ForAddress(options.Endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler ?? CreateHandler(),
            DisposeHttpClient = handler is null,
            MaxReceiveMessageSize = options.MaxMessageSize,
            MaxSendMessageSize = options.MaxMessageSize,
            ThrowOperationCanceledOnCancellation = true,
        });
        _rpc = new SparkRpc(_channel.CreateCallInvoker(), options, logger ?? NullLogger.Instance);
    }

    /// <summary>The connection.</summary>
    public SparkConnectOptions Options { get; }

    /// <summary>The session's id (a UUID): the one in the connection string, or a new one.</summary>
    public string SessionId => _rpc.SessionId;

    /// <summary>The server's own id of the session, once a reply carried one.</summary>
    public string? ServerSideSessionId => _rpc.ServerSideSessionId;

    /// <summary>Where calls made without a token get one (the running cell's token, in a kernel); none by default.</summary>
    public Func<CancellationToken>? AmbientCancellation { get; set; }

    /// <summary>Whether failures with an error id are completed with the server's details (<c>FetchErrorDetails</c>); true by default.</summary>
    public bool FetchErrorDetails { get => _rpc.FetchErrorDetails; set => _rpc.FetchErrorDetails = value; }

    /// <summary>
    /// Starts a SQL statement and returns its handle at once: operation id, schema and progress as they come, Arrow
    /// batches as an async stream, cancel. Dispose it (or read it to the end).
    /// </summary>
    /// <param name="sql">One statement. Parameters are <c>:name</c> (or <c>@name</c>, rewritten to <c>:name</c>), or <c>?</c>.</param>
    /// <param name="parameters">An object or record whose properties, or a dictionary whose entries, are the named values; or a list of values for <c>?</c>.</param>
    /// <param name="options">Operation id, tags, reattach and progress settings.</param>
    /// <param name="cancellationToken">Interrupts the operation on the server.</param>
    /// <exception cref="ArgumentException">A parameter has no value or no Spark literal, or the options are bad.</exception>
    /// <exception cref="OperationCanceledException">The token was already cancelled: nothing is sent.</exception>
    public SparkExecution Execute(string sql, object? parameters = null, SparkExecuteOptions? options = null, CancellationToken cancellationToken = default) =>
        Execute(SparkParameters.Sql(sql, parameters), options, cancellationToken);

    /// <summary>Starts a plan rooted at a relation (what <see cref="SparkFrame"/> runs).</summary>
    internal SparkExecution Execute(Relation root, SparkExecuteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfReleased();
        var token = Token(cancellationToken);
        token.ThrowIfCancellationRequested();
        return new SparkExecution(_rpc, new Plan { Root = root }, options ?? new SparkExecuteOptions(), token);
    }

    /// <summary>Runs a query and returns its result as Arrow record batches, as they arrive (the caller disposes them).</summary>
    public IAsyncEnumerable<RecordBatch> ReadArrowAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        ReadArrowAsync(SparkParameters.Sql(sql, parameters), cancellationToken);

    internal async IAsyncEnumerable<RecordBatch> ReadArrowAsync(Relation root, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var execution = Execute(root, null, cancellationToken);
        await foreach (var batch in execution.ReadBatchesAsync(Token(cancellationToken)).ConfigureAwait(false)) yield return batch;
    }

    /// <summary>Runs a query into a DataFrame (one typed column per Spark column, through Arrow).</summary>
    public Task<DataFrame> QueryDataFrameAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        ArrowFrames.LoadAsync(ReadArrowAsync(sql, parameters, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs a query and maps each row to <typeparamref name="T"/>: columns to properties (or a record's constructor
    /// parameters) by name, or a scalar from the first column (Dapper's rules).
    /// </summary>
    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        CollectAsync<T>(SparkParameters.Sql(sql, parameters), cancellationToken);

    internal async Task<IReadOnlyList<T>> CollectAsync<T>(Relation root, CancellationToken cancellationToken)
    {
        await using var reader = new ArrowDataReader(ReadArrowAsync(root, cancellationToken), cancellationToken);
        var rows = new List<T>();
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return rows;
        // Dapper's GetRowParser<T> cannot cast its parser of a simple reference type (string) to Func<DbDataReader, T>: take the untyped one.
        var parse = reader.GetRowParser(typeof(T));
        do rows.Add((T)parse(reader)!);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false));
        return rows;
    }

    /// <summary>Runs a statement (DDL, <c>INSERT</c>, <c>SET</c>, ...) to its end, reading and dropping any rows it returns.</summary>
    public async Task ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var execution = Execute(sql, parameters, null, cancellationToken);
        await execution.CountRowsAsync(Token(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>A lazy frame over the result of a SQL query (nothing runs until it is collected), as PySpark's <c>spark.sql</c>.</summary>
    public SparkFrame Sql(string sql, object? parameters = null) => new(this, SparkParameters.Sql(sql, parameters));

    /// <summary>A lazy frame over a table or view, as PySpark's <c>spark.table</c>.</summary>
    public SparkFrame Table(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(this, new Relation { Read = new Read { NamedTable = new Read.Types.NamedTable { UnparsedIdentifier = name } } });
    }

    /// <summary>The schema of a query's result, without running it (<c>AnalyzePlan</c>).</summary>
    public Task<Schema> SchemaAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        SchemaAsync(SparkParameters.Sql(sql, parameters), cancellationToken);

    internal async Task<Schema> SchemaAsync(Relation root, CancellationToken cancellationToken)
    {
        var request = new AnalyzePlanRequest { Schema = new AnalyzePlanRequest.Types.Schema { Plan = new Plan { Root = root } } };
        var reply = await AnalyzeAsync(request, cancellationToken).ConfigureAwait(false);
        if (reply.ResultCase != AnalyzePlanResponse.ResultOneofCase.Schema) throw Unexpected("schema", reply.ResultCase);
        try
        {
            return SparkTypes.ToArrowSchema(reply.Schema.Schema_ ?? new Proto.DataType { Struct = new() });
        }
        catch (FormatException e)
        {
            throw new SparkConnectException($"the server sent a schema this client cannot read: {e.Message}", Grpc.Core.StatusCode.Unimplemented, e);
        }
    }

    /// <summary>The server's Spark version, e.g. <c>4.0.1</c>.</summary>
    public async Task<string> VersionAsync(CancellationToken cancellationToken = default)
    {
        var reply = await AnalyzeAsync(new AnalyzePlanRequest { SparkVersion = new() }, cancellationToken).ConfigureAwait(false);
        return reply.ResultCase == AnalyzePlanResponse.ResultOneofCase.SparkVersion ? reply.SparkVersion.Version : throw Unexpected("spark_version", reply.ResultCase);
    }

    /// <summary>Spark's plan of a query, without running it.</summary>
    public Task<string> ExplainAsync(string sql, SparkExplainMode mode = SparkExplainMode.Simple, CancellationToken cancellationToken = default) =>
        ExplainAsync(SparkParameters.Sql(sql, null), mode, cancellationToken);

    internal async Task<string> ExplainAsync(Relation root, SparkExplainMode mode, CancellationToken cancellationToken)
    {
        var explain = new AnalyzePlanRequest.Types.Explain { Plan = new Plan { Root = root }, ExplainMode = (AnalyzePlanRequest.Types.Explain.Types.ExplainMode)mode };
        var reply = await AnalyzeAsync(new AnalyzePlanRequest { Explain = explain }, cancellationToken).ConfigureAwait(false);
        return reply.ResultCase == AnalyzePlanResponse.ResultOneofCase.Explain ? reply.Explain.ExplainString : throw Unexpected("explain", reply.ResultCase);
    }

    /// <summary>The values of session configuration keys (the server fails for a key that has no value and no default).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> GetConfigAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var get = new ConfigRequest.Types.Get();
        get.Keys.AddRange(keys);
        return Pairs(await ConfigAsync(new ConfigRequest.Types.Operation { Get = get }, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The value of one session configuration key.</summary>
    public async Task<string?> GetConfigAsync(string key, CancellationToken cancellationToken = default) =>
        (await GetConfigAsync([key], cancellationToken).ConfigureAwait(false)).TryGetValue(key, out var value) ? value : null;

    /// <summary>Every session configuration value whose key starts with <paramref name="prefix"/> (all of them by default).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> GetAllConfigAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var all = new ConfigRequest.Types.GetAll();
        if (prefix is not null) all.Prefix = prefix;
        return Pairs(await ConfigAsync(new ConfigRequest.Types.Operation { GetAll = all }, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sets session configuration values.</summary>
    public async Task SetConfigAsync(IEnumerable<KeyValuePair<string, string>> pairs, CancellationToken cancellationToken = default)
    {
        var set = new ConfigRequest.Types.Set();
        set.Pairs.AddRange(pairs.Select(p => new KeyValue { Key = p.Key, Value = p.Value }));
        await ConfigAsync(new ConfigRequest.Types.Operation { Set = set }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets one session configuration value.</summary>
    public Task SetConfigAsync(string key, string value, CancellationToken cancellationToken = default) =>
        SetConfigAsync([KeyValuePair.Create(key, value)], cancellationToken);

    /// <summary>Returns session configuration keys to their defaults.</summary>
    public async Task UnsetConfigAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var unset = new ConfigRequest.Types.Unset();
        unset.Keys.AddRange(keys);
        await ConfigAsync(new ConfigRequest.Types.Operation { Unset = unset }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns one session configuration key to its default.</summary>
    public Task UnsetConfigAsync(string key, CancellationToken cancellationToken = default) => UnsetConfigAsync([key], cancellationToken);

    /// <summary>Interrupts one operation of the session; returns the ids the server interrupted (empty when it had already ended).</summary>
    public Task<IReadOnlyList<string>> InterruptAsync(string operationId, CancellationToken cancellationToken = default) =>
        InterruptAsync(r => { r.InterruptType = InterruptRequest.Types.InterruptType.OperationId; r.OperationId = operationId; }, cancellationToken);

    /// <summary>Interrupts every running operation of the session; returns their ids.</summary>
    public Task<IReadOnlyList<string>> InterruptAllAsync(CancellationToken cancellationToken = default) =>
        InterruptAsync(r => r.InterruptType = InterruptRequest.Types.InterruptType.All, cancellationToken);

    /// <summary>Interrupts the running operations of the session that have a tag; returns their ids.</summary>
    public Task<IReadOnlyList<string>> InterruptTagAsync(string tag, CancellationToken cancellationToken = default) =>
        InterruptAsync(r => { r.InterruptType = InterruptRequest.Types.InterruptType.Tag; r.OperationTag = tag; }, cancellationToken);

    /// <summary>
    /// Releases the session on the server: its operations stop, its temporary views and settings are gone, and this
    /// client can make no more calls. Done once; <see cref="DisposeAsync"/> does it when it has not been done.
    /// </summary>
    public async Task ReleaseSessionAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _released, 1) == 1) return;
        await _rpc.ReleaseSessionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Options} session {SessionId}";

    /// <summary>Releases the session (failures are logged, not thrown) and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseSessionAsync().ConfigureAwait(false);
        }
        catch (SparkConnectException e)
        {
            _rpc.Log.LogWarning("ReleaseSession of Spark session {SessionId} failed: {Error}", SessionId, e.Message);
        }
        _channel.Dispose();
    }

    private async Task<IReadOnlyList<string>> InterruptAsync(Action<InterruptRequest> what, CancellationToken cancellationToken)
    {
        ThrowIfReleased();
        return await _rpc.InterruptAsync(what, Token(cancellationToken)).ConfigureAwait(false);
    }

    private Task<AnalyzePlanResponse> AnalyzeAsync(AnalyzePlanRequest request, CancellationToken cancellationToken)
    {
        ThrowIfReleased();
        return _rpc.AnalyzeAsync(request, Token(cancellationToken));
    }

    private Task<ConfigResponse> ConfigAsync(ConfigRequest.Types.Operation operation, CancellationToken cancellationToken)
    {
        ThrowIfReleased();
        return _rpc.ConfigAsync(operation, Token(cancellationToken));
    }

    private static Dictionary<string, string?> Pairs(ConfigResponse reply)
    {
        var pairs = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in reply.Pairs) pairs[pair.Key] = pair.HasValue ? pair.Value : null;
        return pairs;
    }

    private static SparkConnectException Unexpected(string expected, AnalyzePlanResponse.ResultOneofCase got) =>
        new($"the server answered an AnalyzePlan {expected} request with {(got == AnalyzePlanResponse.ResultOneofCase.None ? "no result" : got.ToString())}", Grpc.Core.StatusCode.Internal);

    private void ThrowIfReleased()
    {
        if (Volatile.Read(ref _released) == 1) throw new ObjectDisposedException(nameof(SparkConnectClient), $"Spark session {SessionId} was released");
    }

    private CancellationToken Token(CancellationToken given) => given.CanBeCanceled ? given : AmbientCancellation?.Invoke() ?? CancellationToken.None;

    private static SocketsHttpHandler CreateHandler() => new()
    {
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        ConnectTimeout = TimeSpan.FromSeconds(15),
    };
}
