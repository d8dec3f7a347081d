using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Warehouse;

/// <summary>The engines a named connection can point at.</summary>
public static class ConnectionKinds
{
    /// <summary>DuckDB: the embedded warehouse, or a DuckDB file or in-memory database.</summary>
    public const string DuckDb = "duckdb";

    /// <summary>PostgreSQL through Npgsql.</summary>
    public const string Postgres = "postgres";

    /// <summary>Trino over its client REST protocol.</summary>
    public const string Trino = "trino";

    /// <summary>Presto (prestodb) over the same protocol in its own dialect.</summary>
    public const string Presto = "presto";

    /// <summary>Spark over Spark Connect (gRPC).</summary>
    public const string Spark = "spark";

    /// <summary>Spark through an Apache Livy server (REST sessions and statements).</summary>
    public const string Livy = "livy";

    /// <summary>An Iceberg REST catalog: metadata only (the metastore browses it; engines query its tables).</summary>
    public const string Iceberg = "iceberg";

    /// <summary>Every kind.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { DuckDb, Postgres, Trino, Presto, Spark, Livy, Iceberg };

    /// <summary>Whether the kind is spoken over the Trino protocol (trino or presto).</summary>
    public static bool IsTrinoProtocol(string kind) => kind is Trino or Presto;

    /// <summary>Whether a connection of the kind is a catalog only (iceberg): metadata to browse, no engine to run SQL or code on.</summary>
    public static bool IsCatalogOnly(string kind) => kind is Iceberg;

    /// <summary>What to tell someone who tries to run SQL or code on a catalog-only connection.</summary>
    public static string CatalogOnlyMessage(ConnectionSpec spec) =>
        $"connection '{spec.Name}' is a catalog-only connection ({spec.Kind}: an Iceberg REST catalog holds metadata, it runs no SQL): "
        + "browse it with %metastore (or the Metastore object), and query its tables through an engine connected to the same catalog (trino, spark)";
}

/// <summary>
/// A named connection: its kind and an engine connection string. <see cref="ToString"/> and
/// <see cref="Redacted"/> never show passwords or tokens.
/// </summary>
public sealed record ConnectionSpec
{
    /// <summary>The name cells and code use, e.g. <c>warehouse</c>.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>One of <see cref="ConnectionKinds"/>.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }

    /// <summary>
    /// The engine connection string: for duckdb <c>DataSource=...</c> (empty for the embedded warehouse); for
    /// postgres Npgsql's keywords; for trino and presto a URL <c>trino://user@host:8080/catalog/schema?source=...</c>
    /// or keywords <c>Host=...;Port=...;User=...</c> (see <see cref="KernelGateway.Platform.Trino.TrinoConnectionOptions"/>);
    /// for spark a Spark Connect string <c>sc://host:15002/;token=...;user_id=...</c> (see
    /// <see cref="KernelGateway.Platform.Spark.Connect.SparkConnectOptions"/>); for livy a URL
    /// <c>livy+https://user:password@host:8998/path?token=...</c> (see <see cref="KernelGateway.Platform.Spark.Livy.LivyOptions"/>);
    /// for iceberg the REST catalog's URL and settings <c>https://host:8181/base;Warehouse=w;Credential=client_id:secret</c> or
    /// <c>;Token=...</c> (see <see cref="KernelGateway.Platform.Iceberg.IcebergOptions"/>).
    /// </summary>
    [JsonPropertyName("connection_string")] public string ConnectionString { get; init; } = "";

    /// <summary>Free-form description shown in listings.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }

