using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// An Iceberg REST catalog for tests, written from the REST catalog specification (apache/iceberg
/// open-api/rest-catalog-open-api.yaml; facts only): <c>GET /v1/config</c> (the warehouse's <c>prefix</c> and the
/// <c>endpoints</c> served), <c>POST /v1/oauth/tokens</c> (client credentials), and under <c>/v1/{prefix}/</c>:
/// namespaces (list with <c>parent</c>, load, HEAD), tables (list, load with <c>snapshots</c>, HEAD) and views (list,
/// load). Paths name namespaces by their levels joined with 0x1F (<c>%1F</c>). Lists page as the spec says: all in
/// one answer without <c>pageToken</c>, pages of <see cref="IcebergServerOptions.PageSize"/> (or a smaller
/// <c>pageSize</c>) from an empty <c>pageToken</c> on, with <c>next-page-token</c> null on the last. Errors are the spec's
/// <c>{"error": {"message", "type", "code"}}</c>. Tables hold real data: snapshots write and count Parquet files with
/// DuckDB, and every change writes its metadata file. Read-only over HTTP (the catalog is seeded through this class),
/// on 127.0.0.1, every request recorded without its secrets.
/// </summary>
public sealed class IcebergRestServer : IAsyncDisposable
{
    private static readonly string[] Endpoints =
    [
        "GET /v1/{prefix}/namespaces", "GET /v1/{prefix}/namespaces/{namespace}", "HEAD /v1/{prefix}/namespaces/{namespace}",
        "GET /v1/{prefix}/namespaces/{namespace}/tables", "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
        "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}",
    ];

    private static readonly string[] ViewEndpoints =
    [
        "GET /v1/{prefix}/namespaces/{namespace}/views", "GET /v1/{prefix}/namespaces/{namespace}/views/{view}",
        "HEAD /v1/{prefix}/namespaces/{namespace}/views/{view}",
    ];

    private readonly WebApplication _app;
    private readonly IcebergCatalogState _state;
    private readonly IcebergTokens _tokens;
    private readonly List<IcebergCall> _calls = [];
    private readonly CancellationTokenSource _stopping = new();

    private IcebergRestServer(IcebergServerOptions options)
    {
        Options = options;
        Root = Path.Combine(Path.GetTempPath(), "kg-iceberg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        _state = new IcebergCatalogState(Root, options.TimeProvider);
        _tokens = new IcebergTokens(options);
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

    /// <summary>Where table and view locations, data and metadata files live.</summary>
    public string Root { get; }

    /// <summary>Errors and hangs to switch on.</summary>
    public IcebergFaults Faults { get; } = new();

    /// <summary>Every request so far, in the order they were answered.</summary>
    public IReadOnlyList<IcebergCall> Calls
    {
        get { lock (_calls) return _calls.ToList(); }
    }

    /// <summary>How many tokens the token endpoint issued.</summary>
    public int TokensIssued => _tokens.Issued;

    /// <summary>Forgets every token issued so far, as a server does that revokes them: their next use answers 401.</summary>
    public void RevokeTokens() => _tokens.RevokeAll();

    /// <summary>Adds a namespace with its properties (<c>comment</c>, <c>owner</c>, <c>location</c>, ...); a nested one is listed under its parent once the parent exists.</summary>
    public void CreateNamespace(IReadOnlyList<string> levels, IReadOnlyDictionary<string, string>? properties = null) => _state.CreateNamespace(levels, properties);

    /// <summary>Adds a table with no snapshots: its schema (field ids 1..n, then nested ids), partition spec and properties (<c>comment</c>, <c>owner</c>, ...).</summary>
    public void CreateTable(IReadOnlyList<string> ns, string name, IReadOnlyList<IcebergColumn> schema, IReadOnlyList<IcebergPartition>? partitionSpec = null,
        IReadOnlyDictionary<string, string>? properties = null) =>
        _state.CreateTable(ns, name, schema, partitionSpec ?? [], properties ?? new Dictionary<string, string>());

    /// <summary>
    /// Commits a snapshot that really changes the table's data, at <paramref name="at"/> (now on the server's clock by
    /// default), and returns its id: <c>append</c> writes the rows of the DuckDB query <paramref name="rows"/> as a new
    /// Parquet file, <c>overwrite</c> writes them as the only file, <c>delete</c> drops every file, <c>replace</c> rewrites
    /// every file into one. The summary's counts (<c>added-records</c>, <c>total-records</c>, <c>total-files-size</c>, ...)
    /// come from the files; <paramref name="summary"/> adds other entries (<c>spark.app.id</c>, ...).
    /// </summary>
    public long AppendSnapshot(IReadOnlyList<string> ns, string name, string operation, string? rows = null, IReadOnlyDictionary<string, string>? summary = null,
        DateTimeOffset? at = null) =>
        _state.AppendSnapshot(ns, name, operation, rows, summary, at ?? Options.TimeProvider.GetUtcNow());

    /// <summary>Adds a view whose current version is <paramref name="sql"/> (dialect <c>spark</c>) over <paramref name="schema"/>.</summary>
    public void CreateView(IReadOnlyList<string> ns, string name, IReadOnlyList<IcebergColumn> schema, string sql, IReadOnlyDictionary<string, string>? properties = null) =>
        _state.CreateView(ns, name, schema, sql, properties ?? new Dictionary<string, string>());

    private async Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var queryAt = raw.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt < 0 ? raw : raw[..queryAt];
        var bearer = context.Request.Headers.Authorization.ToString() is var a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a["Bearer ".Length..] : null;
        var (auth, number, allowed) = _tokens.Check(bearer);
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        int status;
        try
        {
            status = await RouteAsync(context, path, allowed, form);
        }
        catch (OperationCanceledException)
        {
            status = 499;
        }
        catch (BadHttpRequestException e)
        {
            status = await ErrorAsync(context, 400, "BadRequestException", e.Message);
        }
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? "Bearer ***" : h.Value.ToString());
        lock (_calls) _calls.Add(new IcebergCall(context.Request.Method, path, context.Request.QueryString.Value ?? "", headers, form, auth, number, status));
    }

