using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using DuckDB.NET.Data;

namespace KernelGateway.Platform.Warehouse;

/// <summary>What the seed wrote: version, tables and their row counts.</summary>
public sealed record SeedManifest
{
    /// <summary>The seed format version; a different one reseeds.</summary>
    [JsonPropertyName("version")] public int Version { get; init; }

    /// <summary>Rows per table.</summary>
    [JsonPropertyName("tables")] public Dictionary<string, long> Tables { get; init; } = new();

    /// <summary>When the seed finished (UTC, ISO 8601).</summary>
    [JsonPropertyName("created")] public string Created { get; init; } = "";

    /// <summary>How long it took, in milliseconds.</summary>
    [JsonPropertyName("elapsed_ms")] public long ElapsedMs { get; init; }
}

/// <summary>
/// The embedded DuckDB warehouse: Parquet tables under <c>{data}/warehouse/</c>, seeded once with a generated demo
/// dataset (titles, members, and a fact table of daily streaming sessions with quality metrics; 10 million
/// sessions by default). Seeding runs under a cross-process lock by whichever process gets there first, writes
/// each file under a temporary name and renames it, and writes the manifest last, so a killed seed leaves
/// nothing half-written. No process ever holds a database file read-write: each connection is its own
/// in-memory DuckDB with views over the Parquet files, so any number of kernels query at once.
/// </summary>
public sealed class EmbeddedWarehouse
{
    /// <summary>The seed format version.</summary>
    public const int SeedVersion = 1;

    /// <summary>The tables of the demo dataset.</summary>
    public static readonly IReadOnlyList<string> Tables = ["titles", "members", "sessions"];

    /// <summary>The fact table's size when nothing says otherwise (<c>KG_WAREHOUSE_ROWS</c> for the kernel and the gateway): 10M.</summary>
    public const long DefaultSessionRows = 10_000_000;

    /// <summary>Uses <c>{dataDirectory}/warehouse</c>; <paramref name="sessionRows"/> is the fact table's size (<see cref="DefaultSessionRows"/> by default).</summary>
    public EmbeddedWarehouse(string dataDirectory, long sessionRows = DefaultSessionRows)
    {
        if (sessionRows < 1) throw new ArgumentOutOfRangeException(nameof(sessionRows), "needs at least one row");
        Directory = Path.Combine(dataDirectory, "warehouse");
        SessionRows = sessionRows;
    }

    /// <summary>The warehouse directory.</summary>
    public string Directory { get; }

    /// <summary>Rows of the sessions table when seeding.</summary>
    public long SessionRows { get; }

    private string ManifestPath => Path.Combine(Directory, "seed.json");

