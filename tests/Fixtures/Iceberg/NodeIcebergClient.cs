using System.Globalization;
using System.Text.Json;
using KernelGateway.Tests.Fixtures.Spark.Connect;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// Runs the independent Iceberg REST client of <c>tests/node</c> (<c>iceberg.mjs</c>: iceberg-js 1.0.0, installed
/// by <c>npm ci</c>), which walks a catalog (its config, namespaces at every level, each table's metadata) and prints
/// JSON lines (see the script for their shapes).
/// </summary>
public static class NodeIcebergClient
{
    /// <summary>The lines printed by a walk of the catalog at <paramref name="baseUri"/>, in pages of <paramref name="pageSize"/> when given.</summary>
    /// <exception cref="InvalidOperationException">node failed.</exception>
    public static async Task<NodeIcebergWalk> WalkAsync(Uri baseUri, string warehouse, string? token = null, int? pageSize = null, CancellationToken ct = default)
    {
        List<string> args = ["iceberg.mjs", "--base", baseUri.ToString().TrimEnd('/'), "--warehouse", warehouse];
        if (token is not null) args.AddRange(["--token", token]);
        if (pageSize is { } size) args.AddRange(["--page-size", size.ToString(CultureInfo.InvariantCulture)]);
        var stdout = await NodeSparkClients.RunNodeAsync(args, ct);
        return new NodeIcebergWalk([.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())]);
    }
}

/// <summary>The JSON lines iceberg.mjs printed.</summary>
public sealed record NodeIcebergWalk(IReadOnlyList<JsonElement> Lines)
{
    /// <summary>The lines of one kind (config, namespace, table, error).</summary>
    public IReadOnlyList<JsonElement> Of(string kind) => [.. Lines.Where(l => l.GetProperty("kind").GetString() == kind)];

    /// <summary>The error line, or null when the walk went through.</summary>
    public JsonElement? Error => Of("error") is [var e, ..] ? e : null;
}
