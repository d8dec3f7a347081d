using System.Globalization;
using System.Text;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// How to reach a Spark Connect server and which session to use, read from a connection string as Spark documents
/// it (sql/connect/docs/client-connection-string.md): <c>sc://host[:port]/;param=value;param=value</c>. The scheme is
/// <c>sc://</c>, the path must be empty, the port defaults to 15002, and parameters (case-sensitive, values
/// percent-decoded) are:
/// <list type="bullet">
/// <item><c>token</c>: a bearer token (<c>Authorization: Bearer ...</c>); setting it turns TLS on;</item>
/// <item><c>use_ssl</c>: <c>true</c> to connect with TLS (false by default);</item>
/// <item><c>user_id</c>: the user in every request's user context;</item>
/// <item><c>user_agent</c>: who acts for the user, sent before our own name in every request's client type;</item>
/// <item><c>session_id</c>: the session to use or share (a UUID; a new random one by default);</item>
/// <item><c>grpc_max_message_size</c>: the largest gRPC message in bytes (128 MiB by default);</item>
/// <item><c>allow_insecure</c> (ours, not Spark's): <c>true</c> sends a token over plain HTTP/2 instead of turning
/// TLS on, for a server behind a trusted local proxy or a test server.</item>
/// </list>
/// Any other parameter goes to the server as a gRPC metadata header on every call, as Spark's own clients do.
/// </summary>
public sealed record SparkConnectOptions
{
    /// <summary>The port when the connection string gives none.</summary>
    public const int DefaultPort = 15002;

    /// <summary>The largest gRPC message by default: 128 MiB, as Spark's clients.</summary>
    public const int DefaultMaxMessageSize = 128 * 1024 * 1024;

    private const string Scheme = "sc://";
    private const int MaxUserAgentLength = 2048;
    private static readonly HashSet<string> Known = ["token", "use_ssl", "user_id", "user_agent", "session_id", "grpc_max_message_size", "allow_insecure"];

    /// <summary>The server's host name or IP address (an IPv6 address without brackets).</summary>
    public required string Host { get; init; }

    /// <summary>The server's port; <see cref="DefaultPort"/> by default.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The bearer token, when the server wants one. Never shown by <see cref="ToString"/> or <see cref="Redacted"/>.</summary>
    public string? Token { get; init; }

    /// <summary>Whether <c>use_ssl=true</c> was given (a token turns TLS on too: see <see cref="UsesTls"/>).</summary>
    public bool UseSsl { get; init; }

    /// <summary>Send the token over plain HTTP/2 rather than turning TLS on (<c>allow_insecure=true</c>); false by default.</summary>
    public bool AllowInsecure { get; init; }

    /// <summary>The user id of every request's user context; none by default.</summary>
    public string? UserId { get; init; }

    /// <summary>The application acting for the user, reported in every request's client type; none by default.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The session to use; null: the client starts a new one with a random id.</summary>
    public Guid? SessionId { get; init; }

    /// <summary>The largest gRPC message sent or received, in bytes; <see cref="DefaultMaxMessageSize"/> by default.</summary>
    public int MaxMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>The other parameters of the connection string, sent as gRPC metadata headers on every call.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the connection uses TLS: with <c>use_ssl=true</c>, or with a token unless <c>allow_insecure=true</c>.</summary>
    public bool UsesTls => UseSsl || (Token is not null && !AllowInsecure);

    /// <summary>The HTTP/2 address of the gRPC endpoint: <c>http://host:port</c> (h2c) or <c>https://host:port</c>.</summary>
    public Uri Endpoint => new UriBuilder(UsesTls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, Host, Port).Uri;

    /// <summary>Reads a connection string.</summary>
    /// <param name="connectionString"><c>sc://host[:port]/;param=value;...</c></param>
    /// <exception cref="ArgumentException">The string is not a Spark Connect connection string; the message says what is wrong (never the token).</exception>
    public static SparkConnectOptions Parse(string connectionString)
    {
        var text = connectionString?.Trim() ?? "";
        if (!text.StartsWith(Scheme, StringComparison.Ordinal))
            throw new ArgumentException($"a Spark Connect connection string starts with sc://, e.g. sc://host:15002/;user_id=me (got '{Redact(text)}')");
        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var tail = slash < 0 ? "" : rest[(slash + 1)..];
        var (host, port) = ParseAuthority(authority);
        if (tail.Length > 0 && tail[0] != ';')
            throw new ArgumentException($"the path of a Spark Connect connection string must be empty: parameters follow '/;' (sc://host:port/;key=value), not '/{Redact(tail.Split(';')[0])}'");
        return Build(host, port, ParseParameters(tail));
    }

    /// <summary>The connection string with the token's value replaced by <c>***</c>.</summary>
    public string Redacted()
    {
        var text = new StringBuilder(Scheme).Append(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host).Append(':').Append(Port.ToString(CultureInfo.InvariantCulture)).Append('/');
        void Add(string key, string? value) { if (value is not null) text.Append(';').Append(key).Append('=').Append(value); }
        Add("token", Token is null ? null : "***");
        Add("use_ssl", UseSsl ? "true" : null);
        Add("allow_insecure", AllowInsecure ? "true" : null);
        Add("user_id", UserId is null ? null : Uri.EscapeDataString(UserId));
        Add("user_agent", UserAgent is null ? null : Uri.EscapeDataString(UserAgent));
        Add("session_id", SessionId?.ToString("D"));
        Add("grpc_max_message_size", MaxMessageSize == DefaultMaxMessageSize ? null : MaxMessageSize.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in Headers) Add(key, IsSecretName(key) ? "***" : Uri.EscapeDataString(value));
        return text.ToString();
    }

