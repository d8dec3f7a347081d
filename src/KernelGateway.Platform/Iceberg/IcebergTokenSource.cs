using System.Net.Http.Json;
using System.Text.Json;

namespace KernelGateway.Platform.Iceberg;

/// <summary>
/// The bearer token for a catalog's requests: a static token, or one from the OAuth2 client-credentials grant
/// (<c>POST</c> to the token endpoint, form <c>grant_type=client_credentials</c>, <c>client_id</c>,
/// <c>client_secret</c>, <c>scope</c>), fetched at first use, fetched again when less than a tenth of its
/// <c>expires_in</c> (at most a minute) is left, and at once when the catalog answers 401 or 419. Concurrent callers
/// share one fetch. A token answer without <c>expires_in</c> is taken to last an hour.
/// </summary>
internal sealed class IcebergTokenSource(HttpClient http, IcebergOptions options, TimeProvider time)
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token = options.Token;
    private DateTimeOffset _renewAt = DateTimeOffset.MaxValue;

    /// <summary>The secrets no message may show: the static token, the client secret, the token fetched last.</summary>
    public IEnumerable<string> Secrets => options.Secrets.Append(_token ?? "").Where(s => s.Length > 0);

    /// <summary>The token to send now, or null when the catalog needs none.</summary>
    public async Task<string?> TokenAsync(CancellationToken cancellationToken)
    {
        if (options.ClientId is null) return options.Token;
        if (_token is not null && time.GetUtcNow() < _renewAt) return _token;
        return await FetchAsync(stale: _token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a 401 or 419 with <paramref name="rejected"/>: a new token (client credentials), or null when there is no way to get one.</summary>
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
            const string request = "POST the OAuth2 token endpoint";
            using var response = await http.PostAsync(options.TokenEndpoint, form, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw await IcebergRestClient.ErrorAsync(response, request, Secrets, cancellationToken).ConfigureAwait(false);
            IcebergTokenResponse? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync(IcebergJsonContext.Default.IcebergTokenResponse, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw IcebergException.Unreadable(request, "the token endpoint answered something other than a token response", e);
            }
            if (string.IsNullOrEmpty(body?.AccessToken)) throw IcebergException.Unreadable(request, "the token endpoint answered without an access_token");
            var lifetime = body.ExpiresIn is int seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
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
