using System.Security.Cryptography;
using System.Text;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// The bearer tokens the server accepts: the static one, or those its token endpoint issued, each numbered (1 for the
/// first) and valid until its lifetime has passed on the server's clock or it is revoked. Comparisons are constant-time.
/// </summary>
internal sealed class IcebergTokens(IcebergServerOptions options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (int Number, DateTimeOffset Expires)> _issued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>How many tokens were issued.</summary>
    public int Issued
    {
        get { lock (_lock) return _count; }
    }

    /// <summary>A new token, valid for <see cref="IcebergServerOptions.TokenLifetime"/>.</summary>
    public string Issue()
    {
        var token = "ice-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (_lock) _issued[token] = (++_count, options.TimeProvider.GetUtcNow() + options.TokenLifetime);
        return token;
    }

    /// <summary>Every token issued so far stops being accepted.</summary>
    public void RevokeAll()
    {
        lock (_lock)
        {
            foreach (var token in _issued.Keys) _revoked.Add(token);
        }
    }

    /// <summary>What <paramref name="bearer"/> is, and whether it lets a catalog call through.</summary>
    public (IcebergAuth Auth, int? Number, bool Allowed) Check(string? bearer)
    {
        var needed = options.ClientId is not null || options.RequiredToken is not null;
        if (bearer is null) return (IcebergAuth.None, null, !needed);
        if (options.RequiredToken is { } required && Same(bearer, required)) return (IcebergAuth.StaticToken, null, true);
        lock (_lock)
        {
            if (_revoked.Contains(bearer) || !_issued.TryGetValue(bearer, out var issued)) return (IcebergAuth.UnknownToken, null, !needed);
            return options.TimeProvider.GetUtcNow() < issued.Expires
                ? (IcebergAuth.IssuedToken, issued.Number, options.ClientId is not null || !needed)
                : (IcebergAuth.ExpiredToken, issued.Number, !needed);
        }
    }

    /// <summary>Whether the client id and secret are the configured ones.</summary>
    public bool ClientMatches(string? id, string? secret) =>
        options.ClientId is not null && id is not null && secret is not null && Same(id, options.ClientId) && Same(secret, options.ClientSecret ?? "");

    private static bool Same(string a, string b) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
