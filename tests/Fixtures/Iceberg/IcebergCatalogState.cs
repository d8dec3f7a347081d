using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// What the catalog holds: namespaces with properties, tables with their metadata (format version 2, as the spec's
/// TableMetadata names its fields) and data files written by DuckDB, views with their metadata. Every change to a
/// table writes a new metadata file under the table's location, and <c>metadata-location</c> points at it.
/// Thread-safe.
/// </summary>
internal sealed class IcebergCatalogState(string root)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, (List<string> Levels, Dictionary<string, string> Properties)> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TableEntry> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _views = new(StringComparer.Ordinal);
    private long _nextSnapshot = 3_051_729_675_574_597_004;

    private sealed class TableEntry(JsonObject metadata)
    {
        public JsonObject Metadata { get; } = metadata;
        public string? MetadataLocation { get; set; }
        public int Version { get; set; }
        public long TotalRecords { get; set; }
        public long TotalSize { get; set; }
        public int TotalFiles { get; set; }
    }

    public static string Key(IEnumerable<string> levels) => string.Join('\u001F', levels);

    private static string Key(IEnumerable<string> levels, string name) => Key(levels) + "\u001E" + name;

    public void CreateNamespace(IReadOnlyList<string> levels, IReadOnlyDictionary<string, string>? properties)
    {
        lock (_lock) _namespaces[Key(levels)] = ([.. levels], new Dictionary<string, string>(properties ?? new Dictionary<string, string>()));
    }

    public bool NamespaceExists(IReadOnlyList<string> levels)
    {
        lock (_lock) return _namespaces.ContainsKey(Key(levels));
    }

    /// <summary>The namespaces directly under <paramref name="parent"/> (the top level for an empty one), in name order.</summary>
    public List<List<string>> Children(IReadOnlyList<string> parent)
    {
        lock (_lock)
        {
            return _namespaces.Values.Where(n => n.Levels.Count == parent.Count + 1 && n.Levels.Take(parent.Count).SequenceEqual(parent))
                .Select(n => n.Levels).OrderBy(Key, StringComparer.Ordinal).ToList();
        }
    }

    public Dictionary<string, string>? Properties(IReadOnlyList<string> levels)
    {
        lock (_lock) return _namespaces.TryGetValue(Key(levels), out var n) ? new Dictionary<string, string>(n.Properties) : null;
    }

    public List<string> Tables(IReadOnlyList<string> levels)
    {
        var prefix = Key(levels) + "\u001E";
        lock (_lock) return _tables.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).Order(StringComparer.Ordinal).ToList();
    }

    public List<string> Views(IReadOnlyList<string> levels)
    {
        var prefix = Key(levels) + "\u001E";
        lock (_lock) return _views.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The LoadTableResult of a table, or null.</summary>
    public JsonObject? LoadTable(IReadOnlyList<string> levels, string name)
    {
        lock (_lock)
        {
            if (!_tables.TryGetValue(Key(levels, name), out var t)) return null;
            return new JsonObject { ["metadata-location"] = t.MetadataLocation, ["metadata"] = t.Metadata.DeepClone(), ["config"] = new JsonObject() };
        }
    }

    /// <summary>The LoadViewResult of a view, or null.</summary>
    public JsonObject? LoadView(IReadOnlyList<string> levels, string name)
    {
        lock (_lock)
        {
            if (!_views.TryGetValue(Key(levels, name), out var v)) return null;
            return new JsonObject { ["metadata-location"] = v["location"]!.GetValue<string>() + "/metadata/00001.metadata.json", ["metadata"] = v.DeepClone(), ["config"] = new JsonObject() };
        }
    }

    public void CreateTable(IReadOnlyList<string> levels, string name, IReadOnlyList<IcebergColumn> columns, IReadOnlyList<IcebergPartition> partitions,
        IReadOnlyDictionary<string, string> properties)
    {
        var (schema, lastId) = IcebergSchemaJson.Schema(0, columns);
        var specFields = new JsonArray();
        var fieldId = 1000;
        foreach (var p in partitions)
        {
            var source = columns.Select((c, i) => (c, i)).First(x => x.c.Name == p.Column).i + 1;
            specFields.Add(new JsonObject { ["source-id"] = source, ["field-id"] = fieldId++, ["name"] = $"{p.Column}_{p.Transform.Split('[')[0]}", ["transform"] = p.Transform });
        }
        var location = Path.Combine(root, string.Join('/', levels.Select(Uri.EscapeDataString)), Uri.EscapeDataString(name));
        var metadata = new JsonObject
        {
            ["format-version"] = 2,
            ["table-uuid"] = Guid.NewGuid().ToString(),
            ["location"] = "file://" + location,
            ["last-sequence-number"] = 0L,
            ["last-updated-ms"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["last-column-id"] = lastId,
            ["current-schema-id"] = 0,
            ["schemas"] = new JsonArray(schema),
            ["default-spec-id"] = 0,
            ["partition-specs"] = new JsonArray(new JsonObject { ["spec-id"] = 0, ["fields"] = specFields }),
            ["last-partition-id"] = fieldId - 1,
            ["default-sort-order-id"] = 0,
            ["sort-orders"] = new JsonArray(new JsonObject { ["order-id"] = 0, ["fields"] = new JsonArray() }),
            ["properties"] = ToJson(properties),
            ["current-snapshot-id"] = -1L,
            ["snapshots"] = new JsonArray(),
            ["snapshot-log"] = new JsonArray(),
            ["metadata-log"] = new JsonArray(),
        };
        var entry = new TableEntry(metadata);
        lock (_lock)
        {
            if (!_namespaces.ContainsKey(Key(levels))) throw new InvalidOperationException($"no namespace {string.Join('.', levels)}");
            _tables[Key(levels, name)] = entry;
            WriteMetadata(entry, location);
        }
    }

    /// <summary>Writes the rows of a DuckDB query as one Parquet data file of the table and commits an append snapshot whose summary counts them.</summary>
    public void Append(IReadOnlyList<string> levels, string name, string duckDbSelect, DateTimeOffset at)
    {
        TableEntry entry;
        lock (_lock) entry = _tables[Key(levels, name)];
        var location = entry.Metadata["location"]!.GetValue<string>()["file://".Length..];
        var file = Path.Combine(location, "data", $"{Guid.NewGuid():N}.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        long records;
        using (var db = new DuckDBConnection("DataSource=:memory:"))
        {
            db.Open();
            using var copy = db.CreateCommand();
            copy.CommandText = $"COPY ({duckDbSelect}) TO '{file.Replace("'", "''")}' (FORMAT PARQUET)";
            copy.ExecuteNonQuery();
            using var count = db.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM read_parquet('{file.Replace("'", "''")}')";
            records = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var size = new FileInfo(file).Length;
        lock (_lock)
        {
            var m = entry.Metadata;
            var parent = m["current-snapshot-id"]!.GetValue<long>();
            var id = _nextSnapshot++;
            entry.TotalRecords += records;
            entry.TotalSize += size;
            entry.TotalFiles++;
            var sequence = m["last-sequence-number"]!.GetValue<long>() + 1;
            var snapshot = new JsonObject
            {
                ["snapshot-id"] = id,
                ["sequence-number"] = sequence,
                ["timestamp-ms"] = at.ToUnixTimeMilliseconds(),
                ["manifest-list"] = $"file://{location}/metadata/snap-{id}-1-{Guid.NewGuid()}.avro",
                ["schema-id"] = 0,
                ["summary"] = new JsonObject
                {
                    ["operation"] = "append",
                    ["added-data-files"] = "1",
                    ["added-records"] = records.ToString(CultureInfo.InvariantCulture),
                    ["added-files-size"] = size.ToString(CultureInfo.InvariantCulture),
                    ["total-data-files"] = entry.TotalFiles.ToString(CultureInfo.InvariantCulture),
                    ["total-records"] = entry.TotalRecords.ToString(CultureInfo.InvariantCulture),
                    ["total-files-size"] = entry.TotalSize.ToString(CultureInfo.InvariantCulture),
                },
            };
            if (parent != -1) snapshot["parent-snapshot-id"] = parent;
            m["snapshots"]!.AsArray().Add(snapshot);
            m["snapshot-log"]!.AsArray().Add(new JsonObject { ["snapshot-id"] = id, ["timestamp-ms"] = at.ToUnixTimeMilliseconds() });
            m["current-snapshot-id"] = id;
            m["last-sequence-number"] = sequence;
            m["last-updated-ms"] = at.ToUnixTimeMilliseconds();
            m["refs"] = new JsonObject { ["main"] = new JsonObject { ["snapshot-id"] = id, ["type"] = "branch" } };
            WriteMetadata(entry, location);
        }
    }

    public void CreateView(IReadOnlyList<string> levels, string name, IReadOnlyList<IcebergColumn> columns, string sql, IReadOnlyDictionary<string, string> properties)
    {
        var (schema, _) = IcebergSchemaJson.Schema(0, columns);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var view = new JsonObject
        {
            ["view-uuid"] = Guid.NewGuid().ToString(),
            ["format-version"] = 1,
            ["location"] = "file://" + Path.Combine(root, string.Join('/', levels.Select(Uri.EscapeDataString)), Uri.EscapeDataString(name)),
            ["current-version-id"] = 1,
            ["versions"] = new JsonArray(new JsonObject
            {
                ["version-id"] = 1,
                ["timestamp-ms"] = now,
                ["schema-id"] = 0,
                ["summary"] = new JsonObject { ["engine-name"] = "kernelgateway-fixture" },
                ["representations"] = new JsonArray(new JsonObject { ["type"] = "sql", ["sql"] = sql, ["dialect"] = "spark" }),
                ["default-namespace"] = new JsonArray(levels.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
            }),
            ["version-log"] = new JsonArray(new JsonObject { ["version-id"] = 1, ["timestamp-ms"] = now }),
            ["schemas"] = new JsonArray(schema),
            ["properties"] = ToJson(properties),
        };
        lock (_lock)
        {
            if (!_namespaces.ContainsKey(Key(levels))) throw new InvalidOperationException($"no namespace {string.Join('.', levels)}");
            _views[Key(levels, name)] = view;
        }
    }

    private static void WriteMetadata(TableEntry entry, string location)
    {
        entry.Version++;
        var file = Path.Combine(location, "metadata", $"{entry.Version:D5}-{Guid.NewGuid()}.metadata.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, entry.Metadata.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (entry.MetadataLocation is { } previous)
        {
            entry.Metadata["metadata-log"]!.AsArray().Add(new JsonObject { ["metadata-file"] = previous, ["timestamp-ms"] = entry.Metadata["last-updated-ms"]!.GetValue<long>() });
        }
        entry.MetadataLocation = "file://" + file;
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, string> properties)
    {
        var o = new JsonObject();
        foreach (var (k, v) in properties) o[k] = v;
        return o;
    }
}
