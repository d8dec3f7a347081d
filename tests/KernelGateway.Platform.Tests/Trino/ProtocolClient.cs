using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KernelGateway.Tests.Fixtures.Trino;

namespace KernelGateway.Platform.Tests.Trino;

/// <summary>A response to a statement request: its URI, bytes, parsed JSON and headers.</summary>
internal sealed record ProtocolPage(string Uri, byte[] Body, JsonElement Json, HttpResponseHeaders Headers)
{
    public string Id => Json.GetProperty("id").GetString()!;
    public string State => Json.GetProperty("stats").GetProperty("state").GetString()!;
    public string? NextUri => Json.TryGetProperty("nextUri", out var n) ? n.GetString() : null;

    public List<List<JsonElement>> Rows =>
        Json.TryGetProperty("data", out var d) ? d.EnumerateArray().Select(r => r.EnumerateArray().ToList()).ToList() : [];

    public string? Header(string name) => Headers.TryGetValues(name, out var v) ? v.First() : null;
}

/// <summary>A non-parsed response (any status).</summary>
internal sealed record RawResponse(HttpStatusCode Status, byte[] Body, string? ContentType, HttpResponseHeaders Headers)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// The Trino client protocol spoken by hand over HttpClient, the way the reference clients speak it: POST the SQL
/// with the session headers, then GET each absolute nextUri (sending the user header) until there is none;
/// with <c>retry</c>, 429/502/503/504 and broken connections are retried on the same URI.
/// </summary>
internal sealed class ProtocolClient(TrinoProtocolServer server, string prefix = "X-Trino-", HttpMessageHandler? handler = null)
{
    private readonly HttpClient _http = new(handler ?? new HttpClientHandler()) { Timeout = TimeSpan.FromSeconds(60) };

    public AuthenticationHeaderValue? Authorization { get; set; }

    /// <summary>How many GETs failed in transport (a dropped connection) and were retried.</summary>
    public int TransportFailures { get; private set; }

    public async Task<RawResponse> PostRawAsync(string sql, string? user = "u", params (string Name, string Value)[] extra)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "v1/statement"))
        {
            Content = new StringContent(sql, new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" }),
        };
        if (user is not null) request.Headers.Add(prefix + "User", user);
        foreach (var (name, value) in extra) request.Headers.TryAddWithoutValidation(name, value);
        return await SendAsync(request);
    }

    public async Task<ProtocolPage> PostAsync(string sql, params (string Name, string Value)[] headers) =>
        Parse(new Uri(server.BaseUri, "v1/statement").ToString(), await PostRawAsync(sql, "u", headers));

    public async Task<RawResponse> GetRawAsync(string uri)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Add(prefix + "User", "u");
        return await SendAsync(request);
    }

    public async Task<ProtocolPage> GetAsync(string uri) => Parse(uri, await GetRawAsync(uri));

    public async Task<HttpStatusCode> DeleteAsync(string uri)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, uri);
        request.Headers.Add(prefix + "User", "u");
        return (await SendAsync(request)).Status;
    }

    /// <summary>Follows nextUri from <paramref name="uri"/> until the first response carrying rows.</summary>
    public async Task<ProtocolPage> GetUntilDataAsync(string uri)
    {
        while (true)
        {
            var page = await GetAsync(uri);
            if (page.Rows.Count > 0 || page.NextUri is null) return page;
            uri = page.NextUri;
        }
    }

    /// <summary>Every response from <paramref name="uri"/> to the last (the one without nextUri).</summary>
    public async Task<List<ProtocolPage>> FollowAsync(string uri, bool retry = false)
    {
        var pages = new List<ProtocolPage>();
        for (var attempts = 0; attempts < 1000;)
        {
            RawResponse raw;
            try
            {
                raw = await GetRawAsync(uri);
            }
            catch (Exception e) when (retry && e is HttpRequestException or IOException)
            {
                TransportFailures++;
                attempts++;
                continue;
            }
            if (retry && (int)raw.Status is 429 or 502 or 503 or 504) { attempts++; continue; }
            var page = Parse(uri, raw);
            pages.Add(page);
            if (page.NextUri is null) return pages;
            uri = page.NextUri;
        }
        throw new InvalidOperationException("too many retries");
    }

    public async Task<List<ProtocolPage>> RunAsync(string sql, params (string Name, string Value)[] headers)
    {
        var first = await PostAsync(sql, headers);
        return first.NextUri is null ? [first] : [first, .. await FollowAsync(first.NextUri)];
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, string Value)[] headers)
    {
        var pages = await RunAsync(sql, headers);
        var rows = pages.SelectMany(p => p.Rows).ToList();
        if (rows.Count == 0) throw new InvalidOperationException(pages[^1].Json.ToString());
        return rows[0][0].GetInt64();
    }

    public async Task<List<string>> StringsAsync(string sql) =>
        (await RunAsync(sql)).SelectMany(p => p.Rows).Select(r => r[0].GetString()!).ToList();

    private async Task<RawResponse> SendAsync(HttpRequestMessage request)
    {
        request.Headers.Authorization = Authorization;
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        return new RawResponse(response.StatusCode, body, response.Content.Headers.ContentType?.ToString(), response.Headers);
    }

    private static ProtocolPage Parse(string uri, RawResponse raw)
    {
        if (raw.Status != HttpStatusCode.OK) throw new InvalidOperationException($"{(int)raw.Status} from {uri}: {raw.Text}");
        using var doc = JsonDocument.Parse(raw.Body);
        return new ProtocolPage(uri, raw.Body, doc.RootElement.Clone(), raw.Headers);
    }
}
