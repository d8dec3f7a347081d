using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Gateway.Policy;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Gateway.Metastore;

/// <summary>
/// The metastore, read-only: <c>GET /api/metastore</c> (connections and their catalogs, with an error entry per
/// connection that did not answer), <c>/api/metastore/{connection}/catalogs</c>,
/// <c>/api/metastore/{connection}/{catalog}/schemas</c>, <c>/api/metastore/{connection}/{catalog}/{schema}/tables</c>,
/// <c>/api/metastore/{connection}/{catalog}/{schema}/{table}</c> and <c>/api/metastore/search?q=&amp;limit=</c>. Each
/// path segment is one name (URL-encoded as needed), never a dotted address. Failures map as
/// <see cref="MetastoreStatus"/> says. Known limits of the route shape: a table named <c>tables</c> cannot be
/// described (the literal <c>tables</c> route wins), and a name holding <c>/</c> cannot be reached (Kestrel leaves
/// <c>%2F</c> encoded in route values).
/// </summary>
public static class MetastoreApi
{
    private static PlatformJsonContext Json => PlatformJsonContext.Default;

    /// <summary>Maps the metastore routes.</summary>
    public static IEndpointRouteBuilder MapMetastore(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/metastore");
        group.AddEndpointFilter(MetastoreStatus.MapFailuresAsync);
        group.MapGet("", OverviewAsync);
        group.MapGet("/search", SearchAsync);
        group.MapGet("/{connection}/catalogs", CatalogsAsync);
        group.MapGet("/{connection}/{catalog}/schemas", async (string connection, string catalog, MetastoreClient metastore, HttpContext http) =>
            Results.Json(await metastore.ListSchemasAsync(new MetastoreAddress(connection, catalog), http.RequestAborted), Json.IReadOnlyListMetastoreSchema));
        group.MapGet("/{connection}/{catalog}/{schema}/tables", async (string connection, string catalog, string schema, MetastoreClient metastore, HttpContext http) =>
            Results.Json(await metastore.ListTablesAsync(new MetastoreAddress(connection, catalog, schema), http.RequestAborted), Json.IReadOnlyListMetastoreTableSummary));
        group.MapGet("/{connection}/{catalog}/{schema}/{table}", DescribeAsync);
        return routes;
    }

    /// <summary>
    /// Every connection with its catalogs nested; errors: one entry per connection that is not supported, unusable,
    /// failed or timed out (the catalogs listing's errors include the connections listing's).
    /// </summary>
    private static async Task<IResult> OverviewAsync(MetastoreClient metastore, HttpContext http)
    {
        var connections = await metastore.ListConnectionsAsync(http.RequestAborted);
        var catalogs = await metastore.ListCatalogsAsync(cancellationToken: http.RequestAborted);
        var body = JsonSerializer.SerializeToNode(connections, Json.MetastoreAnswerMetastoreConnection)!.AsObject();
        var catalogNodes = JsonSerializer.SerializeToNode(catalogs, Json.MetastoreAnswerMetastoreCatalog)!.AsObject();
        var items = body["items"]!.AsArray();
        for (var i = 0; i < items.Count; i++)
        {
            var name = connections.Items[i].Name;
            items[i]!["catalogs"] = new JsonArray(catalogs.Items.Select((c, j) => (c, j))
                .Where(x => x.c.Address.Connection.Equals(name, StringComparison.OrdinalIgnoreCase))
                .Select(x => catalogNodes["items"]![x.j]!.DeepClone()).ToArray());
        }
        body["errors"] = catalogNodes["errors"]!.DeepClone();
        return Results.Json(body, GatewayJsonContext.Default.JsonObject);
    }

    /// <summary>One connection's catalogs, or its failure (e.g. its server is down) with that failure's status.</summary>
    private static async Task<IResult> CatalogsAsync(string connection, MetastoreClient metastore, HttpContext http)
    {
        var answer = await metastore.ListCatalogsAsync(connection, http.RequestAborted);
        MetastoreStatus.ThrowIfFailed(answer.Errors);
        var body = JsonSerializer.SerializeToNode(answer, Json.MetastoreAnswerMetastoreCatalog)!;
        return Results.Json(body["items"]!.DeepClone(), GatewayJsonContext.Default.JsonNode);
    }

    private static async Task<IResult> SearchAsync(string? q, string? limit, MetastoreClient metastore, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(q)) throw new GatewayException(StatusCodes.Status400BadRequest, "search needs q=<text>");
        var max = 50;
        if (limit is not null && (!int.TryParse(limit, out max) || max < 1))
            throw new GatewayException(StatusCodes.Status400BadRequest, "limit must be a positive whole number");
        var answer = await metastore.SearchAsync(q, max, http.RequestAborted);
        return Results.Json(answer, Json.MetastoreAnswerMetastoreSearchHit);
    }

    /// <summary>The described table, with its name parts as Metacat gives them (<c>qualified_name</c>).</summary>
    private static async Task<IResult> DescribeAsync(string connection, string catalog, string schema, string table, MetastoreClient metastore, HttpContext http)
    {
        var described = await metastore.DescribeAsync(new MetastoreAddress(connection, catalog, schema, table), http.RequestAborted);
        var body = JsonSerializer.SerializeToNode(described, Json.MetastoreTable)!.AsObject();
        var a = described.Address;
        body.Insert(1, "qualified_name", new JsonObject { ["connection"] = a.Connection, ["catalog"] = a.Catalog, ["schema"] = a.Schema, ["table"] = a.Table });
        return Results.Json(body, GatewayJsonContext.Default.JsonObject);
    }
}
