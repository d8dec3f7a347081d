using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KernelGateway.Platform.Iceberg;

/// <summary>
/// A read-only client of an Iceberg REST catalog, written from the REST catalog specification. It calls
/// <c>GET /v1/config</c> first and builds the catalog's configuration from the server's <c>defaults</c>, then the
/// client's own settings (<c>warehouse</c>), then the server's <c>overrides</c>; the resulting <c>prefix</c> becomes
/// the path segment after <c>v1/</c> of every later call, and <c>endpoints</c>, when the server sends it, says whether
/// views are served. Then: namespaces (multi-level ones named by their levels joined with the unit separator 0x1F,
/// <c>%1F</c> in paths and in <c>parent</c>), tables and views, each list paged (an empty <c>pageToken</c> asks for
/// paging, then each <c>next-page-token</c> is followed until it is null or missing; <c>pageSize</c> when the options
/// give one), and a table's or view's metadata. Errors are the spec's error bodies as <see cref="IcebergException"/>,
/// never showing the token or secret. <c>X-Iceberg-Access-Delegation</c> is not sent: this client reads metadata,
/// never data, so it asks for no storage credentials.
/// </summary>
internal sealed class IcebergRestClient : IDisposable
{
    private const char Separator = '\u001F';
    private const string ViewsEndpoint = "GET /v1/{prefix}/namespaces/{namespace}/views";

    private readonly HttpClient _http;
    private readonly IcebergTokenSource _tokens;
    private readonly SemaphoreSlim _configGate = new(1, 1);
    private string? _prefixPath;

    /// <summary>A client for the catalog of <paramref name="options"/>; nothing is sent before the first call.</summary>
    /// <param name="options">Where the catalog is and how to authenticate.</param>
    /// <param name="handler">The HTTP handler (not disposed with the client); a new one by default.</param>
    /// <param name="time">The clock that ages OAuth2 tokens; the system clock by default.</param>
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

    /// <summary>The endpoints the server announced in <c>/v1/config</c>, or null when it announced none (after the first call).</summary>
    public IReadOnlyList<string>? Endpoints { get; private set; }