    private async Task<int> RouteAsync(HttpContext context, string path, bool allowed, Dictionary<string, string> form)
    {
        if (!path.StartsWith(Options.BasePath + "v1/", StringComparison.Ordinal)) return await ErrorAsync(context, 404, "NotFoundException", $"no route {path}");
        var rest = path[(Options.BasePath.Length + 3)..];
        if (rest == "oauth/tokens" && context.Request.Method == "POST") return await TokenAsync(context, form);
        if (!allowed) return await ErrorAsync(context, 401, "NotAuthorizedException", "Not authorized: a valid bearer token is required");
        if (rest == "config") return await ConfigAsync(context);
        using (var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
            await Faults.HangIfToldAsync(path, both.Token);
        if (Faults.FailureFor(path) is { } failure) return await ErrorAsync(context, (int)failure, "ServiceFailureException", "the fixture was told to fail");
        var prefix = string.Join('/', Options.Prefix.Split('/').Select(Uri.EscapeDataString)) + "/";
        if (!rest.StartsWith(prefix, StringComparison.Ordinal)) return await ErrorAsync(context, 400, "BadRequestException", $"malformed path {path}: no prefix {Options.Prefix}");
        var segments = rest[prefix.Length..].Split('/').Select(Uri.UnescapeDataString).ToList();
        if (segments[0] != "namespaces") return await ErrorAsync(context, 400, "BadRequestException", $"malformed path {path}");
        if (context.Request.Method is not ("GET" or "HEAD")) return await ErrorAsync(context, 405, "BadRequestException", "this catalog is read-only");
        var views = segments.Count > 2 && segments[2] == "views";
        if (views && !Options.ServeViews) return await ErrorAsync(context, 404, "NotFoundException", $"no route {path}");
        return segments.Count switch
        {
            1 => await ListNamespacesAsync(context),
            2 => await NamespaceAsync(context, Levels(segments[1])),
            3 when segments[2] is "tables" or "views" => await ListAsync(context, Levels(segments[1]), views),
            4 when segments[2] is "tables" or "views" => await LoadAsync(context, Levels(segments[1]), segments[3], views),
            _ => await ErrorAsync(context, 400, "BadRequestException", $"malformed path {path}"),
        };
    }

    private static List<string> Levels(string segment) => [.. segment.Split('\u001F')];

    private async Task<int> TokenAsync(HttpContext context, Dictionary<string, string> record)
    {
        var form = await context.Request.ReadFormAsync();
        foreach (var (key, value) in form) record[key] = key == "client_secret" ? "***" : value.ToString();
        if (form["grant_type"] != "client_credentials") return await OAuthErrorAsync(context, 400, "unsupported_grant_type");
        if (!_tokens.ClientMatches(form["client_id"].ToString(), form["client_secret"].ToString())) return await OAuthErrorAsync(context, 401, "invalid_client");
        return await JsonAsync(context, 200, new JsonObject
        {
            ["access_token"] = _tokens.Issue(), ["token_type"] = "bearer", ["expires_in"] = (int)Options.TokenLifetime.TotalSeconds,
            ["issued_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
        });
    }

    private static Task<int> OAuthErrorAsync(HttpContext context, int status, string error) =>
        JsonAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = "client credentials refused" });

