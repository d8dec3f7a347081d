namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>What a call presented as its bearer token (the token itself is never recorded).</summary>
public enum IcebergAuth
{
    /// <summary>No <c>Authorization: Bearer</c> header.</summary>
    None,

    /// <summary>The server's static <see cref="IcebergServerOptions.RequiredToken"/>.</summary>
    StaticToken,

    /// <summary>A token the token endpoint issued, still valid (<see cref="IcebergCall.TokenNumber"/> says which).</summary>
    IssuedToken,

    /// <summary>A token the token endpoint issued whose <c>expires_in</c> has passed on the server's clock.</summary>
    ExpiredToken,

    /// <summary>Any other token: wrong, made up, or revoked (<see cref="IcebergRestServer.RevokeTokens"/>).</summary>
    UnknownToken,
}
