using System.Globalization;
using System.Web;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// How to reach an Apache Livy server, read from a connection string
/// <c>livy+https://[user[:password]@]host[:port][/path][?key=value&amp;...]</c> (also <c>livy+http://</c>, <c>livy://</c>
/// for plain HTTP, and plain <c>http://</c> / <c>https://</c>). The path is a prefix every endpoint goes under (a
/// gateway such as Knox: <c>/gateway/default/livy/v1</c>). Without a port, <c>livy</c> schemes use Livy's 8998 and
/// plain <c>http(s)</c> URLs the scheme's own (80/443).
/// <para>Keys (case-insensitive, <c>_</c> optional): <c>token</c> (or <c>access_token</c>: a bearer token),
/// <c>allow_insecure</c> (send credentials over plain HTTP), <c>session_start_timeout</c> (seconds, default 60),
/// <c>requested_by</c> (the <c>X-Requested-By</c> value, default <c>kernelgateway</c>), <c>verify</c> (false trusts
/// any certificate), <c>request_timeout</c> (seconds, default 60) and <c>retry_time</c> (seconds, default 120).</para>
/// <para>Credentials are a user and password (HTTP basic) or a token (bearer), never both, and are refused over
/// plain HTTP unless <c>allow_insecure=true</c>. <see cref="ToString"/> and <see cref="Redacted"/> never show them.</para>
/// </summary>
public sealed record LivyOptions
{
    /// <summary>Livy's default port.</summary>
    public const int DefaultPort = 8998;

    /// <summary>The base URL every endpoint is relative to, ending in <c>/</c>, e.g. <c>http://livy:8998/</c>. Never holds credentials.</summary>
    public required Uri Server { get; init; }

    /// <summary>The user for HTTP basic authentication; needs <see cref="Password"/>.</summary>
    public string? User { get; init; }

    /// <summary>The password for HTTP basic authentication.</summary>
    public string? Password { get; init; }

    /// <summary>A bearer token (<c>Authorization: Bearer</c>).</summary>
    public string? AccessToken { get; init; }

    /// <summary>Send credentials over plain HTTP. False by default: they are refused over HTTP.</summary>
    public bool AllowInsecureCredentials { get; init; }

    /// <summary>Verify the server's TLS certificate; true by default.</summary>
    public bool VerifyCertificate { get; init; } = true;

    /// <summary>The value of <c>X-Requested-By</c>, sent on every request but GET (Livy's CSRF protection only checks that it is there); <c>kernelgateway</c> by default.</summary>
    public string RequestedBy { get; init; } = "kernelgateway";

