namespace KernelGateway.Platform.Iceberg;

/// <summary>
/// Where an Iceberg REST catalog is and how to authenticate, from a connection string: a URL whose scheme is
/// <c>iceberg+https</c> (or <c>iceberg+http</c>) and whose path is the catalog's base (the part before <c>/v1/</c>),
/// with settings in the query:
/// <c>iceberg+https://catalog.example.com:8181/api/catalog?warehouse=analytics&amp;credential=ID:SECRET&amp;scope=PRINCIPAL_ROLE:ALL</c>.
/// Settings: <c>warehouse</c> (sent to <c>GET /v1/config</c>; also the catalog's name in the metastore),
/// <c>token</c> (a bearer token) or <c>credential</c> (<c>client_id:client_secret</c> for OAuth2 client credentials),
/// <c>scope</c> (default <c>catalog</c>), <c>oauth2_server_uri</c> (default the catalog's <c>v1/oauth/tokens</c>),
/// <c>allow_insecure</c> (send a token or credential over plain HTTP; refused otherwise).
/// </summary>
internal sealed record IcebergOptions
{
    /// <summary>The catalog's base URI, ending in <c>/</c>; requests go to <c>{base}v1/...</c>.</summary>
    public required Uri BaseUri { get; init; }

    public string? Warehouse { get; init; }

    public string? Token { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string Scope { get; init; } = "catalog";

    /// <summary>The OAuth2 token endpoint; null means the catalog's own <c>v1/oauth/tokens</c>.</summary>
    public Uri? OAuth2ServerUri { get; init; }

    public bool AllowInsecureCredentials { get; init; }

    /// <summary>The token endpoint in use.</summary>
    public Uri TokenEndpoint => OAuth2ServerUri ?? new Uri(BaseUri, "v1/oauth/tokens");

    /// <summary>Reads a connection string (see the type's summary).</summary>
    /// <exception cref="ArgumentException">It is not one; the message says what is wrong (never a secret).</exception>
    public static IcebergOptions Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) throw new ArgumentException("an iceberg connection needs a URL: iceberg+https://host:port/base?warehouse=name");
        var schemeEnd = connectionString.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : connectionString[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("iceberg+https" or "iceberg+http"))
            throw new ArgumentException("an iceberg connection string starts with iceberg+https:// (or iceberg+http://)");
        if (!Uri.TryCreate(connectionString["iceberg+".Length..], UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException("an iceberg connection string needs a host: iceberg+https://host:port/base");
        var settings = Query(uri.Query);
        foreach (var key in settings.Keys)
        {
            if (key is not ("warehouse" or "token" or "credential" or "scope" or "oauth2_server_uri" or "allow_insecure"))
                throw new ArgumentException($"unknown iceberg setting '{key}' (warehouse, token, credential, scope, oauth2_server_uri, allow_insecure)");
        }
        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        var options = new IcebergOptions
        {
            BaseUri = new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri,
            Warehouse = settings.GetValueOrDefault("warehouse"),
            Token = settings.GetValueOrDefault("token"),
            Scope = settings.GetValueOrDefault("scope") ?? "catalog",
            OAuth2ServerUri = settings.TryGetValue("oauth2_server_uri", out var server) ? AbsoluteUri(server) : null,
            AllowInsecureCredentials = settings.TryGetValue("allow_insecure", out var insecure) && Flag(insecure),
        };
        if (settings.TryGetValue("credential", out var credential))
        {
            var colon = credential.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == credential.Length - 1) throw new ArgumentException("credential must be client_id:client_secret");
            options = options with { ClientId = credential[..colon], ClientSecret = credential[(colon + 1)..] };
        }
        if (options.Token is not null && options.ClientId is not null) throw new ArgumentException("give either token or credential, not both");
        var secret = options.Token is not null || options.ClientId is not null;
        if (secret && !options.AllowInsecureCredentials && (options.BaseUri.Scheme != Uri.UriSchemeHttps || options.TokenEndpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException("a token or credential is only sent over HTTPS (iceberg+https://); add allow_insecure=true to send it over plain HTTP");
        return options;
    }

    private static Uri AbsoluteUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp)
            ? u : throw new ArgumentException("oauth2_server_uri must be an http(s) URL");

    private static bool Flag(string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new ArgumentException("allow_insecure must be true or false"),
    };

    private static Dictionary<string, string> Query(string query)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
            settings[key] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        }
        return settings;
    }

    /// <inheritdoc />
    public override string ToString() => $"{BaseUri}{(Warehouse is null ? "" : " warehouse " + Warehouse)}";
}
