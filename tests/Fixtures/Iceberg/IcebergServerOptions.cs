namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>How an <see cref="IcebergRestServer"/> behaves.</summary>
public sealed record IcebergServerOptions
{
    /// <summary>The path the catalog lives under (requests go to <c>{BasePath}v1/...</c>). Default <c>/catalog/</c>.</summary>
    public string BasePath { get; init; } = "/catalog/";

    /// <summary>The one warehouse it serves: <c>GET /v1/config?warehouse=</c> with another name answers 400. Default <c>lake</c>.</summary>
    public string Warehouse { get; init; } = "lake";

    /// <summary>The prefix <c>/v1/config</c> hands out in <c>overrides</c>; catalog paths are <c>v1/{Prefix}/...</c>. Default <c>wh-7</c>.</summary>
    public string Prefix { get; init; } = "wh-7";

    /// <summary>The most items a page holds (a smaller <c>pageSize</c> from the client wins). Default 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>A static bearer token every catalog call needs; null with no <see cref="ClientId"/> means no auth.</summary>
    public string? RequiredToken { get; init; }

    /// <summary>OAuth2 client credentials the token endpoint accepts; tokens it issues are then required.</summary>
    public string? ClientId { get; init; }

    /// <summary>The client secret that goes with <see cref="ClientId"/>.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The lifetime of issued tokens (<c>expires_in</c>). Default one hour.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);
}
