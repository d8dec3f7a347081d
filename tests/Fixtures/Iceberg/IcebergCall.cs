namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// A request the server answered, without its secrets: method, raw path and query, the headers (names lower-case;
/// <c>Authorization</c> shown as <c>Bearer ***</c>), the token endpoint's form (<c>client_secret</c> shown as
/// <c>***</c>), what the bearer token was (<see cref="Auth"/>; for an issued token its <see cref="TokenNumber"/>, 1 for
/// the first one issued), and the status (499 when the client gave up first).
/// </summary>
public sealed record IcebergCall(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Form, IcebergAuth Auth, int? TokenNumber, int Status)
{
    /// <summary>A header's value (case-insensitive name), or null when it was not sent.</summary>
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    /// <summary>Whether this was a call to the OAuth2 token endpoint.</summary>
    public bool IsTokenRequest => Path.EndsWith("/v1/oauth/tokens", StringComparison.Ordinal);
}
