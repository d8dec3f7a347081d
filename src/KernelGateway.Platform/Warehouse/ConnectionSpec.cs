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

    /// <summary>Trino (and Presto) over its HTTP protocol; declared here, implemented with the engines.</summary>
    public const string Trino = "trino";

    /// <summary>Every kind.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { DuckDb, Postgres, Trino };
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

    /// <summary>The engine connection string (for duckdb: <c>DataSource=...</c>; empty for the embedded warehouse).</summary>
    [JsonPropertyName("connection_string")] public string ConnectionString { get; init; } = "";

    /// <summary>Free-form description shown in listings.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }

    /// <summary>The connection string with secret values (password, token, key) replaced by <c>***</c>.</summary>
    public string Redacted => Redact(ConnectionString);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind}) {Redacted}".TrimEnd();

    /// <summary>Replaces the values of secret-looking keys in a <c>key=value;</c> string or URL.</summary>
    public static string Redact(string connectionString)
    {
        if (string.IsNullOrEmpty(connectionString)) return connectionString;
        var redacted = System.Text.RegularExpressions.Regex.Replace(connectionString,
            @"(?i)\b(password|pwd|token|secret|api[_-]?key|access[_-]?key)\s*=\s*[^;]*", m => m.Value[..(m.Value.IndexOf('=') + 1)] + "***");
        return System.Text.RegularExpressions.Regex.Replace(redacted, @"(?<=://[^:/@\s]+:)[^@/\s]+(?=@)", "***");
    }

    /// <summary>Checks the name and kind.</summary>
    /// <exception cref="ArgumentException">The name is not an identifier, or the kind is unknown.</exception>
    public ConnectionSpec Validated()
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(Name, @"^[A-Za-z_][\w-]*$"))
            throw new ArgumentException($"connection name '{Name}' must start with a letter and contain letters, digits, '_' or '-'");
        if (!ConnectionKinds.All.Contains(Kind))
            throw new ArgumentException($"connection '{Name}': unknown kind '{Kind}' (one of {string.Join(", ", ConnectionKinds.All)})");
        return this with { Kind = Kind.ToLowerInvariant() };
    }
}

/// <summary>
/// The named connections: the embedded <c>warehouse</c> always, then <c>{data}/connections.json</c>, then the
/// <c>KG_CONNECTIONS</c> environment variable (a JSON array of the same objects), later ones replacing earlier
/// ones of the same name; and connections added at run time.
/// </summary>
public sealed class ConnectionRegistry
{
    /// <summary>The name of the embedded DuckDB warehouse.</summary>
    public const string EmbeddedName = "warehouse";

    private readonly Dictionary<string, ConnectionSpec> _connections = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>A registry with only the embedded warehouse.</summary>
    public ConnectionRegistry() => Add(new ConnectionSpec { Name = EmbeddedName, Kind = ConnectionKinds.DuckDb, Description = "the embedded DuckDB warehouse" });

    /// <summary>Loads the file and the environment variable on top of the embedded warehouse.</summary>
    /// <exception cref="InvalidDataException">The file or variable is not a JSON array of connections.</exception>
    public static ConnectionRegistry Load(string dataDirectory, Func<string, string?>? getenv = null)
    {
        var registry = new ConnectionRegistry();
        var file = Path.Combine(dataDirectory, "connections.json");
        if (File.Exists(file)) registry.AddJson(File.ReadAllText(file), file);
        if ((getenv ?? Environment.GetEnvironmentVariable)("KG_CONNECTIONS") is { Length: > 0 } env) registry.AddJson(env, "KG_CONNECTIONS");
        return registry;
    }

    private void AddJson(string json, string origin)
    {
        List<ConnectionSpec>? specs;
        try { specs = JsonSerializer.Deserialize(json, PlatformJsonContext.Default.ListConnectionSpec); }
        catch (JsonException e) { throw new InvalidDataException($"{origin}: not a JSON array of connections ({e.Message})", e); }
        foreach (var s in specs ?? []) Add(s);
    }

    /// <summary>Adds or replaces a connection.</summary>
    public ConnectionSpec Add(ConnectionSpec spec)
    {
        var valid = spec.Validated();
        lock (_lock) _connections[valid.Name] = valid;
        return valid;
    }

    /// <summary>Finds a connection by name (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">No such connection; the message lists the known ones.</exception>
    public ConnectionSpec Get(string? name)
    {
        name ??= EmbeddedName;
        lock (_lock)
        {
            return _connections.TryGetValue(name, out var spec)
                ? spec
                : throw new KeyNotFoundException($"no connection named '{name}' (known: {string.Join(", ", _connections.Keys.Order())})");
        }
    }

    /// <summary>All connections, by name.</summary>
    public IReadOnlyList<ConnectionSpec> All
    {
        get { lock (_lock) return _connections.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList(); }
    }
}

/// <summary>Source-generated JSON metadata of the platform's configuration types.</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(List<ConnectionSpec>))]
[JsonSerializable(typeof(SeedManifest))]
public sealed partial class PlatformJsonContext : JsonSerializerContext;
