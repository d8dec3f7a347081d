using System.Text.Json;
using KernelGateway.Tests.Fixtures.Spark.Connect;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// Runs the independent Iceberg REST client of <c>tests/node</c> (<c>iceberg.mjs</c>: iceberg-js 1.0.0, installed
/// by <c>npm ci</c>), which walks a catalog (namespaces at every level, their tables' metadata) and prints JSON lines.
/// </summary>
public static class NodeIcebergClient
{
    /// <summary>The lines printed by a walk of the catalog at <paramref name="baseUri"/>.</summary>
    /// <exception cref="InvalidOperationException">node failed.</exception>
    public static async Task<IReadOnlyList<JsonElement>> WalkAsync(Uri baseUri, string warehouse, string? token = null, int? pageSize = null, CancellationToken ct = default)
    {
        List<string> args = ["iceberg.mjs", "--base", baseUri.ToString().TrimEnd('/'), "--warehouse", warehouse];
        if (token is not null) args.AddRange(["--token", token]);
        if (pageSize is { } size) args.AddRange(["--page-size", size.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var stdout = await NodeSparkClients.RunNodeAsync(args, ct);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }
}
