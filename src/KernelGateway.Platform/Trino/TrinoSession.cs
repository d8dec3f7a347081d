using System.Net;
using System.Net.Http.Headers;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// The client side of a Trino session: what a statement changed (<c>USE</c>, <c>SET SESSION</c>, <c>PREPARE</c>,
/// <c>START TRANSACTION</c>, <c>SET ROLE</c>) comes back in response headers and is sent with every later request,
/// as the Trino CLI and JDBC driver do. Thread-safe.
/// </summary>
public sealed class TrinoSession
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _properties;
    private readonly Dictionary<string, string> _roles;
    private readonly Dictionary<string, string> _prepared = new(StringComparer.Ordinal);
    private string? _catalog;
    private string? _schema;
    private string? _path;
    private string? _authorizationUser;
    private string? _transactionId;

    /// <summary>A session starting from the connection's catalog, schema, properties and roles.</summary>
    public TrinoSession(TrinoConnectionOptions options)
    {
        Options = options;
        _catalog = options.Catalog;
        _schema = options.Schema;
        _properties = new Dictionary<string, string>(options.SessionProperties, StringComparer.Ordinal);
        _roles = new Dictionary<string, string>(options.Roles, StringComparer.Ordinal);
    }

    /// <summary>The connection this session belongs to.</summary>
    public TrinoConnectionOptions Options { get; }

    /// <summary>The current catalog.</summary>
    public string? Catalog { get { lock (_lock) return _catalog; } }

    /// <summary>The current schema.</summary>
    public string? Schema { get { lock (_lock) return _schema; } }

    /// <summary>The SQL path, when set.</summary>
    public string? Path { get { lock (_lock) return _path; } }

    /// <summary>The open transaction, or null in auto-commit mode.</summary>
    public string? TransactionId { get { lock (_lock) return _transactionId; } }

    /// <summary>The session properties.</summary>
    public IReadOnlyDictionary<string, string> Properties { get { lock (_lock) return new Dictionary<string, string>(_properties); } }

    /// <summary>The prepared statements, by name.</summary>
    public IReadOnlyDictionary<string, string> PreparedStatements { get { lock (_lock) return new Dictionary<string, string>(_prepared); } }

    /// <summary>Adds this session's headers to a request; <paramref name="extraPrepared"/> is sent with this request only.</summary>
    internal void AddHeaders(HttpRequestHeaders headers, KeyValuePair<string, string>? extraPrepared = null)
    {
        var o = Options;
        var p = o.HeaderPrefix;
        lock (_lock)
        {
            // After SET SESSION AUTHORIZATION the server runs as the new user; the login user goes as Original-User.
            headers.Add(p + "User", _authorizationUser ?? o.User);
            if (_authorizationUser is not null) headers.Add(p + "Original-User", o.User);
            headers.Add(p + "Source", o.Source);
            Add(headers, p + "Catalog", _catalog);
            Add(headers, p + "Schema", _schema);
            Add(headers, p + "Path", _path);
            Add(headers, p + "Time-Zone", o.TimeZone);
            Add(headers, p + "Language", o.Language);
            Add(headers, p + "Client-Info", o.ClientInfo);
            if (o.ClientTags.Count > 0) headers.Add(p + "Client-Tags", string.Join(',', o.ClientTags));
            if (!o.Presto) headers.Add(p + "Client-Capabilities", "PATH,PARAMETRIC_DATETIME,SESSION_AUTHORIZATION");
            foreach (var (k, v) in _properties) headers.Add(p + "Session", $"{k}={Encode(v)}");
            foreach (var (k, v) in _roles) headers.Add(p + "Role", $"{k}={Encode(v)}");
            foreach (var (k, v) in o.ExtraCredentials) headers.Add(p + "Extra-Credential", $"{k}={Encode(v)}");
            foreach (var (k, v) in _prepared) headers.Add(p + "Prepared-Statement", $"{Encode(k)}={Encode(v)}");
            if (extraPrepared is { } e) headers.Add(p + "Prepared-Statement", $"{Encode(e.Key)}={Encode(e.Value)}");
            headers.Add(p + "Transaction-Id", _transactionId ?? "NONE");
        }
    }

    /// <summary>Applies what a response says changed.</summary>
    internal void Apply(HttpResponseHeaders headers)
    {
        var p = Options.HeaderPrefix;
        lock (_lock)
        {
            if (First(headers, p + "Set-Catalog") is { } catalog) _catalog = catalog;
            if (First(headers, p + "Set-Schema") is { } schema) _schema = schema;
            if (First(headers, p + "Set-Path") is { } path) _path = path;
            if (First(headers, p + "Set-Authorization-User") is { } user) _authorizationUser = user;
            if (headers.Contains(p + "Reset-Authorization-User")) _authorizationUser = null;
            foreach (var (k, v) in Pairs(headers, p + "Set-Session")) _properties[k] = v;
            foreach (var name in Values(headers, p + "Clear-Session")) _properties.Remove(name);
            foreach (var (k, v) in Pairs(headers, p + "Set-Role")) _roles[k] = v;
            foreach (var (k, v) in Pairs(headers, p + "Added-Prepare")) _prepared[k] = v;
            foreach (var name in Values(headers, p + "Deallocated-Prepare")) _prepared.Remove(WebUtility.UrlDecode(name));
            if (First(headers, p + "Started-Transaction-Id") is { } transaction) _transactionId = transaction;
            if (headers.Contains(p + "Clear-Transaction-Id")) _transactionId = null;
        }
    }

    private static void Add(HttpRequestHeaders headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) headers.Add(name, value);
    }

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static IEnumerable<string> Values(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) : [];

    /// <summary><c>name=urlencoded(value)</c> pairs, one per header or comma-separated (commas in values arrive encoded).</summary>
    private static IEnumerable<(string Key, string Value)> Pairs(HttpResponseHeaders headers, string name)
    {
        foreach (var item in Values(headers, name))
        {
            var eq = item.IndexOf('=');
            if (eq <= 0) continue;
            yield return (WebUtility.UrlDecode(item[..eq].Trim()), WebUtility.UrlDecode(item[(eq + 1)..].Trim()));
        }
    }

    private static string Encode(string value) => Uri.EscapeDataString(value);
}