    /// <summary>How long a new session may take to become idle; 60 s by default (as sparkmagic).</summary>
    public TimeSpan SessionStartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one HTTP request may take; 60 s by default.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long retries of one request may go on (502/503/504, dropped connections); 2 minutes by default.</summary>
    public TimeSpan MaxRetryTime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a cancelled statement is waited for to reach <c>cancelled</c> on the server; 30 s by default (Livy's own <c>livy.rsc.job-cancel.timeout</c>).</summary>
    public TimeSpan CancelTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the connection uses TLS.</summary>
    public bool UsesTls => Server.Scheme == Uri.UriSchemeHttps;

    /// <summary>Whether credentials go with the requests (they are never sent over plain HTTP without <see cref="AllowInsecureCredentials"/>).</summary>
    public bool SendsCredentials => (Password is not null || AccessToken is not null) && (UsesTls || AllowInsecureCredentials);

    /// <summary>The server and user, never a secret.</summary>
    public override string ToString() => $"livy {(User is null ? "" : User + "@")}{Server.Authority}{Server.AbsolutePath.TrimEnd('/')}";

    /// <summary>A connection string for this server with every secret replaced by <c>***</c>.</summary>
    public string Redacted()
    {
        var user = User is null ? "" : Uri.EscapeDataString(User) + (Password is null ? "" : ":***") + "@";
        var keys = new List<string>();
        if (AccessToken is not null) keys.Add("token=***");
        if (AllowInsecureCredentials) keys.Add("allow_insecure=true");
        if (!VerifyCertificate) keys.Add("verify=false");
        return $"livy+{Server.Scheme}://{user}{Server.Authority}{Server.AbsolutePath.TrimEnd('/')}{(keys.Count == 0 ? "" : "?" + string.Join('&', keys))}";
    }

    /// <summary>Checks what cannot work: credentials over plain HTTP, a user without a password, both a password and a token, non-positive timeouts.</summary>
    /// <exception cref="ArgumentException">What is wrong.</exception>
    public LivyOptions Validated()
    {
        if (Server.Scheme != Uri.UriSchemeHttp && Server.Scheme != Uri.UriSchemeHttps) throw new ArgumentException($"the server must be http or https, not {Server.Scheme}");
        if (Server.UserInfo.Length > 0) throw new ArgumentException("the server URL must not hold credentials: give them as User/Password or AccessToken");
        if (User is not null && Password is null) throw new ArgumentException($"user '{User}' has no password: give user:password for basic authentication, ?token= for a bearer token, or neither");
        if (Password is not null && User is null) throw new ArgumentException("a password needs a user");
        if (Password is not null && AccessToken is not null) throw new ArgumentException("give a password or a token, not both");
        if ((Password is not null || AccessToken is not null) && !UsesTls && !AllowInsecureCredentials)
            throw new ArgumentException("a password or token is only sent over HTTPS: use livy+https, or allow_insecure=true to send it over plain HTTP");
        if (string.IsNullOrWhiteSpace(RequestedBy)) throw new ArgumentException("requested_by must not be empty (Livy's CSRF protection wants X-Requested-By)");
        if (SessionStartTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || CancelTimeout <= TimeSpan.Zero || MaxRetryTime < TimeSpan.Zero)
            throw new ArgumentException("timeouts must be positive");
        return this;
    }

    /// <summary>Reads a connection string (see the class remarks).</summary>
    /// <exception cref="ArgumentException">The string cannot be read, or describes something that cannot work; the message never holds a secret.</exception>
    public static LivyOptions Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) throw new ArgumentException("empty connection string: expected livy+https://[user:password@]host:8998[/path][?token=...]");
        var text = connectionString.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0) throw new ArgumentException($"not a URL: {Warehouse.ConnectionSpec.Redact(text)}");
        var (scheme, livyScheme) = uri.Scheme switch
        {
            "livy+https" => ("https", true),
            "livy+http" or "livy" => ("http", true),
            "https" => ("https", false),
            "http" => ("http", false),
            _ => throw new ArgumentException($"unknown scheme '{uri.Scheme}' (livy+https, livy+http, https or http)"),
        };
        var values = QueryValues(uri);
        string? Take(string key) => values.Remove(key, out var v) && v.Length > 0 ? v : null;
        var (user, password) = UserInfo(uri);
        var port = uri.IsDefaultPort || uri.Port < 0 ? (livyScheme ? DefaultPort : scheme == "https" ? 443 : 80) : uri.Port;
        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        var options = new LivyOptions
        {
            Server = new UriBuilder(scheme, uri.Host, port, path).Uri,
            User = user,
            Password = password,
            AccessToken = Take("token") ?? Take("accesstoken"),
            AllowInsecureCredentials = Bool(Take("allowinsecure"), "allow_insecure") ?? false,
            VerifyCertificate = Bool(Take("verify"), "verify") ?? true,
            RequestedBy = Take("requestedby") ?? "kernelgateway",
            SessionStartTimeout = Seconds(Take("sessionstarttimeout"), "session_start_timeout") ?? TimeSpan.FromSeconds(60),
            RequestTimeout = Seconds(Take("requesttimeout"), "request_timeout") ?? TimeSpan.FromSeconds(60),
            MaxRetryTime = Seconds(Take("retrytime"), "retry_time") ?? TimeSpan.FromMinutes(2),
        };
        if (values.Count > 0) throw new ArgumentException($"unknown key{(values.Count > 1 ? "s" : "")} {string.Join(", ", values.Keys.Select(k => $"'{k}'"))}");
        return options.Validated();
    }

    private static Dictionary<string, string> QueryValues(Uri uri)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var query = HttpUtility.ParseQueryString(uri.Query);
        foreach (var key in query.AllKeys)
            if (key is not null) values[key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()] = query[key] ?? "";
        return values;
    }

    private static (string? User, string? Password) UserInfo(Uri uri)
    {
        if (uri.UserInfo.Length == 0) return (null, null);
        var colon = uri.UserInfo.IndexOf(':');
        var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
        return (user.Length == 0 ? null : user, colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
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
        : throw new ArgumentException($"{key} must be a positive number of seconds, not '{value}'");
}