    /// <summary>The manifest, or null when the warehouse has not been seeded (or by another version).</summary>
    public SeedManifest? Manifest
    {
        get
        {
            try
            {
                var m = JsonSerializer.Deserialize(File.ReadAllBytes(ManifestPath), PlatformJsonContext.Default.SeedManifest);
                return m?.Version == SeedVersion && Tables.All(t => File.Exists(TablePath(t))) ? m : null;
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>The Parquet file of a table.</summary>
    public string TablePath(string table) => Path.Combine(Directory, table + ".parquet");

    /// <summary>Seeds the warehouse unless it already is; concurrent callers (threads or processes) wait for one seed.</summary>
    public async Task<SeedManifest> EnsureSeededAsync(CancellationToken cancellationToken = default)
    {
        if (Manifest is { } ready) return ready;
        System.IO.Directory.CreateDirectory(Directory);
        await using var gate = await AcquireLockAsync(cancellationToken).ConfigureAwait(false);
        if (Manifest is { } seeded) return seeded; // another process finished while we waited
        return await Task.Run(() => Seed(cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, ".seed.lock");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private SeedManifest Seed(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        Configure(db);
        var counts = new Dictionary<string, long>();
        var titles = 20_000L;
        var members = Math.Max(1, Math.Min(1_000_000, SessionRows / 10));
        foreach (var (table, select) in new (string, string)[]
        {
            ("titles", $"""
                SELECT i::INTEGER AS title_id,
                       'Title ' || i AS title,
                       (['drama','comedy','documentary','thriller','animation','sci-fi','romance','crime'])[1 + (hash(i) % 8)::INTEGER] AS genre,
                       (1950 + hash(i * 7) % 76)::SMALLINT AS release_year,
                       (20 + hash(i * 13) % 160)::SMALLINT AS runtime_minutes,
                       (['US','GB','FR','KR','JP','IN','BR','DE','ES','MX'])[1 + (hash(i * 3) % 10)::INTEGER] AS country,
                       round(1 + (hash(i * 5) % 90) / 10.0, 1)::DECIMAL(3,1) AS rating
                FROM range(1, {titles + 1}) t(i)
                """),
            ("members", $"""
                SELECT i::INTEGER AS member_id,
                       (['US','GB','FR','KR','JP','IN','BR','DE','ES','MX'])[1 + (hash(i) % 10)::INTEGER] AS country,
                       (['basic','standard','premium'])[1 + (hash(i * 5) % 3)::INTEGER] AS plan,
                       (DATE '2015-01-01' + (hash(i * 11) % 4000)::INTEGER) AS signup_date,
                       hash(i * 17) % 20 = 0 AS churned
                FROM range(1, {members + 1}) t(i)
                """),
            ("sessions", $"""
                SELECT i AS session_id,
                       (1 + hash(i) % {members})::INTEGER AS member_id,
                       (1 + hash(i * 31) % {titles})::INTEGER AS title_id,
                       (DATE '2026-01-01' + (hash(i * 17) % 334)::INTEGER) AS day,
                       (['tv','mobile','web','console','tablet'])[1 + (hash(i * 19) % 5)::INTEGER] AS device,
                       (1 + hash(i * 23) % 7200)::INTEGER AS seconds_watched,
                       (300 + hash(i * 29) % 15700)::INTEGER AS avg_bitrate_kbps,
                       round((hash(i * 37) % 1000) / 100.0, 2)::DOUBLE AS rebuffer_pct,
                       (200 + hash(i * 43) % 5000)::INTEGER AS startup_ms,
                       hash(i * 41) % 50 = 0 AS had_error
                FROM range(1, {SessionRows + 1}) t(i)
                """),
        })
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tmp = TablePath(table) + $".{Environment.ProcessId}.tmp";
            Exec(db, $"COPY ({select}) TO '{Escape(tmp)}' (FORMAT PARQUET, ROW_GROUP_SIZE 500000, COMPRESSION zstd)");
            File.Move(tmp, TablePath(table), overwrite: true);
            using var count = db.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM read_parquet('{Escape(TablePath(table))}')";
            counts[table] = Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        var manifest = new SeedManifest
        {
            Version = SeedVersion,
            Tables = counts,
            Created = DateTimeOffset.UtcNow.ToString("O"),
            ElapsedMs = clock.ElapsedMilliseconds,
        };
        var manifestTmp = ManifestPath + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(manifestTmp, JsonSerializer.SerializeToUtf8Bytes(manifest, PlatformJsonContext.Default.SeedManifest));
        File.Move(manifestTmp, ManifestPath, overwrite: true);
        return manifest;
    }

    /// <summary>
    /// Opens a new in-memory DuckDB with one view per table over its Parquet file (seeding first if needed).
    /// Extensions that are not built in fail with a clear error instead of a download attempt.
    /// </summary>
    public async Task<DuckDBConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSeededAsync(cancellationToken).ConfigureAwait(false);
        var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Configure(db);
            foreach (var t in Tables) Exec(db, $"CREATE VIEW {t} AS SELECT * FROM read_parquet('{Escape(TablePath(t))}')");
            return db;
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Settings for every DuckDB connection: no extension downloads.</summary>
    public static void Configure(DuckDBConnection db)
    {
        Exec(db, "SET autoinstall_known_extensions = false");
    }

    private static void Exec(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string Escape(string path) => path.Replace("'", "''");
}
