using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// What the catalog holds: namespaces with properties, tables (format version 2 metadata, as the spec's
/// TableMetadata names its fields, over real data files), views (format version 1 ViewMetadata). Every change to a
/// table or view writes its next metadata file under its location, and <c>metadata-location</c> names that file.
/// Thread-safe.
/// </summary>
internal sealed class IcebergCatalogState(string root, TimeProvider time)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (List<string> Levels, Dictionary<string, string> Properties)> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _views = new(StringComparer.Ordinal);
    private long _nextSnapshot = 3_051_729_675_574_597_004; // above 2^53, as real snapshot ids are: a double cannot hold them

    /// <summary>A table or view: its metadata, where it lives, its metadata files so far, and (a table) its data.</summary>
    private sealed class Entry(JsonObject metadata, string location, IcebergTableData? data)
    {
        public JsonObject Metadata { get; } = metadata;
        public string Location { get; } = location;
        public IcebergTableData? Data { get; } = data;
        public string? MetadataLocation { get; set; }
        public long WrittenMs { get; set; }
        public int Version { get; set; }
    }

    private static string Key(IEnumerable<string> levels) => string.Join('\u001F', levels);

    private static string Key(IEnumerable<string> levels, string name) => Key(levels) + "\u001E" + name;

    public void CreateNamespace(IReadOnlyList<string> levels, IReadOnlyDictionary<string, string>? properties)
    {
        if (levels.Count == 0 || levels.Any(l => l.Length == 0)) throw new ArgumentException("a namespace has one or more non-empty levels");
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

    public List<string> Tables(IReadOnlyList<string> levels) => Names(_tables, levels);

    public List<string> Views(IReadOnlyList<string> levels) => Names(_views, levels);

    private List<string> Names(Dictionary<string, Entry> entries, IReadOnlyList<string> levels)
    {
        var prefix = Key(levels) + "\u001E";
        lock (_lock) return entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The LoadTableResult of a table, or null.</summary>
    public JsonObject? LoadTable(IReadOnlyList<string> levels, string name) => Load(_tables, levels, name);

    /// <summary>The LoadViewResult of a view, or null.</summary>
    public JsonObject? LoadView(IReadOnlyList<string> levels, string name) => Load(_views, levels, name);

    private JsonObject? Load(Dictionary<string, Entry> entries, IReadOnlyList<string> levels, string name)
    {
        lock (_lock)
        {
            if (!entries.TryGetValue(Key(levels, name), out var e)) return null;
            return new JsonObject { ["metadata-location"] = e.MetadataLocation, ["metadata"] = e.Metadata.DeepClone(), ["config"] = new JsonObject() };
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
            var source = columns.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Name == p.Column);
            if (source.c is null) throw new ArgumentException($"no column {p.Column} to partition by");
            specFields.Add(new JsonObject { ["source-id"] = source.i + 1, ["field-id"] = fieldId++, ["name"] = $"{p.Column}_{p.Transform.Split('[')[0]}", ["transform"] = p.Transform });
        }
        var location = Location(levels, name);
        var metadata = new JsonObject
        {
            ["format-version"] = 2,
            ["table-uuid"] = Guid.NewGuid().ToString(),
            ["location"] = "file://" + location,
            ["last-sequence-number"] = 0L,
            ["last-updated-ms"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
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
            ["refs"] = new JsonObject(),
            ["snapshots"] = new JsonArray(),
            ["snapshot-log"] = new JsonArray(),
            ["metadata-log"] = new JsonArray(),
        };
        Add(_tables, levels, name, new Entry(metadata, location, new IcebergTableData(location)));
    }

    /// <summary>Commits a snapshot that really changes the table's data files (see <see cref="IcebergTableData.Commit"/>); returns its id.</summary>
    public long AppendSnapshot(IReadOnlyList<string> levels, string name, string operation, string? rows, IReadOnlyDictionary<string, string>? extraSummary, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (!_tables.TryGetValue(Key(levels, name), out var entry)) throw new ArgumentException($"no table {string.Join('.', levels)}.{name}");
            var summary = entry.Data!.Commit(operation, rows);
            foreach (var (k, v) in extraSummary ?? new Dictionary<string, string>())
            {
                if (!summary.TryAdd(k, v)) throw new ArgumentException($"the summary's {k} is counted from the data files; it cannot be given");
            }
            var m = entry.Metadata;
            var parent = m["current-snapshot-id"]!.GetValue<long>();
            var id = _nextSnapshot++;
            var sequence = m["last-sequence-number"]!.GetValue<long>() + 1;
            var snapshot = new JsonObject
            {
                ["snapshot-id"] = id,
                ["sequence-number"] = sequence,
                ["timestamp-ms"] = at.ToUnixTimeMilliseconds(),
                // Manifests are not written: the fixture serves metadata, and no reader here opens them.
                ["manifest-list"] = $"file://{entry.Location}/metadata/snap-{id}-1-{Guid.NewGuid()}.avro",
                ["schema-id"] = 0,
                ["summary"] = ToJson(summary),
            };
            if (parent != -1) snapshot["parent-snapshot-id"] = parent;
            m["snapshots"]!.AsArray().Add(snapshot);
            m["snapshot-log"]!.AsArray().Add(new JsonObject { ["snapshot-id"] = id, ["timestamp-ms"] = at.ToUnixTimeMilliseconds() });
            m["current-snapshot-id"] = id;
            m["last-sequence-number"] = sequence;
            m["last-updated-ms"] = at.ToUnixTimeMilliseconds();
            m["refs"] = new JsonObject { ["main"] = new JsonObject { ["snapshot-id"] = id, ["type"] = "branch" } };
            WriteMetadata(entry);
            return id;
        }
    }

    public void CreateView(IReadOnlyList<string> levels, string name, IReadOnlyList<IcebergColumn> columns, string sql, IReadOnlyDictionary<string, string> properties)
    {
        var (schema, _) = IcebergSchemaJson.Schema(0, columns);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var location = Location(levels, name);
        var view = new JsonObject
        {
            ["view-uuid"] = Guid.NewGuid().ToString(),
            ["format-version"] = 1,
            ["location"] = "file://" + location,
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
        Add(_views, levels, name, new Entry(view, location, data: null));
    }

    private void Add(Dictionary<string, Entry> entries, IReadOnlyList<string> levels, string name, Entry entry)
    {
        lock (_lock)
        {
            if (!_namespaces.ContainsKey(Key(levels))) throw new ArgumentException($"no namespace {string.Join('.', levels)}");
            if (_tables.ContainsKey(Key(levels, name)) || _views.ContainsKey(Key(levels, name))) throw new ArgumentException($"{string.Join('.', levels)}.{name} exists");
            entries[Key(levels, name)] = entry;
            WriteMetadata(entry);
        }
    }

    /// <summary>A directory per level and one for the table, each name percent-encoded (a dot, quote or space stays a single safe path part).</summary>
    private string Location(IReadOnlyList<string> levels, string name) => Path.Combine([root, .. levels.Select(Uri.EscapeDataString), Uri.EscapeDataString(name)]);

    /// <summary>Writes the next metadata file (<c>NNNNN-uuid.metadata.json</c>), logging the previous one in a table's <c>metadata-log</c>.</summary>
    private static void WriteMetadata(Entry entry)
    {
        if (entry.MetadataLocation is { } previous && entry.Metadata["metadata-log"] is JsonArray log)
            log.Add(new JsonObject { ["metadata-file"] = previous, ["timestamp-ms"] = entry.WrittenMs });
        entry.Version++;
        var file = Path.Combine(entry.Location, "metadata", $"{entry.Version:D5}-{Guid.NewGuid()}.metadata.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, entry.Metadata.ToJsonString(Indented));
        entry.MetadataLocation = "file://" + file;
        entry.WrittenMs = entry.Metadata["last-updated-ms"]?.GetValue<long>() ?? entry.Metadata["version-log"]!.AsArray()[^1]!["timestamp-ms"]!.GetValue<long>();
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, string> properties)
    {
        var o = new JsonObject();
        foreach (var (k, v) in properties) o[k] = v;
        return o;
    }
}