    /// <summary>The connection string with secret values (password, token, key) replaced by <c>***</c>.</summary>
    public string Redacted => Redact(ConnectionString);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind}) {Redacted}".TrimEnd();

    private const string SecretKeyValue = @"(?i)\b(password|pwd|token|access_token|accesstoken|secret|client_secret|credential|api[_-]?key|access[_-]?key|extra_?credential(\.[\w.-]+)?)\s*=\s*[^;&]*";
    private const string UrlPassword = @"(?<=://[^:/@\s]+:)[^@/\s]+(?=@)";

    /// <summary>Replaces the values of secret-looking keys in a <c>key=value;</c> string or URL.</summary>
    public static string Redact(string connectionString)
    {
        if (string.IsNullOrEmpty(connectionString)) return connectionString;
        var redacted = System.Text.RegularExpressions.Regex.Replace(connectionString, SecretKeyValue, m => m.Value[..(m.Value.IndexOf('=') + 1)] + "***");
        return System.Text.RegularExpressions.Regex.Replace(redacted, UrlPassword, "***");
    }

    /// <summary>
    /// The secret values <see cref="Redact"/> hides (as written, and URL-decoded), so that text from elsewhere (an
    /// engine's error message) can be scrubbed of them too.
    /// </summary>
    internal IEnumerable<string> SecretValues()
    {
        var matches = System.Text.RegularExpressions.Regex.Matches(ConnectionString, SecretKeyValue);
        var values = matches.Select(m => m.Value[(m.Value.IndexOf('=') + 1)..].Trim())
            .Concat(System.Text.RegularExpressions.Regex.Matches(ConnectionString, UrlPassword).Select(m => m.Value))
            // An iceberg Credential is client_id:client_secret: the secret alone is hidden too (a token endpoint may echo it).
            .Concat(matches.Where(m => m.Groups[1].Value.Equals("credential", StringComparison.OrdinalIgnoreCase))
                .Select(m => Uri.UnescapeDataString(m.Value[(m.Value.IndexOf('=') + 1)..].Trim())).Where(v => v.IndexOf(':') > 0).Select(v => v[(v.IndexOf(':') + 1)..]));
        // Longest first, so that a value is hidden whole before a part of it is.
        return values.Where(v => v.Length > 0).SelectMany(v => new[] { v, Uri.UnescapeDataString(v) }).Distinct().OrderByDescending(v => v.Length);
    }

    /// <summary>Checks the name, the kind, and that the connection string is one the kind's client can read.</summary>
    /// <exception cref="ArgumentException">What is wrong, naming the connection.</exception>
    public ConnectionSpec Validated()
    {
        if (string.IsNullOrWhiteSpace(Name) || !System.Text.RegularExpressions.Regex.IsMatch(Name, @"^[A-Za-z_][\w-]*$"))
            throw new ArgumentException($"connection name '{Name}' must start with a letter and contain letters, digits, '_' or '-'");
        if (string.IsNullOrWhiteSpace(Kind) || !ConnectionKinds.All.Contains(Kind))
            throw new ArgumentException($"connection '{Name}': unknown kind '{Kind}' (one of {string.Join(", ", ConnectionKinds.All)})");
        var valid = this with { Kind = Kind.ToLowerInvariant(), ConnectionString = ConnectionString ?? "" };
        try
        {
            valid.CheckConnectionString();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or UriFormatException)
        {
            throw new ArgumentException($"connection '{Name}' ({valid.Kind}): bad connection string: {Redact(e.Message)}", e);
        }
        return valid;
    }

    private void CheckConnectionString()
    {
        switch (Kind)
        {
            case ConnectionKinds.Postgres:
                _ = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
                break;
            case ConnectionKinds.DuckDb:
                _ = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = ConnectionString };
                break;
            case ConnectionKinds.Trino or ConnectionKinds.Presto:
                _ = KernelGateway.Platform.Trino.TrinoConnectionOptions.Parse(ConnectionString, Kind == ConnectionKinds.Presto);
                break;
            case ConnectionKinds.Spark:
                _ = KernelGateway.Platform.Spark.Connect.SparkConnectOptions.Parse(ConnectionString);
                break;
            case ConnectionKinds.Livy:
                _ = KernelGateway.Platform.Spark.Livy.LivyOptions.Parse(ConnectionString);
                break;
            case ConnectionKinds.Iceberg:
                _ = KernelGateway.Platform.Iceberg.IcebergOptions.Parse(ConnectionString);
                break;
        }
    }
}

/// <summary>A connection entry that could not be used, and why. <see cref="Name"/> is null when the whole source is unreadable.</summary>
/// <param name="Name">The entry's name, when it has one.</param>
/// <param name="Origin">Where it came from: the file path, <c>KG_CONNECTIONS</c>, or <c>%connect</c>.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record ConnectionProblem(string? Name, string Origin, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name ?? "(unnamed)"} from {Origin}: {Message}";
}

/// <summary>Thrown when a named connection exists but its entry cannot be used; the message says what is wrong with it.</summary>
public sealed class ConnectionUnusableException(ConnectionProblem problem)
    : InvalidOperationException($"connection '{problem.Name}' cannot be used: {problem.Message} (defined in {problem.Origin})")
{
    /// <summary>What is wrong.</summary>
    public ConnectionProblem Problem { get; } = problem;
}

/// <summary>
/// The named connections: the embedded <c>warehouse</c> always, then <c>{data}/connections.json</c>, then the
/// <c>KG_CONNECTIONS</c> environment variable (a JSON array of the same objects), later ones replacing earlier
/// ones of the same name; and connections added at run time. A bad entry (unknown kind, malformed connection
/// string, unreadable JSON) never stops the others: it is kept as a <see cref="ConnectionProblem"/>, and using it
/// says what is wrong with it.
/// </summary>
public sealed class ConnectionRegistry
{
    /// <summary>The name of the embedded DuckDB warehouse.</summary>
    public const string EmbeddedName = "warehouse";

    private readonly Dictionary<string, ConnectionSpec> _connections = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ConnectionProblem> _broken = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ConnectionProblem> _unnamed = [];
    private readonly Lock _lock = new();

    /// <summary>A registry with only the embedded warehouse.</summary>
    public ConnectionRegistry() => Add(new ConnectionSpec { Name = EmbeddedName, Kind = ConnectionKinds.DuckDb, Description = "the embedded DuckDB warehouse" });

