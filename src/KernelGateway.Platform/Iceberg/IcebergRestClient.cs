using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KernelGateway.Platform.Iceberg;

/// <summary>
/// A read-only client of an Iceberg REST catalog, written from the REST catalog specification: <c>GET /v1/config</c>
/// first (the server's <c>defaults</c>, then the client's settings, then its <c>overrides</c>; <c>prefix</c> becomes
/// the path segment after <c>v1/</c>), then namespaces (multi-level, levels joined by the unit separator 0x1F,
/// <c>%1F</c> in paths; <c>parent</c> for the children of one), tables and views (paged with <c>pageToken</c> until
/// <c>next-page-token</c> is null), and a table's or view's metadata. Errors are the spec's error bodies as
/// <see cref="IcebergException"/>. <c>X-Iceberg-Access-Delegation</c> is not sent: this client reads metadata only.
/// </summary>
internal sealed class IcebergRestClient : IDisposable
{
    private const char Separator = '\u001F';

    private readonly HttpClient _http;
    private readonly IcebergTokenSource _tokens;
    private readonly SemaphoreSlim _configGate = new(1, 1);
    private string? _prefixPath;

    public IcebergRestClient(IcebergOptions options, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        Options = options;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan; // the caller's token bounds each call
        _tokens = new IcebergTokenSource(_http, options, time ?? TimeProvider.System);
    }

    public IcebergOptions Options { get; }

    /// <summary>The merged configuration (defaults, then the client's <c>warehouse</c>, then overrides), after the first call.</summary>
    public IReadOnlyDictionary<string, string> Config { get; private set; } = new Dictionary<string, string>();

    /// <summary>Every namespace under <paramref name="parent"/> (the top level when null), every page.</summary>
    public async Task<List<List<string>>> ListNamespacesAsync(IReadOnlyList<string>? parent, CancellationToken cancellationToken)
    {
        var query = parent is null ? "" : "parent=" + Uri.EscapeDataString(string.Join(Separator, parent));
        var all = new List<List<string>>();
        string? page = null;
        do
        {
            var answer = await GetAsync(await PathAsync("namespaces", cancellationToken).ConfigureAwait(false), Paged(query, page),
                IcebergJsonContext.Default.IcebergNamespacePage, cancellationToken).ConfigureAwait(false);
            all.AddRange(answer.Namespaces ?? []);
            page = answer.NextPageToken;
        }
        while (!string.IsNullOrEmpty(page));
        return all;
    }

    /// <summary>A namespace's properties.</summary>
    public async Task<IcebergNamespace> LoadNamespaceAsync(IReadOnlyList<string> levels, CancellationToken cancellationToken) =>
        await GetAsync(await PathAsync($"namespaces/{Namespace(levels)}", cancellationToken).ConfigureAwait(false), "",
            IcebergJsonContext.Default.IcebergNamespace, cancellationToken).ConfigureAwait(false);

    /// <summary>The tables of a namespace, every page.</summary>
    public Task<List<IcebergIdentifier>> ListTablesAsync(IReadOnlyList<string> levels, CancellationToken cancellationToken) =>
        ListIdentifiersAsync(levels, "tables", cancellationToken);

    /// <summary>The views of a namespace, every page; empty when the server has no view endpoints (404 or 400 on the path).</summary>
    public async Task<List<IcebergIdentifier>> ListViewsAsync(IReadOnlyList<string> levels, CancellationToken cancellationToken)
    {
        try
        {
            return await ListIdentifiersAsync(levels, "views", cancellationToken).ConfigureAwait(false);
        }
        catch (IcebergException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.NotImplemented
            && e.Type is not "NoSuchNamespaceException")
        {
            return [];
        }
    }

    /// <summary>A table's metadata (<c>snapshots=all</c>).</summary>
    public async Task<IcebergLoadTable> LoadTableAsync(IReadOnlyList<string> levels, string table, CancellationToken cancellationToken) =>
        await GetAsync(await PathAsync($"namespaces/{Namespace(levels)}/tables/{Uri.EscapeDataString(table)}", cancellationToken).ConfigureAwait(false),
            "snapshots=all", IcebergJsonContext.Default.IcebergLoadTable, cancellationToken).ConfigureAwait(false);