    /// <summary>Every namespace directly under <paramref name="parent"/> (the top level when null), every page.</summary>
    public async Task<List<List<string>>> ListNamespacesAsync(IReadOnlyList<string>? parent, CancellationToken cancellationToken)
    {
        var query = parent is null ? "" : "parent=" + Uri.EscapeDataString(string.Join(Separator, parent));
        var path = await PathAsync("namespaces", cancellationToken).ConfigureAwait(false);
        return await AllPagesAsync(path, query, IcebergJsonContext.Default.IcebergNamespacePage, p => (p.Namespaces, p.NextPageToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A namespace's properties.</summary>
    public async Task<IcebergNamespace> LoadNamespaceAsync(IReadOnlyList<string> levels, CancellationToken cancellationToken) =>
        await GetAsync(await PathAsync($"namespaces/{Namespace(levels)}", cancellationToken).ConfigureAwait(false), "",
            IcebergJsonContext.Default.IcebergNamespace, cancellationToken).ConfigureAwait(false);

    /// <summary>The tables of a namespace, every page.</summary>
    public async Task<List<IcebergIdentifier>> ListTablesAsync(IReadOnlyList<string> levels, CancellationToken cancellationToken)
    {
        var path = await PathAsync($"namespaces/{Namespace(levels)}/tables", cancellationToken).ConfigureAwait(false);
        return await AllPagesAsync(path, "", IcebergJsonContext.Default.IcebergIdentifierPage, p => (p.Identifiers, p.NextPageToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The views of a namespace, every page. Empty without a call when the server's <c>endpoints</c> leave the views
    /// out, and empty when a server that announces no endpoints answers the views path with 400, 404 (other than
    /// <c>NoSuchNamespaceException</c>), 405 or 501: it has no views.
    /// </summary>
    public async Task<List<IcebergIdentifier>> ListViewsAsync(IReadOnlyList<string> levels, CancellationToken cancellationToken)
    {
        var path = await PathAsync($"namespaces/{Namespace(levels)}/views", cancellationToken).ConfigureAwait(false);
        if (Endpoints is { } announced && !announced.Contains(ViewsEndpoint)) return [];
        try
        {
            return await AllPagesAsync(path, "", IcebergJsonContext.Default.IcebergIdentifierPage, p => (p.Identifiers, p.NextPageToken), cancellationToken).ConfigureAwait(false);
        }
        catch (IcebergException e) when (NoViews(e))
        {
            return [];
        }
    }

    /// <summary>A table's metadata: every snapshot (<c>snapshots=all</c>), or only those its refs name (<c>snapshots=refs</c>).</summary>
    public async Task<IcebergLoadTable> LoadTableAsync(IReadOnlyList<string> levels, string table, CancellationToken cancellationToken, bool allSnapshots = true) =>
        await GetAsync(await PathAsync($"namespaces/{Namespace(levels)}/tables/{Uri.EscapeDataString(table)}", cancellationToken).ConfigureAwait(false),
            allSnapshots ? "snapshots=all" : "snapshots=refs", IcebergJsonContext.Default.IcebergLoadTable, cancellationToken).ConfigureAwait(false);

    /// <summary>A view's metadata, or null when the server serves no views (see <see cref="ListViewsAsync"/>).</summary>
    /// <exception cref="IcebergException">The server's error, e.g. 404 <c>NoSuchViewException</c>.</exception>
    public async Task<IcebergLoadView?> LoadViewAsync(IReadOnlyList<string> levels, string view, CancellationToken cancellationToken)
    {
        var path = await PathAsync($"namespaces/{Namespace(levels)}/views/{Uri.EscapeDataString(view)}", cancellationToken).ConfigureAwait(false);
        if (Endpoints is { } announced && !announced.Contains("GET /v1/{prefix}/namespaces/{namespace}/views/{view}")) return null;
        try
        {
            return await GetAsync(path, "", IcebergJsonContext.Default.IcebergLoadView, cancellationToken).ConfigureAwait(false);
        }
        catch (IcebergException e) when (NoViews(e) && e.Type is not "NoSuchViewException")
        {
            return null;
        }
    }

    private bool NoViews(IcebergException e) =>
        Endpoints is null && e.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented
        && !e.IsNoSuchNamespace;

    private async Task<List<TItem>> AllPagesAsync<TPage, TItem>(string path, string query, JsonTypeInfo<TPage> type, Func<TPage, (List<TItem>? Items, string? Next)> read,
        CancellationToken cancellationToken)
    {
        var all = new List<TItem>();
        var pageToken = ""; // empty: the first page, asking a server that pages to do so
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var paging = "pageToken=" + Uri.EscapeDataString(pageToken) + (Options.PageSize is { } size ? $"&pageSize={size}" : "");
            var (items, next) = read(await GetAsync(path, query.Length == 0 ? paging : query + "&" + paging, type, cancellationToken).ConfigureAwait(false));
            all.AddRange(items ?? []);
            if (string.IsNullOrEmpty(next)) return all;
            if (!seen.Add(next)) throw IcebergException.Unreadable($"GET {path}", $"the server handed out the page token '{next}' twice");
            pageToken = next;
        }
    }

    private static string Namespace(IReadOnlyList<string> levels) => string.Join("%1F", levels.Select(Uri.EscapeDataString));

    /// <summary><c>v1/{prefix}/{rest}</c> (<c>v1/{rest}</c> without a prefix), reading <c>/v1/config</c> at the first call.</summary>
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
        Endpoints = config.Endpoints;
        var prefix = merged.GetValueOrDefault("prefix")?.Trim('/');
        _prefixPath = string.IsNullOrEmpty(prefix) ? "v1/" : $"v1/{string.Join('/', prefix.Split('/').Select(Uri.EscapeDataString))}/";
    }

    private async Task<T> GetAsync<T>(string path, string query, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var uri = new Uri(Options.BaseUri, query.Length == 0 ? path : path + "?" + query);
        var request = $"GET {Options.BaseUri.AbsolutePath}{path}";
        var token = await _tokens.TokenAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendAsync(uri, token, cancellationToken).ConfigureAwait(false);
        // 401: the token is not (or no longer) good; 419: the spec's "credentials have timed out". Once more with a new one.
        if (response.StatusCode is HttpStatusCode.Unauthorized or (HttpStatusCode)419 && await _tokens.RenewAsync(token, cancellationToken).ConfigureAwait(false) is { } renewed)
        {
            response.Dispose();
            response = await SendAsync(uri, renewed, cancellationToken).ConfigureAwait(false);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, request, _tokens.Secrets, cancellationToken).ConfigureAwait(false);
            try
            {
                return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                    ?? throw IcebergException.Unreadable(request, "the answer is null");
            }
            catch (JsonException e)
            {
                throw IcebergException.Unreadable(request, $"the answer is JSON this client cannot read: {e.Message}", e);
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

    /// <summary>
    /// The exception for an error answer: from the spec's error body (<c>{"error": {"message", "type", "code"}}</c>), the
    /// token endpoint's OAuth2 error (<c>{"error": "invalid_client", "error_description"}</c>), or the status and the start
    /// of the text. Every one of <paramref name="secrets"/> is replaced by <c>***</c> (a server may echo what it was sent).
    /// </summary>
    internal static async Task<IcebergException> ErrorAsync(HttpResponseMessage response, string request, IEnumerable<string> secrets, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        (string? Message, string? Type, int? Code) detail = default;
        try
        {
            using var body = JsonDocument.Parse(text);
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("error", out var error))
            {
                detail = error.ValueKind switch
                {
                    JsonValueKind.Object => (String(error, "message"), String(error, "type"), error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : null),
                    JsonValueKind.String => (String(body.RootElement, "error_description") ?? error.GetString(), error.GetString(), null),
                    _ => default,
                };
            }
        }
        catch (JsonException)
        {
            // not JSON: the status and the start of the text say what happened
        }
        var message = detail.Message ?? (text.Length == 0 ? response.ReasonPhrase ?? "" : text[..Math.Min(text.Length, 300)]);
        foreach (var secret in secrets) message = message.Replace(secret, "***", StringComparison.Ordinal);
        return new IcebergException(response.StatusCode, detail.Code ?? status, detail.Type, message, request);

        static string? String(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    public void Dispose()
    {
        _http.Dispose();
        _configGate.Dispose();
    }
}
