using System.Globalization;

namespace KernelGateway.Platform.Iceberg;

/// <summary>
/// Where an Iceberg REST catalog is and how to authenticate, read from a connection string: the catalog's URL, then
/// settings after <c>;</c>, as a Spark Connect string carries them:
/// <c>https://catalog.example.com:8181/api/catalog;Warehouse=analytics;Credential=ID:SECRET;Scope=PRINCIPAL_ROLE:ALL</c>.
/// <para>
/// The URL is <c>https://</c> (or <c>http://</c>), a host, an optional port, and a path that is the catalog's base:
/// the part before <c>v1/</c> (empty for most servers). It has no <c>user@</c>, query string or fragment: every
/// setting goes after a <c>;</c>.
/// </para>
/// <para>
/// Settings are <c>Key=Value</c> separated by <c>;</c>; keys are case-insensitive and given at most once; values are
/// percent-decoded, so a <c>;</c> in a value is written <c>%3B</c>, a <c>&amp;</c> <c>%26</c> and a <c>%</c> <c>%25</c>.
/// <list type="bullet">
/// <item><c>Warehouse</c>: sent to <c>GET /v1/config?warehouse=</c>, and the name of the catalog in the metastore; none by default.</item>
/// <item><c>Token</c>: a bearer token sent on every call.</item>
/// <item><c>Credential</c>: <c>client_id:client_secret</c> for the OAuth2 client-credentials grant (either this or <c>Token</c>).</item>
/// <item><c>Scope</c>: the OAuth2 scope asked for; <c>catalog</c> by default.</item>
/// <item><c>OAuth2ServerUri</c>: the OAuth2 token endpoint; by default the catalog's own <c>v1/oauth/tokens</c>.</item>
/// <item><c>PageSize</c>: the most items a list call asks for per page (<c>pageSize</c>); by default the server chooses.</item>
/// <item><c>AllowInsecure</c>: <c>true</c> to send a token or credential over plain <c>http://</c>, which is refused by default.</item>
/// </list>
/// </para>
/// </summary>
internal sealed partial record IcebergOptions
{
    /// <summary>The scope asked for when the connection string gives none.</summary>
    public const string DefaultScope = "catalog";

    private static readonly string[] Keys = ["Warehouse", "Token", "Credential", "Scope", "OAuth2ServerUri", "PageSize", "AllowInsecure"];

    /// <summary>The catalog's base URI, ending in <c>/</c>; requests go to <c>{base}v1/...</c>.</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>The warehouse asked of <c>/v1/config</c>; null for the server's default.</summary>
    public string? Warehouse { get; init; }

    /// <summary>A static bearer token; null when none.</summary>
    public string? Token { get; init; }

    /// <summary>The OAuth2 client id; null without client credentials.</summary>
    public string? ClientId { get; init; }

    /// <summary>The OAuth2 client secret; null without client credentials.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The OAuth2 scope; <see cref="DefaultScope"/> by default.</summary>
    public string Scope { get; init; } = DefaultScope;

    /// <summary>The OAuth2 token endpoint; null means the catalog's own <c>v1/oauth/tokens</c>.</summary>
    public Uri? OAuth2ServerUri { get; init; }

    /// <summary>The page size asked of list calls; null lets the server choose.</summary>
    public int? PageSize { get; init; }

    /// <summary>Whether a token or credential may go over plain HTTP; false by default.</summary>
    public bool AllowInsecure { get; init; }

    /// <summary>The token endpoint in use.</summary>
    public Uri TokenEndpoint => OAuth2ServerUri ?? new Uri(BaseUri, "v1/oauth/tokens");

    /// <summary>The secret values (token, client secret) that no message may show.</summary>
    public IEnumerable<string> Secrets => new[] { Token, ClientSecret }.OfType<string>().Where(s => s.Length > 0);

