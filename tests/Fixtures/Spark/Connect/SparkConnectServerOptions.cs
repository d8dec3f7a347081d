namespace KernelGateway.Tests.Fixtures.Spark.Connect;

/// <summary>How a <see cref="SparkConnectServer"/> behaves. Every member has a default that acts like a Spark Connect
/// server with Spark's default configuration.</summary>
public sealed record SparkConnectServerOptions
{
    /// <summary>Serve TLS with a self-signed certificate for 127.0.0.1 and localhost (see <see cref="SparkConnectServer.Certificate"/>);
    /// otherwise HTTP/2 without TLS (h2c). Default false.</summary>
    public bool UseTls { get; init; }

    /// <summary>When set, every call must carry <c>Authorization: Bearer {token}</c>, else it fails with UNAUTHENTICATED
    /// ("No authentication token provided" / "Invalid authentication token", as Spark's PreSharedKeyAuthenticationInterceptor).
    /// Default none.</summary>
    public string? RequiredToken { get; init; }

    /// <summary>What AnalyzePlan(spark_version) answers. Default "4.0.1".</summary>
    public string SparkVersion { get; init; } = "4.0.1";

    /// <summary>The server's <c>spark.sql.session.timeZone</c> (an IANA id), which sessions start with. Default "UTC".</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>At most this many rows per ArrowBatch: the default of <c>spark.sql.execution.arrow.maxRecordsPerBatch</c>,
    /// which a session may change with Config. Default 10000 (Spark's).</summary>
    public int MaxRowsPerBatch { get; init; } = 10_000;

    /// <summary>A batch is closed once its values take about this many bytes: Spark's
    /// <c>spark.connect.grpc.arrow.maxBatchSize</c> (4 MiB) times 0.7, as SparkConnectPlanExecution uses it. Default 2936012.</summary>
    public long MaxBatchBytes { get; init; } = (long)(4 * 1024 * 1024 * 0.7);

    /// <summary>Responses a reattachable execution keeps after they were sent, for ReattachExecute: Spark's
    /// <c>spark.connect.execute.reattachable.observerRetryBufferSize</c>. Default 10 MiB.</summary>
    public long RetryBufferBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>ExecutionProgress responses sent between the schema and the first ArrowBatch of every query (stage 0,
    /// its tasks completing one by one), so clients see progress deterministically. Default 0.</summary>
    public int ProgressReports { get; init; }

    /// <summary>While a query runs, an ExecutionProgress response every interval (Spark sends them every
    /// <c>spark.connect.progress.reportInterval</c>, 2 s by default). Default null: none, so streams are deterministic.</summary>
    public TimeSpan? ProgressInterval { get; init; }

    /// <summary>A delay before every ArrowBatch: a slow query. Default none.</summary>
    public TimeSpan BatchDelay { get; init; }

    /// <summary>Encode a query's batches once and answer the same query (same SQL, arguments, time zone and batch limits)
    /// from them, without running DuckDB again: serving then costs no more than copying bytes, so a benchmark measures its
    /// client. Not Spark behaviour; off by default.</summary>
    public bool CacheResults { get; init; }

    /// <summary>The largest request message accepted: Spark's <c>spark.connect.grpc.maxInboundMessageSize</c>. Default 128 MiB.</summary>
    public int MaxReceiveMessageBytes { get; init; } = 128 * 1024 * 1024;
}