    /// <summary>A view's metadata.</summary>
    public async Task<IcebergLoadView> LoadViewAsync(IReadOnlyList<string> levels, string view, CancellationToken cancellationToken) =>
        await GetAsync(await PathAsync($"namespaces/{Namespace(levels)}/views/{Uri.EscapeDataString(view)}", cancellationToken).ConfigureAwait(false),
            "", IcebergJsonContext.Default.IcebergLoadView, cancellationToken).ConfigureAwait(false);

    private async Task<List<IcebergIdentifier>> ListIdentifiersAsync(IReadOnlyList<string> levels, string kind, CancellationToken cancellationToken)
    {
        var path = await PathAsync($"namespaces/{Namespace(levels)}/{kind}", cancellationToken).ConfigureAwait(false);
        var all = new List<IcebergIdentifier>();
        string? page = null;
        do
        {
            var answer = await GetAsync(path, Paged("", page), IcebergJsonContext.Default.IcebergIdentifierPage, cancellationToken).ConfigureAwait(false);
            all.AddRange(answer.Identifiers ?? []);
            page = answer.NextPageToken;
        }
        while (!string.IsNullOrEmpty(page));
        return all;
    }

    private static string Namespace(IReadOnlyList<string> levels) => string.Join("%1F", levels.Select(Uri.EscapeDataString));

    private static string Paged(string query, string? page) =>
        page is null ? query : (query.Length == 0 ? "" : query + "&") + "pageToken=" + Uri.EscapeDataString(page);

    /// <summary><c>v1/{prefix}/{rest}</c>, reading <c>/v1/config</c> at the first call.</summary>
    private async Task<string> PathAsync(string rest, CancellationToken cancellationToken)
    {
        if (_prefixPath is null)
        {
            await _configGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_prefixPath is null) await ConfigureAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _configGate.Release();
            }
        }
        return _prefixPath + rest;
    }

    private async Task ConfigureAsync(CancellationToken cancellationToken)
    {
        var query = Options.Warehouse is null ? "" : "warehouse=" + Uri.EscapeDataString(Options.Warehouse);
        var config = await GetAsync("v1/config", query, IcebergJsonContext.Default.IcebergConfig, cancellationToken).ConfigureAwait(false);
        var merged = new Dictionary<string, string>(config.Defaults ?? [], StringComparer.Ordinal);
        if (Options.Warehouse is not null) merged["warehouse"] = Options.Warehouse;
        foreach (var (k, v) in config.Overrides ?? []) merged[k] = v;
        Config = merged;
        var prefix = merged.GetValueOrDefault("prefix")?.Trim('/');
        _prefixPath = string.IsNullOrEmpty(prefix) ? "v1/" : $"v1/{string.Join('/', prefix.Split('/').Select(Uri.EscapeDataString))}/";
    }

    private async Task<T> GetAsync<T>(string path, string query, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var uri = new Uri(Options.BaseUri, query.Length == 0 ? path : path + "?" + query);
        var token = await _tokens.TokenAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendAsync(uri, token, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized && await _tokens.RenewAsync(token, cancellationToken).ConfigureAwait(false) is { } renewed)
        {
            response.Dispose();
            response = await SendAsync(uri, renewed, cancellationToken).ConfigureAwait(false);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
            try
            {
                return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                    ?? throw new IcebergException(HttpStatusCode.BadGateway, null, $"GET {path} answered null");
            }
            catch (JsonException e)
            {
                throw new IcebergException(HttpStatusCode.BadGateway, null, $"GET {path} answered JSON this client cannot read: {e.Message}", e);
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The exception for an error answer, from the spec's error body when there is one.</summary>
    internal static async Task<IcebergException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        IcebergErrorDetail? detail = null;
        try
        {
            detail = JsonSerializer.Deserialize(text, IcebergJsonContext.Default.IcebergErrorBody)?.Error;
        }
        catch (JsonException)
        {
            // not the spec's error body: the status and the start of the text say what happened
        }
        var message = detail?.Message ?? (text.Length == 0 ? response.ReasonPhrase ?? "" : text[..Math.Min(text.Length, 300)]);
        return new IcebergException(response.StatusCode, detail?.Type, message);
    }

    public void Dispose()
    {
        _http.Dispose();
        _configGate.Dispose();
    }
}