    /// <summary>Loads the file and the environment variable on top of the embedded warehouse. Never throws for bad content.</summary>
    public static ConnectionRegistry Load(string dataDirectory, Func<string, string?>? getenv = null)
    {
        var registry = new ConnectionRegistry();
        var file = Path.Combine(dataDirectory, "connections.json");
        string? text = null;
        try { if (File.Exists(file)) text = File.ReadAllText(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { registry.Report(new ConnectionProblem(null, file, e.Message)); }
        if (text is not null) registry.AddJson(text, file);
        if ((getenv ?? Environment.GetEnvironmentVariable)("KG_CONNECTIONS") is { Length: > 0 } env) registry.AddJson(env, "KG_CONNECTIONS");
        return registry;
    }

    /// <summary>Adds every entry of a JSON array of connections; bad entries become problems, good ones are added.</summary>
    public void AddJson(string json, string origin)
    {
        System.Text.Json.Nodes.JsonArray? entries;
        try
        {
            entries = System.Text.Json.Nodes.JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as System.Text.Json.Nodes.JsonArray;
        }
        catch (JsonException e)
        {
            Report(new ConnectionProblem(null, origin, $"not valid JSON ({e.Message})"));
            return;
        }
        if (entries is null)
        {
            Report(new ConnectionProblem(null, origin, "expected a JSON array of connections [{\"name\", \"kind\", \"connection_string\"}]"));
            return;
        }
        for (var i = 0; i < entries.Count; i++) AddEntry(entries[i], $"{origin} (entry {i + 1})");
    }

    private void AddEntry(System.Text.Json.Nodes.JsonNode? entry, string origin)
    {
        var name = (entry as System.Text.Json.Nodes.JsonObject)?["name"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var n) && n.Length > 0 ? n : null;
        try
        {
            var spec = entry?.Deserialize(PlatformJsonContext.Default.ConnectionSpec) ?? throw new ArgumentException("the entry is null");
            Add(spec);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            var message = e is JsonException ? $"not a connection object ({e.Message})" : e.Message;
            Report(new ConnectionProblem(name, origin, message));
        }
    }

    private void Report(ConnectionProblem problem)
    {
        lock (_lock)
        {
            if (problem.Name is null) { _unnamed.Add(problem); return; }
            _connections.Remove(problem.Name);
            _broken[problem.Name] = problem;
        }
    }

    /// <summary>Adds or replaces a connection.</summary>
    /// <exception cref="ArgumentException">The entry is not usable; the message says why.</exception>
    public ConnectionSpec Add(ConnectionSpec spec)
    {
        var valid = spec.Validated();
        lock (_lock)
        {
            _connections[valid.Name] = valid;
            _broken.Remove(valid.Name);
        }
        return valid;
    }

    /// <summary>Finds a connection by name (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">No such connection; the message lists the known ones.</exception>
    /// <exception cref="ConnectionUnusableException">The entry of that name is bad; the message says what is wrong.</exception>
    public ConnectionSpec Get(string? name)
    {
        name ??= EmbeddedName;
        lock (_lock)
        {
            if (_connections.TryGetValue(name, out var spec)) return spec;
            if (_broken.TryGetValue(name, out var problem)) throw new ConnectionUnusableException(problem);
            throw new KeyNotFoundException($"no connection named '{name}' (known: {string.Join(", ", _connections.Keys.Order())})");
        }
    }

    /// <summary>All usable connections, by name.</summary>
    public IReadOnlyList<ConnectionSpec> All
    {
        get { lock (_lock) return _connections.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList(); }
    }

    /// <summary>The entries that could not be used, and the sources that could not be read.</summary>
    public IReadOnlyList<ConnectionProblem> Problems
    {
        get { lock (_lock) return [.. _unnamed, .. _broken.Values.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)]; }
    }
}

/// <summary>Source-generated JSON metadata of the platform's configuration types and of the metastore's answers.</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(List<ConnectionSpec>))]
[JsonSerializable(typeof(ConnectionSpec))]
[JsonSerializable(typeof(SeedManifest))]
[JsonSerializable(typeof(KernelGateway.Platform.Metastore.MetastoreAnswer<KernelGateway.Platform.Metastore.MetastoreConnection>))]
[JsonSerializable(typeof(KernelGateway.Platform.Metastore.MetastoreAnswer<KernelGateway.Platform.Metastore.MetastoreCatalog>))]
[JsonSerializable(typeof(KernelGateway.Platform.Metastore.MetastoreAnswer<KernelGateway.Platform.Metastore.MetastoreSearchHit>))]
[JsonSerializable(typeof(IReadOnlyList<KernelGateway.Platform.Metastore.MetastoreSchema>))]
[JsonSerializable(typeof(IReadOnlyList<KernelGateway.Platform.Metastore.MetastoreTableSummary>))]
[JsonSerializable(typeof(KernelGateway.Platform.Metastore.MetastoreTable))]
[JsonSerializable(typeof(KernelGateway.Platform.Metastore.MetastoreError))]
public sealed partial class PlatformJsonContext : JsonSerializerContext;
