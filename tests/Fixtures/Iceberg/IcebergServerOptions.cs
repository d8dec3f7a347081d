namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>How an <see cref="IcebergRestServer"/> behaves.</summary>
public sealed record IcebergServerOptions
{
    /// <summary>The path the catalog lives under (requests go to <c>{BasePath}v1/...</c>). Default <c>/catalog/</c>.</summary>
    public string BasePath { get; init; } = "/catalog/";

    /// <summary>The one warehouse it serves: <c>GET /v1/config?warehouse=</c> with another name answers 400. Default <c>lake</c>.</summary>
    public string Warehouse { get; init; } = "lake";

    /// <summary>The prefix <c>/v1/config</c> hands out; catalog paths are <c>v1/{Prefix}/...</c> (it may hold a <c>/</c>). Default <c>wh-7</c>.</summary>
    public string Prefix { get; init; } = "wh-7";

    /// <summary>
    /// Whether the prefix comes in the config's <c>defaults</c> (true) or its <c>overrides</c> (false, the default, when
    /// <c>defaults</c> holds a decoy prefix that a client applying the layers in the wrong order would use).
    /// </summary>
    public bool PrefixInDefaults { get; init; }

    /// <summary>The most items a page holds when a client asks for pages (a smaller <c>pageSize</c> from the client wins). Default 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>A static bearer token every catalog call needs; null with no <see cref="ClientId"/> means no auth.</summary>
    public string? RequiredToken { get; init; }

    /// <summary>OAuth2 client credentials the token endpoint accepts; tokens it issues are then required.</summary>
    public string? ClientId { get; init; }

    /// <summary>The client secret that goes with <see cref="ClientId"/>.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The lifetime of issued tokens, sent as <c>expires_in</c> and enforced on every call by <see cref="TimeProvider"/>. Default one hour.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The clock that ages issued tokens (share a fake one with the client to move both). Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Whether views are served and announced in <c>endpoints</c>. Default true.</summary>
    public bool ServeViews { get; init; } = true;
}
