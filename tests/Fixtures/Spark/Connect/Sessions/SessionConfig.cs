using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Sessions;

/// <summary>
/// A session's Spark configuration as the Config RPC sees it (SparkConnectConfigHandler over RuntimeConfig): values
/// set in the session, over the server's (<c>spark.app.name</c>, <c>spark.master</c>, <c>spark.sql.session.timeZone</c>…,
/// listed by GetAll), over the defaults of known SQL configs (returned by Get, not listed by GetAll). Get of an unknown
/// key fails with SQL_CONF_NOT_FOUND; Set of a static or core key with CANNOT_MODIFY_CONFIG; IsModifiable is true for
/// known SQL configs that are not static.
/// </summary>
internal sealed class SessionConfig
{
    public const string TimeZoneKey = "spark.sql.session.timeZone";
    public const string MaxRecordsPerBatchKey = "spark.sql.execution.arrow.maxRecordsPerBatch";
    public const string EnrichErrorKey = "spark.sql.connect.enrichError.enabled";

    private static readonly Dictionary<string, string> SqlDefaults = new(StringComparer.Ordinal)
    {
        [TimeZoneKey] = "UTC",
        ["spark.sql.ansi.enabled"] = "true",
        [MaxRecordsPerBatchKey] = "10000",
        ["spark.sql.execution.arrow.useLargeVarTypes"] = "false",
        ["spark.sql.shuffle.partitions"] = "200",
        ["spark.sql.caseSensitive"] = "false",
        [EnrichErrorKey] = "true",
        ["spark.sql.pyspark.jvmStacktrace.enabled"] = "false",
        ["spark.sql.execution.arrow.pyspark.enabled"] = "false",
    };

    private static readonly HashSet<string> Static = new(StringComparer.Ordinal)
    {
        "spark.sql.warehouse.dir", "spark.sql.catalogImplementation", "spark.app.name", "spark.master", "spark.driver.memory", "spark.executor.memory",
    };

    private static readonly HashSet<string> UnsupportedInConnect = new(StringComparer.Ordinal)
    {
        "spark.sql.execution.arrow.enabled", "spark.sql.execution.arrow.pyspark.fallback.enabled",
    };

    private readonly Dictionary<string, string> _set = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _server;
    private readonly Lock _gate = new();

    public SessionConfig(string timeZone, int maxRecordsPerBatch)
    {
        _server = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["spark.app.name"] = "Spark Connect fixture (DuckDB)",
            ["spark.master"] = "local[*]",
            ["spark.sql.warehouse.dir"] = "file:/tmp/spark-warehouse",
            ["spark.sql.catalogImplementation"] = "in-memory",
            [TimeZoneKey] = timeZone,
            [MaxRecordsPerBatchKey] = maxRecordsPerBatch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public string TimeZone => Get(TimeZoneKey);

    public int MaxRecordsPerBatch => int.TryParse(Get(MaxRecordsPerBatchKey), out var n) ? n : 10000;

    public bool EnrichErrors => !string.Equals(Option(EnrichErrorKey), "false", StringComparison.OrdinalIgnoreCase);

    public void Set(string key, string? value)
    {
        if (Static.Contains(key))
        {
            throw SparkError.Of("CANNOT_MODIFY_CONFIG", JvmException.Analysis, new Dictionary<string, string>
            {
                ["key"] = $"\"{key}\"", ["docroot"] = "https://spark.apache.org/docs/4.0.1",
            });
        }
        lock (_gate)
        {
            if (value is null) _set.Remove(key);
            else _set[key] = value;
        }
    }

    public string Get(string key) => Option(key) ?? throw SparkError.Of("SQL_CONF_NOT_FOUND", JvmException.NoSuchElement,
        new Dictionary<string, string> { ["sqlConf"] = $"\"{key}\"" });

    public string? Option(string key)
    {
        lock (_gate) return _set.GetValueOrDefault(key) ?? _server.GetValueOrDefault(key) ?? SqlDefaults.GetValueOrDefault(key);
    }

    public IReadOnlyList<KeyValuePair<string, string>> All()
    {
        lock (_gate) return _server.Where(kv => !_set.ContainsKey(kv.Key)).Concat(_set).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
    }

    public void Unset(string key)
    {
        lock (_gate) _set.Remove(key);
    }

    public static bool IsModifiable(string key) => SqlDefaults.ContainsKey(key) && !Static.Contains(key);

    /// <summary>The warning Spark adds for a key: configs Spark Connect does not support.</summary>
    public static string? Warning(string key) => UnsupportedInConnect.Contains(key) ? $"The SQL config '{key}' is NOT supported in Spark Connect" : null;
}