    /// <summary>Reads a connection string (see the type's summary).</summary>
    /// <exception cref="ArgumentException">It is not one; the message says what is wrong and never shows a secret.</exception>
    public static IcebergOptions Parse(string connectionString)
    {
        var text = connectionString?.Trim() ?? "";
        if (text.Length == 0) throw new ArgumentException("an iceberg connection string is the catalog's URL, e.g. https://host:8181/base;Warehouse=name");
        var semicolon = text.IndexOf(';', StringComparison.Ordinal);
        var url = semicolon < 0 ? text : text[..semicolon];
        var options = new IcebergOptions { BaseUri = BaseOf(url) };
        var settings = Settings(semicolon < 0 ? "" : text[(semicolon + 1)..]);
        foreach (var (key, value) in settings)
        {
            options = key switch
            {
                "Warehouse" => options with { Warehouse = NonEmpty(key, value) },
                "Token" => options with { Token = NonEmpty(key, value) },
                "Credential" => WithCredential(options, NonEmpty(key, value)),
                "Scope" => options with { Scope = NonEmpty(key, value) },
                "OAuth2ServerUri" => options with { OAuth2ServerUri = HttpUri(key, value) },
                "PageSize" => options with { PageSize = PositiveInt(key, value) },
                "AllowInsecure" => options with { AllowInsecure = Flag(key, value) },
                _ => throw new InvalidOperationException($"setting {key} is known but not read"),
            };
        }
        if (options.Token is not null && options.ClientId is not null) throw new ArgumentException("give either Token or Credential, not both");
        var sendsSecret = options.Token is not null || options.ClientId is not null;
        if (sendsSecret && !options.AllowInsecure && options.BaseUri.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException("a Token or Credential is only sent over https://; add ;AllowInsecure=true to send it over plain http://");
        if (options.ClientId is not null && !options.AllowInsecure && options.TokenEndpoint.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException("OAuth2ServerUri must be https:// to receive a Credential; add ;AllowInsecure=true to send it over plain http://");
        return options;
    }

    private static Uri BaseOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException("an iceberg connection string starts with the catalog's https:// (or http://) URL, e.g. https://host:8181/base;Warehouse=name");
        if (string.IsNullOrEmpty(uri.Host)) throw new ArgumentException("the catalog URL has no host");
        if (uri.UserInfo.Length > 0) throw new ArgumentException("the catalog URL has no user@ part: give ;Token=... or ;Credential=client_id:client_secret");
        if (uri.Query.Length > 0) throw new ArgumentException("the catalog URL has no query string: settings follow ';' (https://host/base;Warehouse=name)");
        if (uri.Fragment.Length > 0) throw new ArgumentException("the catalog URL has no '#' fragment");
        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        return new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri;
    }

    /// <summary>The settings by their canonical key name, in the order given.</summary>
    private static List<(string Key, string Value)> Settings(string tail)
    {
        var settings = new List<(string Key, string Value)>();
        foreach (var part in tail.Split(';'))
        {
            if (part.Trim().Length == 0) continue;
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? part : part[..eq]).Trim();
            var key = Keys.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"unknown iceberg setting '{(name.Length > 40 ? name[..40] + "..." : name)}' (known: {string.Join(", ", Keys)})");
            if (eq < 0) throw new ArgumentException($"the setting {key} needs a value: {key}=...");
            if (settings.Any(s => s.Key == key)) throw new ArgumentException($"the setting {key} is given twice");
            var raw = part[(eq + 1)..].Trim();
            if (BadEscape().IsMatch(raw)) throw new ArgumentException($"the value of {key} is not percent-encoded correctly (write '%' as %25)");
            // ConnectionSpec.Redact hides a secret value up to the next ';' or '&': a raw '&' would leave the rest shown.
            if (key is "Token" or "Credential" && raw.Contains('&', StringComparison.Ordinal)) throw new ArgumentException($"write '&' in the value of {key} as %26");
            settings.Add((key, Uri.UnescapeDataString(raw)));
        }
        return settings;
    }

    private static IcebergOptions WithCredential(IcebergOptions options, string credential)
    {
        var colon = credential.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == credential.Length - 1) throw new ArgumentException("Credential must be client_id:client_secret (both parts non-empty)");
        return options with { ClientId = credential[..colon], ClientSecret = credential[(colon + 1)..] };
    }

    private static string NonEmpty(string key, string value) => value.Length > 0 ? value : throw new ArgumentException($"the setting {key} is empty");

    private static Uri HttpUri(string key, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp) && u.UserInfo.Length == 0
            ? u : throw new ArgumentException($"{key} must be an http(s) URL without a user@ part");

    private static int PositiveInt(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new ArgumentException($"{key} must be a positive whole number, not '{value}'");

    private static bool Flag(string key, string value) => value.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new ArgumentException($"{key} must be true or false, not '{value}'"),
    };

    [System.Text.RegularExpressions.GeneratedRegex("%(?![0-9A-Fa-f]{2})")]
    private static partial System.Text.RegularExpressions.Regex BadEscape();

    /// <summary>The catalog and warehouse, never a secret.</summary>
    public override string ToString() => $"iceberg rest catalog {BaseUri}{(Warehouse is null ? "" : " warehouse " + Warehouse)}";
}