    /// <summary>The server and user, never a secret.</summary>
    public override string ToString() => $"spark connect {(UsesTls ? "grpcs" : "grpc")}://{Host}:{Port}{(UserId is null ? "" : " as " + UserId)}";

    private static (string Host, int Port) ParseAuthority(string authority)
    {
        if (authority.Length == 0) throw new ArgumentException("no host: expected sc://host[:port]/");
        if (authority.Contains('@', StringComparison.Ordinal)) throw new ArgumentException("a Spark Connect connection string has no user@ part: give the user as ;user_id=name and a token as ;token=...");
        string host;
        string? port = null;
        if (authority[0] == '[')
        {
            var close = authority.IndexOf(']');
            if (close < 0) throw new ArgumentException($"unclosed '[' in the host '{authority}'");
            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0) port = after[0] == ':' ? after[1..] : throw new ArgumentException($"expected ':port' after ']' in '{authority}'");
        }
        else
        {
            var parts = authority.Split(':');
            if (parts.Length > 2) throw new ArgumentException($"'{authority}' should be host:port (an IPv6 address goes in brackets: [::1]:15002)");
            host = parts[0];
            if (parts.Length == 2) port = parts[1];
        }
        if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown) throw new ArgumentException($"'{host}' is not a host name or IP address");
        if (port is null) return (host, DefaultPort);
        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 65536
            ? (host, n)
            : throw new ArgumentException($"bad port '{port}': a number from 1 to 65535");
    }

    private static Dictionary<string, string> ParseParameters(string tail)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in tail.Split(';'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"parameter '{(part.StartsWith("token", StringComparison.Ordinal) ? "token..." : part)}' should be key=value");
            var key = part[..eq];
            string value;
            try
            {
                value = Uri.UnescapeDataString(part[(eq + 1)..]);
            }
            catch (UriFormatException)
            {
                throw new ArgumentException($"the value of '{key}' is not percent-encoded correctly");
            }
            if (!values.TryAdd(key, value)) throw new ArgumentException($"parameter '{key}' is given twice");
        }
        return values;
    }

    private static SparkConnectOptions Build(string host, int port, Dictionary<string, string> values)
    {
        string? Take(string key) => values.Remove(key, out var v) ? v : null;
        var userAgent = Take("user_agent");
        if (userAgent is { Length: > MaxUserAgentLength }) throw new ArgumentException($"user_agent is {userAgent.Length} characters; at most {MaxUserAgentLength}");
        var options = new SparkConnectOptions
        {
            Host = host,
            Port = port,
            Token = Take("token") is { Length: > 0 } token ? token : null,
            UseSsl = Bool(Take("use_ssl"), "use_ssl"),
            AllowInsecure = Bool(Take("allow_insecure"), "allow_insecure"),
            UserId = Take("user_id"),
            UserAgent = userAgent,
            SessionId = Take("session_id") is { } session ? SessionUuid(session) : null,
            MaxMessageSize = Take("grpc_max_message_size") is { } size ? MessageSize(size) : DefaultMaxMessageSize,
        };
        foreach (var key in values.Keys) CheckHeaderName(key);
        return options with { Headers = values };
    }

    private static bool Bool(string? value, string key) => value switch
    {
        null => false,
        _ when value.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        _ when value.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        _ => throw new ArgumentException($"{key} must be true or false, not '{value}'"),
    };

    private static Guid SessionUuid(string value) =>
        Guid.TryParseExact(value, "D", out var id) ? id
        : throw new ArgumentException($"session_id must be a UUID such as 550e8400-e29b-41d4-a716-446655440000, not '{value}'");

    private static int MessageSize(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new ArgumentException($"grpc_max_message_size must be a positive number of bytes (at most {int.MaxValue}), not '{value}'");

    /// <summary>Other parameters become gRPC metadata: a header name (lower-case letters, digits, '-', '_', '.'), not reserved.</summary>
    private static void CheckHeaderName(string key)
    {
        if (Known.Contains(key.ToLowerInvariant()))
            throw new ArgumentException($"parameter names are case-sensitive: '{key}' should be '{key.ToLowerInvariant()}'");
        if (!key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.') || key.StartsWith("grpc-", StringComparison.Ordinal) || key.EndsWith("-bin", StringComparison.Ordinal) || key is "te" or "content-type" or "user-agent")
            throw new ArgumentException($"unknown parameter '{key}' cannot be sent as a gRPC header: known parameters are {string.Join(", ", Known.Order())}, other names must be lower-case header names");
    }

    private static bool IsSecretName(string key) =>
        key.Contains("token", StringComparison.Ordinal) || key.Contains("secret", StringComparison.Ordinal) || key.Contains("password", StringComparison.Ordinal)
        || key.Contains("authorization", StringComparison.Ordinal) || key.Contains("key", StringComparison.Ordinal);

    private static string Redact(string text) => Warehouse.ConnectionSpec.Redact(text);
}