    private async Task<int> ConfigAsync(HttpContext context)
    {
        var warehouse = context.Request.Query["warehouse"].ToString();
        if (warehouse.Length > 0 && warehouse != Options.Warehouse) return await ErrorAsync(context, 400, "BadRequestException", $"no warehouse {warehouse}");
        var defaults = new JsonObject { ["clients"] = "4" };
        var overrides = new JsonObject { ["warehouse"] = Options.Warehouse };
        if (Options.PrefixInDefaults) defaults["prefix"] = Options.Prefix;
        else (defaults["prefix"], overrides["prefix"]) = ("decoy-default-prefix", Options.Prefix);
        return await JsonAsync(context, 200, new JsonObject
        {
            ["defaults"] = defaults,
            ["overrides"] = overrides,
            ["endpoints"] = new JsonArray([.. Endpoints.Concat(Options.ServeViews ? ViewEndpoints : []).Select(e => (JsonNode)JsonValue.Create(e)!)]),
        });
    }

    private async Task<int> ListNamespacesAsync(HttpContext context)
    {
        var parentText = context.Request.Query["parent"].ToString();
        List<string> parent = parentText.Length == 0 ? [] : Levels(parentText);
        if (parent.Count > 0 && !_state.NamespaceExists(parent)) return await NoSuchNamespaceAsync(context, parent);
        var (page, next) = Page(context, _state.Children(parent));
        return await JsonAsync(context, 200, new JsonObject
        {
            ["namespaces"] = new JsonArray([.. page.Select(n => (JsonNode)Strings(n))]),
            ["next-page-token"] = next,
        });
    }

    private async Task<int> NamespaceAsync(HttpContext context, List<string> levels)
    {
        if (_state.Properties(levels) is not { } properties) return await NoSuchNamespaceAsync(context, levels);
        if (context.Request.Method == "HEAD") return NoContent(context);
        var props = new JsonObject();
        foreach (var (k, v) in properties) props[k] = v;
        return await JsonAsync(context, 200, new JsonObject { ["namespace"] = Strings(levels), ["properties"] = props });
    }

    private async Task<int> ListAsync(HttpContext context, List<string> levels, bool views)
    {
        if (!_state.NamespaceExists(levels)) return await NoSuchNamespaceAsync(context, levels);
        var (page, next) = Page(context, views ? _state.Views(levels) : _state.Tables(levels));
        return await JsonAsync(context, 200, new JsonObject
        {
            ["identifiers"] = new JsonArray([.. page.Select(n => (JsonNode)new JsonObject { ["namespace"] = Strings(levels), ["name"] = n })]),
            ["next-page-token"] = next,
        });
    }

    private async Task<int> LoadAsync(HttpContext context, List<string> levels, string name, bool view)
    {
        if (!_state.NamespaceExists(levels)) return await NoSuchNamespaceAsync(context, levels);
        var loaded = view ? _state.LoadView(levels, name) : _state.LoadTable(levels, name);
        var label = string.Join('.', levels) + "." + name;
        if (loaded is null) return await ErrorAsync(context, 404, view ? "NoSuchViewException" : "NoSuchTableException", $"{(view ? "View" : "Table")} does not exist: {label}");
        if (context.Request.Method == "HEAD") return NoContent(context);
        if (!view && context.Request.Query["snapshots"] == "refs")
        {
            // Only the snapshots a branch or tag names: here the current one.
            var metadata = loaded["metadata"]!.AsObject();
            var current = metadata["current-snapshot-id"]!.GetValue<long>();
            metadata["snapshots"] = new JsonArray([.. metadata["snapshots"]!.AsArray().Where(s => s!["snapshot-id"]!.GetValue<long>() == current).Select(s => s!.DeepClone())]);
        }
        return await JsonAsync(context, 200, loaded);
    }

    /// <summary>
    /// The page a request asks for: everything (no next token) without <c>pageToken</c>, as the spec says a server that
    /// pages must answer; else the items from the token's offset (an empty token: the first), at most the page size.
    /// </summary>
    private (List<T> Page, string? Next) Page<T>(HttpContext context, List<T> all)
    {
        if (!context.Request.Query.TryGetValue("pageToken", out var tokenText)) return (all, null);
        var size = Options.PageSize;
        if (int.TryParse(context.Request.Query["pageSize"], CultureInfo.InvariantCulture, out var asked) && asked > 0) size = Math.Min(size, asked);
        var start = 0;
        if (tokenText.ToString() is { Length: > 0 } t && (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > all.Count))
            throw new BadHttpRequestException($"pageToken '{t}' was not handed out by this server");
        var page = all.Skip(start).Take(size).ToList();
        return (page, start + size < all.Count ? (start + size).ToString(CultureInfo.InvariantCulture) : null);
    }

    private static int NoContent(HttpContext context) => context.Response.StatusCode = 204;

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);

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
