using System.Globalization;
using System.Web;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// How to reach a Trino (or Presto) coordinator and the session to start with. Read from a connection string in one
/// of two forms:
/// <list type="bullet">
/// <item>a URL: <c>trino://user[:password]@host[:port][/catalog[/schema]][?key=value&amp;...]</c> (also <c>presto://</c>,
/// <c>http://</c>, <c>https://</c>);</item>
/// <item>keywords: <c>Host=h;Port=8080;User=u;Catalog=c;Schema=s;...</c> (or <c>Server=https://h:8443</c>).</item>
/// </list>
/// Keys (both forms, case-insensitive, <c>_</c> optional): <c>user</c>, <c>password</c>, <c>access_token</c>,
/// <c>catalog</c>, <c>schema</c>, <c>source</c> (default <c>kernelgateway</c>), <c>timezone</c>, <c>language</c>,
/// <c>client_tags</c> (comma-separated), <c>client_info</c>, <c>ssl</c> or <c>http_scheme=https</c>, <c>verify</c>
/// (false trusts any certificate), <c>allow_insecure</c> (send credentials over plain HTTP),
/// <c>request_timeout</c> and <c>retry_time</c> (seconds), <c>dialect=presto</c>, and one key per
/// <c>session.NAME</c>, <c>extra_credential.NAME</c> and <c>role.CATALOG</c>. The default port is 8080 (443 with TLS).
/// </summary>
public sealed record TrinoConnectionOptions
{
    /// <summary>The coordinator's base URL, e.g. <c>http://localhost:8080/</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>Speak Presto's dialect (<c>X-Presto-*</c> headers, only 503 retried) instead of Trino's.</summary>
    public bool Presto { get; init; }

    /// <summary>The user (<c>X-Trino-User</c>); required.</summary>
    public required string User { get; init; }

    /// <summary>The source reported to the server; <c>kernelgateway</c> by default.</summary>
    public string Source { get; init; } = "kernelgateway";

    /// <summary>The catalog the session starts in.</summary>
    public string? Catalog { get; init; }

    /// <summary>The schema the session starts in.</summary>
    public string? Schema { get; init; }

    /// <summary>The session time zone (an IANA id such as <c>UTC</c> or <c>Europe/Paris</c>); the server's by default.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The session language (e.g. <c>en-US</c>).</summary>
    public string? Language { get; init; }

    /// <summary>Client tags (resource groups match on them).</summary>
    public IReadOnlyList<string> ClientTags { get; init; } = [];

    /// <summary>Free-form client information.</summary>
    public string? ClientInfo { get; init; }

    /// <summary>Session properties set at start (<c>query_max_run_time</c>, <c>catalog.property</c>).</summary>
    public IReadOnlyDictionary<string, string> SessionProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra credentials passed to connectors.</summary>
    public IReadOnlyDictionary<string, string> ExtraCredentials { get; init; } = new Dictionary<string, string>();

    /// <summary>Roles per catalog.</summary>
    public IReadOnlyDictionary<string, string> Roles { get; init; } = new Dictionary<string, string>();

    /// <summary>Password for HTTP basic authentication (HTTPS only unless <see cref="AllowInsecureCredentials"/>).</summary>
    public string? Password { get; init; }

    /// <summary>Bearer token (JWT or OAuth2 access token); HTTPS only unless <see cref="AllowInsecureCredentials"/>.</summary>
    public string? AccessToken { get; init; }

    /// <summary>Send credentials over plain HTTP. False by default: they are refused over HTTP.</summary>
    public bool AllowInsecureCredentials { get; init; }

    /// <summary>Verify the server's TLS certificate; true by default.</summary>
    public bool VerifyCertificate { get; init; } = true;

    /// <summary>How long one HTTP request may take; 60 s by default.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long retries of one request may go on (502/503/504, 429, dropped connections); 2 minutes by default.</summary>
    public TimeSpan MaxRetryTime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The header prefix of the dialect: <c>X-Trino-</c> or <c>X-Presto-</c>.</summary>
    public string HeaderPrefix => Presto ? "X-Presto-" : "X-Trino-";

