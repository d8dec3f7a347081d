using System.Globalization;

namespace KernelGateway.Gateway.Options;

/// <summary>
/// The gateway's configuration, with Jupyter Kernel Gateway's names: each property is read from its
/// <c>KG_*</c> environment variable by <see cref="FromEnvironment"/> and can be overridden in code.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The port to listen on (<c>KG_PORT</c>); 8888 by default, 0 for any free port.</summary>
    public int Port { get; set; } = 8888;

    /// <summary>The address to listen on (<c>KG_IP</c>); <c>127.0.0.1</c> by default.</summary>
    public string IP { get; set; } = "127.0.0.1";

    /// <summary>The path every route is rooted at (<c>KG_BASE_URL</c>); <c>/</c> by default.</summary>
    public string BaseUrl { get; set; } = "/";

    /// <summary>The token every request must carry (<c>KG_AUTH_TOKEN</c>); none (no authentication) by default.</summary>
    public string? AuthToken { get; set; }

    /// <summary>The <c>Access-Control-Allow-Origin</c> value (<c>KG_ALLOW_ORIGIN</c>); not sent by default.</summary>
    public string? AllowOrigin { get; set; }

    /// <summary>The <c>Access-Control-Allow-Headers</c> value (<c>KG_ALLOW_HEADERS</c>); not sent by default.</summary>
    public string? AllowHeaders { get; set; }

    /// <summary>The <c>Access-Control-Allow-Methods</c> value (<c>KG_ALLOW_METHODS</c>); not sent by default.</summary>
    public string? AllowMethods { get; set; }

    /// <summary>The <c>Access-Control-Allow-Credentials</c> value (<c>KG_ALLOW_CREDENTIALS</c>); not sent by default.</summary>
    public string? AllowCredentials { get; set; }

    /// <summary>The most kernels running at once (<c>KG_MAX_KERNELS</c>); unbounded (null) by default.</summary>
    public int? MaxKernels { get; set; }

    /// <summary>Whether <c>GET /metrics</c> answers without the token (<c>KG_METRICS_PUBLIC</c>, <c>--metrics-public</c>); false by default.</summary>
    public bool MetricsPublic { get; set; }

    /// <summary>Whether <c>GET /api/kernels</c> and <c>GET /api/sessions</c> answer (<c>KG_LIST_KERNELS</c>); false (403) by default.</summary>
    public bool ListKernels { get; set; }

    /// <summary>The kernelspec used when a request names none (<c>KG_DEFAULT_KERNEL_NAME</c>); <c>python3</c> by default.</summary>
    public string DefaultKernelName { get; set; } = "python3";

    /// <summary>
    /// Variables of the gateway's own environment that kernels inherit (<c>KG_ENV_PROCESS_WHITELIST</c>, comma-separated),
    /// on top of the launcher's default allow-list. Empty by default.
    /// </summary>
    public IList<string> EnvProcessWhitelist { get; set; } = [];

    /// <summary>Variables a client may set in <c>POST /api/kernels</c> besides <c>KERNEL_*</c> (<c>KG_ENV_WHITELIST</c>). Empty by default.</summary>
    public IList<string> EnvWhitelist { get; set; } = [];

    /// <summary>Kernels of the default kernelspec started ahead of requests (<c>KG_PRESPAWN_COUNT</c>); 0 by default.</summary>
    public int PrespawnCount { get; set; }

    /// <summary>
    /// How long a kernel may be idle before it is shut down (<c>KG_CULL_IDLE_TIMEOUT</c>, seconds); zero (never) by default.
    /// Idle means no message to or from the kernel, as Jupyter Server's <c>MappingKernelManager.cull_idle_timeout</c>.
    /// </summary>
    public TimeSpan CullIdleTimeout { get; set; }

    /// <summary>How often idle kernels are looked for (<c>KG_CULL_INTERVAL</c>, seconds); 300 seconds by default.</summary>
    public TimeSpan CullInterval { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Whether a kernel with WebSocket connections open may be culled (<c>KG_CULL_CONNECTED</c>); false by default.</summary>
    public bool CullConnected { get; set; }

    /// <summary>Whether a busy kernel may be culled (<c>KG_CULL_BUSY</c>); false by default.</summary>
    public bool CullBusy { get; set; }

    /// <summary>
    /// The data directory (<c>KG_DATA_DIR</c>), as the kernel uses it: its <c>connections.json</c> names the connections
    /// the metastore API reads, and <c>warehouse/</c> holds the embedded warehouse. <c>~/.kernelgateway</c> by default.
    /// </summary>
    public string DataDirectory { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kernelgateway");

    /// <summary>
    /// The embedded warehouse's fact-table size should the gateway be the first to seed it (<c>KG_WAREHOUSE_ROWS</c>);
    /// 10,000,000 by default, as the kernel's.
    /// </summary>
    public long WarehouseRows { get; set; } = KernelGateway.Platform.Warehouse.EmbeddedWarehouse.DefaultSessionRows;

    /// <summary>The metastore's cache lifetime and per-engine timeout (<c>KG_METASTORE_TTL</c>, <c>KG_METASTORE_TIMEOUT</c>).</summary>
    public KernelGateway.Platform.Metastore.MetastoreOptions Metastore { get; set; } = new();

    /// <summary>Whether the notebook scheduler runs in this gateway (<c>KG_SCHEDULER</c>; <c>off</c> disables it); on by default. With it off, the schedules and runs API still records, and another gateway's scheduler runs.</summary>
    public bool Scheduler { get; set; } = true;

    /// <summary>
    /// Where schedules and runs are kept (<c>KG_SCHEDULER_STORE</c>): empty (default) for SQLite at <c>{data}/state.db</c>; a
    /// <c>postgres://user:password@host:port/db</c> URL or an Npgsql connection string for PostgreSQL, shared by several gateways.
    /// </summary>
    public string? SchedulerStore { get; set; }

    /// <summary>Runs the scheduler executes at once (<c>KG_SCHEDULER_MAX_RUNS</c>); 4 by default.</summary>
    public int SchedulerMaxRuns { get; set; } = 4;

    /// <summary>Where connection files go; a <c>kernelgateway-runtime</c> directory under the temporary directory by default.</summary>
    public string RuntimeDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "kernelgateway-runtime");

    /// <summary>How long a started kernel may take to answer <c>kernel_info_request</c>; 60 seconds by default.</summary>
    public TimeSpan KernelStartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a kernel asked to shut down may take to exit before it is killed; 5 seconds by default.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages queued for one WebSocket client before it is disconnected as too slow; 10,000 by default.</summary>
    public int WebSocketQueueLimit { get; set; } = 10_000;

    /// <summary><see cref="BaseUrl"/> as a path prefix: empty for <c>/</c>, otherwise <c>/x</c> with no trailing slash.</summary>
    public string BasePath
    {
        get
        {
            var b = (BaseUrl ?? "/").Trim().Trim('/');
            return b.Length == 0 ? "" : "/" + b;
        }
    }

    /// <summary>Reads the options from <c>KG_*</c> environment variables (or from <paramref name="getenv"/>); unset ones keep their defaults.</summary>
    /// <exception cref="FormatException">A numeric variable is not a number.</exception>
    public static GatewayOptions FromEnvironment(Func<string, string?>? getenv = null)
    {
        getenv ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => getenv(name) is { Length: > 0 } v ? v : null;
        var o = new GatewayOptions();
        if (Get("KG_PORT") is { } port) o.Port = int.Parse(port, CultureInfo.InvariantCulture);
        if (Get("KG_IP") is { } ip) o.IP = ip;
        if (Get("KG_BASE_URL") is { } baseUrl) o.BaseUrl = baseUrl;
        if (Get("KG_DATA_DIR") is { } dataDir) o.DataDirectory = dataDir;
        // As the kernel reads it: a value that is not a positive number keeps the default.
        if (long.TryParse(Get("KG_WAREHOUSE_ROWS"), CultureInfo.InvariantCulture, out var rows) && rows > 0) o.WarehouseRows = rows;
        o.Metastore = KernelGateway.Platform.Metastore.MetastoreOptions.FromEnvironment(getenv);
        o.AuthToken = Get("KG_AUTH_TOKEN");
        o.AllowOrigin = Get("KG_ALLOW_ORIGIN");
        o.AllowHeaders = Get("KG_ALLOW_HEADERS");
        o.AllowMethods = Get("KG_ALLOW_METHODS");
        o.AllowCredentials = Get("KG_ALLOW_CREDENTIALS");
        if (Get("KG_MAX_KERNELS") is { } max) o.MaxKernels = int.Parse(max, CultureInfo.InvariantCulture);
        if (Get("KG_LIST_KERNELS") is { } list) o.ListKernels = ParseBool(list);
        if (Get("KG_METRICS_PUBLIC") is { } mp) o.MetricsPublic = ParseBool(mp);
        if (Get("KG_DEFAULT_KERNEL_NAME") is { } dk) o.DefaultKernelName = dk;
        if (Get("KG_ENV_PROCESS_WHITELIST") is { } epw) o.EnvProcessWhitelist = SplitList(epw);
        if (Get("KG_ENV_WHITELIST") is { } ew) o.EnvWhitelist = SplitList(ew);
        if (Get("KG_PRESPAWN_COUNT") is { } pc) o.PrespawnCount = int.Parse(pc, CultureInfo.InvariantCulture);
        if (Get("KG_CULL_IDLE_TIMEOUT") is { } cit) o.CullIdleTimeout = Seconds("KG_CULL_IDLE_TIMEOUT", cit);
        if (Get("KG_CULL_INTERVAL") is { } ci) o.CullInterval = Seconds("KG_CULL_INTERVAL", ci);
        if (Get("KG_CULL_CONNECTED") is { } cc) o.CullConnected = ParseBool(cc);
        if (Get("KG_CULL_BUSY") is { } cb) o.CullBusy = ParseBool(cb);
        if (Get("KG_SCHEDULER") is { } sched) o.Scheduler = ParseBool(sched);
        o.SchedulerStore = Get("KG_SCHEDULER_STORE");
        if (Get("KG_SCHEDULER_MAX_RUNS") is { } smr) o.SchedulerMaxRuns = int.Parse(smr, CultureInfo.InvariantCulture);
        o.Validate();
        return o;
    }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 0–65535, the kernel limit or the warehouse rows are below 1, or the prespawn count is negative or above the kernel limit.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(Port), Port, "KG_PORT must be 0–65535");
        if (MaxKernels is < 1) throw new ArgumentOutOfRangeException(nameof(MaxKernels), MaxKernels, "KG_MAX_KERNELS must be at least 1");
        if (PrespawnCount < 0) throw new ArgumentOutOfRangeException(nameof(PrespawnCount), PrespawnCount, "KG_PRESPAWN_COUNT must not be negative");
        if (MaxKernels is { } max && PrespawnCount > max)
            throw new ArgumentOutOfRangeException(nameof(PrespawnCount), PrespawnCount, "KG_PRESPAWN_COUNT must not exceed KG_MAX_KERNELS");
        if (CullIdleTimeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(CullIdleTimeout), CullIdleTimeout, "KG_CULL_IDLE_TIMEOUT must not be negative (0 turns culling off)");
        if (CullInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(CullInterval), CullInterval, "KG_CULL_INTERVAL must be positive");
        if (WarehouseRows < 1) throw new ArgumentOutOfRangeException(nameof(WarehouseRows), WarehouseRows, "KG_WAREHOUSE_ROWS must be at least 1");
        if (SchedulerMaxRuns < 1) throw new ArgumentOutOfRangeException(nameof(SchedulerMaxRuns), SchedulerMaxRuns, "KG_SCHEDULER_MAX_RUNS must be at least 1");
        if (WebSocketQueueLimit < 1) throw new ArgumentOutOfRangeException(nameof(WebSocketQueueLimit), WebSocketQueueLimit, "must be at least 1");
    }

    /// <summary>Parses a number of seconds (fractions allowed), as the <c>KG_CULL_*</c> variables and options take them.</summary>
    /// <exception cref="FormatException">The value is not a number.</exception>
    public static TimeSpan Seconds(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s)
            ? TimeSpan.FromSeconds(s)
            : throw new FormatException($"{name} must be a number of seconds, not '{value}'");

    private static bool ParseBool(string value) =>
        value.Trim().ToLowerInvariant() is "true" or "1" or "yes" or "on";

    private static List<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
