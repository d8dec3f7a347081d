using System.Net;
using System.Net.Http.Json;

namespace KernelGateway.Platform.Iceberg;

/// <summary>
/// The bearer token for a catalog's requests: a static token, or one from the OAuth2 client-credentials grant
/// (<c>POST</c> to the token endpoint, form <c>grant_type=client_credentials</c>, <c>client_id</c>,
/// <c>client_secret</c>, <c>scope</c>), fetched at first use, fetched again when less than a tenth of its lifetime
/// (at most a minute) is left, and at once when the catalog answers 401. Concurrent callers share one fetch.
/// </summary>
internal sealed class IcebergTokenSource(HttpClient http, IcebergOptions options, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token = options.Token;
    private DateTimeOffset _renewAt = DateTimeOffset.MaxValue;

    /// <summary>Whether there is any token to send.</summary>
    public bool HasCredentials => options.Token is not null || options.ClientId is not null;

    /// <summary>The token to send now, or null when the catalog needs none.</summary>
    public async Task<string?> TokenAsync(CancellationToken cancellationToken)
    {
        if (options.ClientId is null) return options.Token;
        if (_token is not null && time.GetUtcNow() < _renewAt) return _token;
        return await FetchAsync(stale: _token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a 401 with <paramref name="rejected"/>: a new token (client credentials), or null when there is no way to get one.</summary>
    public async Task<string?> RenewAsync(string? rejected, CancellationToken cancellationToken) =>
        options.ClientId is null ? null : await FetchAsync(stale: rejected, cancellationToken).ConfigureAwait(false);

    private async Task<string> FetchAsync(string? stale, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller renewed it while this one waited.
            if (_token is not null && _token != stale && time.GetUtcNow() < _renewAt) return _token;
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = options.ClientId!,
                ["client_secret"] = options.ClientSecret!,
                ["scope"] = options.Scope,
            });
            using var response = await http.PostAsync(options.TokenEndpoint, form, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw await IcebergRestClient.ErrorAsync(response, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadFromJsonAsync(IcebergJsonContext.Default.IcebergTokenResponse, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(body?.AccessToken)) throw new IcebergException(HttpStatusCode.BadGateway, null, "the token endpoint answered without an access_token");
            var lifetime = TimeSpan.FromSeconds(body.ExpiresIn ?? 3600);
            var margin = TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 10, TimeSpan.FromMinutes(1).Ticks));
            _renewAt = time.GetUtcNow() + lifetime - margin;
            return _token = body.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }
}