    /// <summary>Whether the connection uses TLS.</summary>
    public bool UsesTls => Server.Scheme == Uri.UriSchemeHttps;

    /// <summary>The server and user, never a secret.</summary>
    public override string ToString() => $"{(Presto ? "presto" : "trino")} {User}@{Server.Authority}{(Catalog is null ? "" : "/" + Catalog)}{(Schema is null ? "" : "/" + Schema)}";

    /// <summary>Checks what cannot work: no user, credentials over plain HTTP, non-positive timeouts.</summary>
    /// <exception cref="ArgumentException">What is wrong.</exception>
    public TrinoConnectionOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(User)) throw new ArgumentException("a user is required (trino://user@host:port/...)");
        if (Server.Scheme != Uri.UriSchemeHttp && Server.Scheme != Uri.UriSchemeHttps) throw new ArgumentException($"the server must be http or https, not {Server.Scheme}");
        if ((Password is not null || AccessToken is not null) && !UsesTls && !AllowInsecureCredentials)
            throw new ArgumentException("a password or access token is only sent over HTTPS: use https (ssl=true), or allow_insecure=true to send it over plain HTTP");
        if (Password is not null && AccessToken is not null) throw new ArgumentException("give a password or an access token, not both");
        if (RequestTimeout <= TimeSpan.Zero || MaxRetryTime < TimeSpan.Zero) throw new ArgumentException("timeouts must be positive");
        return this;
    }

    /// <summary>Reads a connection string (URL or keywords).</summary>
    /// <param name="connectionString">The string.</param>
    /// <param name="presto">The default dialect (the connection's kind); <c>dialect=</c> or a <c>presto://</c> URL overrides it.</param>
    /// <exception cref="ArgumentException">The string cannot be read, or describes something that cannot work.</exception>
    public static TrinoConnectionOptions Parse(string connectionString, bool presto = false)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) throw new ArgumentException("empty connection string: expected trino://user@host:port/catalog/schema or Host=...;User=...");
        var s = connectionString.Trim();
        return s.Contains("://", StringComparison.Ordinal) && !s.Contains(';', StringComparison.Ordinal) ? FromUrl(s, presto) : FromKeywords(s, presto);
    }

    private static TrinoConnectionOptions FromUrl(string text, bool presto)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) throw new ArgumentException($"not a URL: {Redacted(text)}");
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var query = HttpUtility.ParseQueryString(uri.Query);
        foreach (var key in query.AllKeys)
            if (key is not null) values[Normalize(key)] = query[key] ?? "";
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            values["user"] = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) values["password"] = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var path = uri.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (path.Length > 2) throw new ArgumentException($"the path holds at most /catalog/schema, not /{string.Join('/', path)}");
        if (path.Length > 0) values.TryAdd("catalog", path[0]);
        if (path.Length > 1) values.TryAdd("schema", path[1]);
        values["host"] = uri.Host;
        if (!uri.IsDefaultPort || uri.Scheme is "http" or "https") values.TryAdd("port", uri.Port.ToString(CultureInfo.InvariantCulture));
        switch (uri.Scheme)
        {
            case "https": values.TryAdd("ssl", "true"); break;
            case "presto": values.TryAdd("dialect", "presto"); break;
            case "trino": values.TryAdd("dialect", "trino"); break;
            case "http": break;
            default: throw new ArgumentException($"unknown scheme '{uri.Scheme}' (trino, presto, http or https)");
        }
        return Build(values, presto);
    }

    private static TrinoConnectionOptions FromKeywords(string text, bool presto)
    {
        var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = text };
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string key in builder.Keys) values[Normalize(key)] = Convert.ToString(builder[key], CultureInfo.InvariantCulture) ?? "";
        if (values.Remove("server", out var server))
        {
            if (!Uri.TryCreate(server, UriKind.Absolute, out var uri)) throw new ArgumentException($"server must be a URL, not '{server}'");
            values.TryAdd("host", uri.Host);
            values.TryAdd("port", uri.Port.ToString(CultureInfo.InvariantCulture));
            if (uri.Scheme == "https") values.TryAdd("ssl", "true");
        }
        return Build(values, presto);
    }

    private static TrinoConnectionOptions Build(Dictionary<string, string> values, bool presto)
    {
        string? Take(string key) => values.Remove(key, out var v) && v.Length > 0 ? v : null;
        var host = Take("host") ?? throw new ArgumentException("no host");
        var tls = Bool(Take("ssl"), "ssl") ?? false;
        if (Take("httpscheme") is { } scheme) tls = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) || (scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? false : throw new ArgumentException($"http_scheme must be http or https, not '{scheme}'"));
        var port = Take("port") is { } p ? (int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 65536 ? n : throw new ArgumentException($"bad port '{p}'")) : tls ? 443 : 8080;
        var dialect = Take("dialect");
        var isPresto = dialect is null ? presto : dialect.Equals("presto", StringComparison.OrdinalIgnoreCase) || (dialect.Equals("trino", StringComparison.OrdinalIgnoreCase) ? false : throw new ArgumentException($"dialect must be trino or presto, not '{dialect}'"));
        var options = new TrinoConnectionOptions
        {
            Server = new UriBuilder(tls ? "https" : "http", host, port, "/").Uri,
            Presto = isPresto,
            User = Take("user") ?? Take("username") ?? Take("uid") ?? throw new ArgumentException("no user (trino://user@host:port/...)"),
            Password = Take("password") ?? Take("pwd"),
            AccessToken = Take("accesstoken"),
            Catalog = Take("catalog"),
            Schema = Take("schema"),
            Source = Take("source") ?? "kernelgateway",
            TimeZone = Take("timezone"),
            Language = Take("language"),
            ClientInfo = Take("clientinfo"),
            ClientTags = Take("clienttags")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            VerifyCertificate = Bool(Take("verify"), "verify") ?? Bool(Take("sslverify"), "ssl_verify") ?? true,
            AllowInsecureCredentials = Bool(Take("allowinsecure"), "allow_insecure") ?? false,
            RequestTimeout = Seconds(Take("requesttimeout"), "request_timeout") ?? TimeSpan.FromSeconds(60),
            MaxRetryTime = Seconds(Take("retrytime"), "retry_time") ?? TimeSpan.FromMinutes(2),
            SessionProperties = Prefixed(values, "session."),
            ExtraCredentials = Prefixed(values, "extracredential."),
            Roles = Prefixed(values, "role."),
        };
        if (values.Count > 0) throw new ArgumentException($"unknown key{(values.Count > 1 ? "s" : "")} {string.Join(", ", values.Keys.Select(k => $"'{k}'"))}");
        return options.Validated();
    }

    private static Dictionary<string, string> Prefixed(Dictionary<string, string> values, string prefix)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in values.Keys.Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            var name = key[prefix.Length..];
            if (name.Length == 0) throw new ArgumentException($"'{prefix}' needs a name after it");
            result[name] = values[key];
            values.Remove(key);
        }
        return result;
    }

    /// <summary>Keys compare without case and without <c>_</c> / <c>-</c> before any dot: <c>access_token</c> = <c>AccessToken</c>.</summary>
    private static string Normalize(string key)
    {
        var dot = key.IndexOf('.');
        var head = dot < 0 ? key : key[..dot];
        head = head.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return dot < 0 ? head : head + key[dot..];
    }

    private static bool? Bool(string? value, string key) => value switch
    {
        null => null,
        _ when value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" => true,
        _ when value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0" => false,
        _ => throw new ArgumentException($"{key} must be true or false, not '{value}'"),
    };

    private static TimeSpan? Seconds(string? value, string key) =>
        value is null ? null
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? TimeSpan.FromSeconds(s)
        : throw new ArgumentException($"{key} must be a number of seconds, not '{value}'");

    private static string Redacted(string text) => KernelGateway.Platform.Warehouse.ConnectionSpec.Redact(text);
}
