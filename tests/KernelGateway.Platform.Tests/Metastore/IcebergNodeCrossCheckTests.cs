using System.Globalization;
using System.Text.Json;
using KernelGateway.Platform.Metastore;
using KernelGateway.Tests.Fixtures.Iceberg;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>iceberg-js 1.0.0, an independent client from npm, reads the same catalog from the fixture as our provider reports.</summary>
public sealed class IcebergNodeCrossCheckTests(IcebergCatalogFixture iceberg) : IClassFixture<IcebergCatalogFixture>
{
    private static string Dotted(JsonElement levels) => string.Join('.', levels.EnumerateArray().Select(e => e.GetString()));

    /// <summary>A type from the schema JSON as Iceberg writes it: primitives by name, <c>list&lt;T&gt;</c>, <c>map&lt;K, V&gt;</c>, <c>struct&lt;a: T&gt;</c>.</summary>
    private static string TypeText(JsonElement type) => type.ValueKind == JsonValueKind.String ? type.GetString()! : type.GetProperty("type").GetString() switch
    {
        "list" => $"list<{TypeText(type.GetProperty("element"))}>",
        "map" => $"map<{TypeText(type.GetProperty("key"))}, {TypeText(type.GetProperty("value"))}>",
        "struct" => $"struct<{string.Join(", ", type.GetProperty("fields").EnumerateArray().Select(f => $"{f.GetProperty("name").GetString()}: {TypeText(f.GetProperty("type"))}"))}>",
        var other => other!,
    };

    [Fact]
    public async Task Iceberg_js_reads_the_same_namespaces_tables_fields_and_snapshots_in_pages_of_2()
    {
        var before = iceberg.Server.Calls.Count;
        var walk = await NodeIcebergClient.WalkAsync(iceberg.Server.BaseUri, "lake", iceberg.Token, pageSize: 2, new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        Assert.Null(walk.Error);
        var provider = iceberg.Provider("ice");
        var ct = CancellationToken.None;

        var config = Assert.Single(walk.Of("config"));
        Assert.Equal("wh-7", config.GetProperty("overrides").GetProperty("prefix").GetString());
        // iceberg-js took the prefix from the overrides, and paged: the top level holds three namespaces
        var calls = iceberg.Server.Calls.Skip(before).ToList();
        Assert.Equal(["?pageToken=&pageSize=2", "?pageToken=2&pageSize=2"],
            calls.Where(c => c.Path == "/catalog/v1/wh-7/namespaces" && !c.Query.Contains("parent", StringComparison.Ordinal)).Select(c => c.Query));
        Assert.All(calls, c => Assert.Equal((IcebergAuth.StaticToken, 200), (c.Auth, c.Status)));

        var schemas = await provider.ListSchemasAsync("lake", ct);
        var namespaces = walk.Of("namespace");
        Assert.Equal(schemas.Select(s => s.Name), namespaces.Select(n => Dotted(n.GetProperty("namespace"))).Order(StringComparer.Ordinal));
        foreach (var schema in schemas)
        {
            var properties = namespaces.Single(n => Dotted(n.GetProperty("namespace")) == schema.Name).GetProperty("properties");
            Assert.Equal(schema.Comment, properties.TryGetProperty("comment", out var c) ? c.GetString() : null);
            Assert.Equal(schema.Owner, properties.TryGetProperty("owner", out var o) ? o.GetString() : null);
        }

        var tables = walk.Of("table");
        var ours = new List<string>();
        foreach (var schema in schemas)
            ours.AddRange((await provider.ListTablesAsync("lake", schema.Name, ct)).Where(t => t.Kind == MetastoreTableKind.Table).Select(t => schema.Name + "." + t.Name));
        Assert.Equal(ours.Order(StringComparer.Ordinal), tables.Select(t => Dotted(t.GetProperty("namespace")) + "." + t.GetProperty("name").GetString()).Order(StringComparer.Ordinal));

        foreach (var t in tables)
        {
            var described = await provider.DescribeAsync("lake", Dotted(t.GetProperty("namespace")), t.GetProperty("name").GetString()!, ct);
            Assert.NotNull(described);
            var fields = t.GetProperty("fields").EnumerateArray().ToList();
            Assert.Equal(described.Columns.Select(c => (c.Name, c.EngineType, !c.Nullable, c.Comment)),
                fields.Select(f => (f.GetProperty("name").GetString()!, TypeText(f.GetProperty("type")), f.GetProperty("required").GetBoolean(), f.GetProperty("doc").GetString())));
            Assert.Equal(described.Columns.Where(c => c.IsPartitionKey).Select(c => c.Name),
                fields.Where(f => t.GetProperty("partitionFields").EnumerateArray().Any(p => p.GetProperty("sourceId").GetInt32() == f.GetProperty("id").GetInt32())).Select(f => f.GetProperty("name").GetString()));
            Assert.Equal((described.Location, described.Properties["metadata-location"], described.Comment),
                (t.GetProperty("location").GetString(), t.GetProperty("metadataLocation").GetString(), t.GetProperty("properties").TryGetProperty("comment", out var c) ? c.GetString() : null));

            var snapshots = t.GetProperty("snapshots").EnumerateArray().ToList();
            // iceberg-js reads ids with JSON.parse, so a 64-bit id comes out as the nearest double (3051729675574597004 reads as
            // 3051729675574597000); ours keeps the exact long. Compared at a double's precision.
            Assert.Equal(described.Snapshots.Select(s => (double)s.Id), snapshots.Select(s => double.Parse(s.GetProperty("id").GetString()!, CultureInfo.InvariantCulture)));
            Assert.Equal(described.Snapshots.Select(s => s.Timestamp.ToUnixTimeMilliseconds()), snapshots.Select(s => s.GetProperty("timestampMs").GetInt64()));
            Assert.Equal(described.Snapshots.Select(s => s.Operation), snapshots.Select(s => s.GetProperty("summary").GetProperty("operation").GetString()));
            Assert.Equal(described.RowCount?.ToString(CultureInfo.InvariantCulture),
                snapshots.LastOrDefault() is { ValueKind: JsonValueKind.Object } last ? last.GetProperty("summary").GetProperty("total-records").GetString() : null);
        }
        Assert.Contains(tables, t => t.GetProperty("snapshots").GetArrayLength() == 2); // the events table is among them, with its history
    }
}
