using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// An Iceberg REST catalog for tests, written from the REST catalog specification (apache/iceberg
/// open-api/rest-catalog-open-api.yaml; facts only): <c>GET /v1/config</c> (the warehouse's <c>prefix</c> in
/// <c>overrides</c>), <c>POST /v1/oauth/tokens</c> (client credentials), and under <c>/v1/{prefix}/</c>: namespaces
/// (list with <c>parent</c> and paging, load, HEAD), tables (list, load with <c>snapshots</c>, HEAD) and views (list,
/// load). Paths name namespaces by their levels joined with 0x1F (<c>%1F</c>); pages carry <c>next-page-token</c>.
/// Errors are the spec's <c>{"error": {"message", "type", "code"}}</c>. Tables hold real data: appends write Parquet
/// with DuckDB and their snapshots count the files; every table change writes its metadata file. Read-only over
/// HTTP (the catalog is seeded through this class), on 127.0.0.1, every request recorded.
/// </summary>
public sealed class IcebergRestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IcebergCatalogState _state;
    private readonly List<IcebergCall> _calls = [];
    private readonly HashSet<string> _issuedTokens = [];
    private readonly CancellationTokenSource _stopping = new();
    private (HttpStatusCode Status, string? PathContains)? _failure;
    private string? _hang;
    private int _hanging;

    private IcebergRestServer(IcebergServerOptions options)
    {
        Options = options;
        Root = Path.Combine(Path.GetTempPath(), "kg-iceberg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        _state = new IcebergCatalogState(Root);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>Starts a server on a free port of 127.0.0.1; dispose it to stop it and delete its files.</summary>
    public static async Task<IcebergRestServer> StartAsync(IcebergServerOptions? options = null, CancellationToken ct = default)
    {
        var server = new IcebergRestServer(options ?? new IcebergServerOptions());
        await server._app.StartAsync(ct);
        var port = new Uri(server._app.Urls.First()).Port;
        server.BaseUri = new Uri($"http://127.0.0.1:{port}{server.Options.BasePath}");
        return server;
    }

    /// <summary>The options it was started with.</summary>
    public IcebergServerOptions Options { get; }

    /// <summary>The catalog's base, e.g. <c>http://127.0.0.1:41234/catalog/</c>; the API is under <c>v1/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Where table locations, data and metadata files live.</summary>
    public string Root { get; }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<IcebergCall> Calls
    {
        get { lock (_calls) return _calls.ToList(); }
    }

    /// <summary>Adds a namespace (its parent must exist for a nested one to be listed under it).</summary>
    public void CreateNamespace(IReadOnlyList<string> levels, IReadOnlyDictionary<string, string>? properties = null) => _state.CreateNamespace(levels, properties);

    /// <summary>Adds a table with no snapshots: columns (field ids 1..n), partition fields and properties (<c>comment</c>, <c>owner</c>, ...).</summary>
    public void CreateTable(IReadOnlyList<string> ns, string name, IReadOnlyList<IcebergColumn> columns, IReadOnlyList<IcebergPartition>? partitions = null,
        IReadOnlyDictionary<string, string>? properties = null) =>
        _state.CreateTable(ns, name, columns, partitions ?? [], properties ?? new Dictionary<string, string>());

    /// <summary>Appends the rows of a DuckDB query (a Parquet data file) and commits a snapshot at <paramref name="at"/> (now by default).</summary>
    public void Append(IReadOnlyList<string> ns, string name, string duckDbSelect, DateTimeOffset? at = null) => _state.Append(ns, name, duckDbSelect, at ?? DateTimeOffset.UtcNow);

    /// <summary>Adds a view whose current version is <paramref name="sql"/> over <paramref name="columns"/>.</summary>
    public void CreateView(IReadOnlyList<string> ns, string name, IReadOnlyList<IcebergColumn> columns, string sql, IReadOnlyDictionary<string, string>? properties = null) =>
        _state.CreateView(ns, name, columns, sql, properties ?? new Dictionary<string, string>());

    /// <summary>From now on, catalog calls whose path contains <paramref name="pathContains"/> (all when null) answer <paramref name="status"/>.</summary>
    public void FailWith(HttpStatusCode status, string? pathContains = null) => _failure = (status, pathContains);

    /// <summary>From now on, catalog calls whose path contains <paramref name="pathContains"/> never answer (until the client gives up or the server stops).</summary>
    public void Hang(string pathContains = "") => _hang = pathContains;

    /// <summary>How many calls are hanging now (see <see cref="Hang"/>).</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    /// <summary>Forgets every token the token endpoint issued, as a server does when they expire: their next use answers 401.</summary>
    public void RevokeTokens()
    {
        lock (_issuedTokens) _issuedTokens.Clear();
    }

    /// <summary>How many tokens the token endpoint issued.</summary>
    public int TokensIssued => Calls.Count(c => c.Path.EndsWith("/v1/oauth/tokens", StringComparison.Ordinal) && c.Status == 200);

    /// <summary>Ends <see cref="FailWith"/> and <see cref="Hang"/>.</summary>
    public void Heal()
    {
        _failure = null;
        _hang = null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var queryAt = raw.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt < 0 ? raw : raw[..queryAt];
        var bearer = context.Request.Headers.Authorization.ToString() is var a && a.StartsWith("Bearer ", StringComparison.Ordinal) ? a["Bearer ".Length..] : null;
        int status;
        try
        {
            status = await RouteAsync(context, path, bearer);
        }
        catch (OperationCanceledException)
        {
            status = 499;
        }
        lock (_calls) _calls.Add(new IcebergCall(context.Request.Method, path, context.Request.QueryString.Value ?? "", bearer, status));
    }

    private async Task<int> RouteAsync(HttpContext context, string path, string? bearer)
    {
        if (!path.StartsWith(Options.BasePath + "v1/", StringComparison.Ordinal)) return await ErrorAsync(context, 404, "NotFoundException", $"no route {path}");
        var rest = path[(Options.BasePath.Length + 3)..];
        if (rest == "oauth/tokens" && context.Request.Method == "POST") return await TokenAsync(context);
        if (!Authorized(bearer)) return await ErrorAsync(context, 401, "NotAuthorizedException", "Not authorized: a valid bearer token is required");
        if (rest == "config") return await ConfigAsync(context);
        if (_hang is { } hang && path.Contains(hang, StringComparison.Ordinal))
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            Interlocked.Increment(ref _hanging);
            try
            {
                await Task.Delay(Timeout.Infinite, both.Token);
            }
            finally
            {
                Interlocked.Decrement(ref _hanging);
            }
        }
        if (_failure is { } f && (f.PathContains is null || path.Contains(f.PathContains, StringComparison.Ordinal)))
            return await ErrorAsync(context, (int)f.Status, "ServiceFailureException", "the fixture was told to fail");
        var prefix = string.Join('/', Options.Prefix.Split('/').Select(Uri.EscapeDataString)) + "/";
        if (!rest.StartsWith(prefix, StringComparison.Ordinal)) return await ErrorAsync(context, 400, "BadRequestException", $"malformed path {path}");
        var segments = rest[prefix.Length..].Split('/').Select(Uri.UnescapeDataString).Prepend(Options.Prefix).ToList();
        if (segments.Count < 2 || segments[1] != "namespaces") return await ErrorAsync(context, 400, "BadRequestException", $"malformed path {path}");
        var get = context.Request.Method is "GET" or "HEAD";
        if (!get) return await ErrorAsync(context, 405, "BadRequestException", "this catalog is read-only");
        return segments.Count switch
        {
            2 => await ListNamespacesAsync(context),
            3 => await NamespaceAsync(context, Levels(segments[2])),
            4 when segments[3] is "tables" or "views" => await ListAsync(context, Levels(segments[2]), segments[3]),
            5 when segments[3] == "tables" => await LoadAsync(context, Levels(segments[2]), segments[4], view: false),
            5 when segments[3] == "views" => await LoadAsync(context, Levels(segments[2]), segments[4], view: true),
            _ => await ErrorAsync(context, 400, "BadRequestException", $"malformed path {path}"),
        };
    }

    private static List<string> Levels(string segment) => [.. segment.Split('\u001F')];

    private bool Authorized(string? bearer)
    {
        if (Options.ClientId is not null) lock (_issuedTokens) return bearer is not null && _issuedTokens.Contains(bearer);
        return Options.RequiredToken is null || bearer == Options.RequiredToken;
    }

    private async Task<int> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials") return await OAuthErrorAsync(context, "unsupported_grant_type");
        if (Options.ClientId is null || form["client_id"] != Options.ClientId || form["client_secret"] != Options.ClientSecret) return await OAuthErrorAsync(context, "invalid_client");
        var token = "ice-" + Guid.NewGuid().ToString("N");
        lock (_issuedTokens) _issuedTokens.Add(token);
        var lifetime = (int)Options.TokenLifetime.TotalSeconds;
        // Expiry is the client's to honour; the fixture forgets a token when its lifetime has passed.
        _ = Task.Delay(Options.TokenLifetime, _stopping.Token).ContinueWith(_ => { lock (_issuedTokens) _issuedTokens.Remove(token); }, TaskScheduler.Default);
        return await JsonAsync(context, 200, new JsonObject
        {
            ["access_token"] = token, ["token_type"] = "bearer", ["expires_in"] = lifetime,
            ["issued_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
        });
    }

    private static Task<int> OAuthErrorAsync(HttpContext context, string error) =>
        JsonAsync(context, 401, new JsonObject { ["error"] = error, ["error_description"] = "client credentials refused" });

    private async Task<int> ConfigAsync(HttpContext context)
    {
        var warehouse = context.Request.Query["warehouse"].ToString();
        if (warehouse.Length > 0 && warehouse != Options.Warehouse) return await ErrorAsync(context, 400, "BadRequestException", $"no warehouse {warehouse}");
        return await JsonAsync(context, 200, new JsonObject
        {
            ["defaults"] = new JsonObject { ["clients"] = "4", ["prefix"] = "ignored-default" },
            ["overrides"] = new JsonObject { ["prefix"] = Options.Prefix, ["warehouse"] = Options.Warehouse },
            ["endpoints"] = new JsonArray("GET /v1/{prefix}/namespaces", "GET /v1/{prefix}/namespaces/{namespace}", "HEAD /v1/{prefix}/namespaces/{namespace}",
                "GET /v1/{prefix}/namespaces/{namespace}/tables", "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
                "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}", "GET /v1/{prefix}/namespaces/{namespace}/views",
                "GET /v1/{prefix}/namespaces/{namespace}/views/{view}"),
        });
    }

    private async Task<int> ListNamespacesAsync(HttpContext context)
    {
        var parentText = context.Request.Query["parent"].ToString();
        List<string> parent = parentText.Length == 0 ? [] : Levels(parentText);
        if (parent.Count > 0 && !_state.NamespaceExists(parent)) return await NoSuchNamespaceAsync(context, parent);
        var children = _state.Children(parent);
        var (page, next) = Page(context, children);
        return await JsonAsync(context, 200, new JsonObject
        {
            ["namespaces"] = new JsonArray(page.Select(n => (JsonNode)new JsonArray(n.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray())).ToArray()),
            ["next-page-token"] = next,
        });
    }

    private async Task<int> NamespaceAsync(HttpContext context, List<string> levels)
    {
        if (_state.Properties(levels) is not { } properties) return await NoSuchNamespaceAsync(context, levels);
        if (context.Request.Method == "HEAD") return 204;
        var props = new JsonObject();
        foreach (var (k, v) in properties) props[k] = v;
        return await JsonAsync(context, 200, new JsonObject { ["namespace"] = new JsonArray(levels.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()), ["properties"] = props });
    }

    private async Task<int> ListAsync(HttpContext context, List<string> levels, string kind)
    {
        if (!_state.NamespaceExists(levels)) return await NoSuchNamespaceAsync(context, levels);
        var names = kind == "tables" ? _state.Tables(levels) : _state.Views(levels);
        var (page, next) = Page(context, names);
        return await JsonAsync(context, 200, new JsonObject
        {
            ["identifiers"] = new JsonArray(page.Select(n => (JsonNode)new JsonObject
            {
                ["namespace"] = new JsonArray(levels.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()), ["name"] = n,
            }).ToArray()),
            ["next-page-token"] = next,
        });
    }

    private async Task<int> LoadAsync(HttpContext context, List<string> levels, string name, bool view)
    {
        if (!_state.NamespaceExists(levels)) return await NoSuchNamespaceAsync(context, levels);
        var loaded = view ? _state.LoadView(levels, name) : _state.LoadTable(levels, name);
        var label = string.Join('.', levels) + "." + name;
        if (loaded is null) return await ErrorAsync(context, 404, view ? "NoSuchViewException" : "NoSuchTableException", $"{(view ? "View" : "Table")} does not exist: {label}");
        if (context.Request.Method == "HEAD") return 204;
        if (!view && context.Request.Query["snapshots"] == "refs")
        {
            var metadata = loaded["metadata"]!.AsObject();
            var current = metadata["current-snapshot-id"]!.GetValue<long>();
            var kept = metadata["snapshots"]!.AsArray().Where(s => s!["snapshot-id"]!.GetValue<long>() == current).Select(s => s!.DeepClone()).ToArray();
            metadata["snapshots"] = new JsonArray(kept);
        }
        return await JsonAsync(context, 200, loaded);
    }

    private (List<T> Page, string? Next) Page<T>(HttpContext context, List<T> all)
    {
        var size = Options.PageSize;
        if (int.TryParse(context.Request.Query["pageSize"], CultureInfo.InvariantCulture, out var asked) && asked > 0) size = Math.Min(size, asked);
        var start = int.TryParse(context.Request.Query["pageToken"], CultureInfo.InvariantCulture, out var token) ? token : 0;
        var page = all.Skip(start).Take(size).ToList();
        return (page, start + size < all.Count ? (start + size).ToString(CultureInfo.InvariantCulture) : null);
    }

    private static Task<int> NoSuchNamespaceAsync(HttpContext context, List<string> levels) =>
        ErrorAsync(context, 404, "NoSuchNamespaceException", $"Namespace does not exist: {string.Join('.', levels)}");

    private static Task<int> ErrorAsync(HttpContext context, int status, string type, string message) =>
        JsonAsync(context, status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = status } });

    private static async Task<int> JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        if (context.Request.Method == "HEAD") return status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()));
        return status;
    }

    /// <summary>Stops the server (hung calls end) and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
