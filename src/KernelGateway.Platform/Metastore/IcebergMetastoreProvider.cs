using KernelGateway.Platform.Iceberg;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// An Iceberg REST catalog as one metastore catalog (named by the connection's warehouse, else <c>iceberg</c>),
/// whose schemas are its namespaces at every level, nested ones named by their levels joined with <c>.</c>
/// (<c>sales.eu</c>). A level that itself holds a dot is still found by the name the listing gave it, as long as no
/// nested namespace spells the same name. Tables and views: names, kinds and the <c>comment</c> property (which
/// the listing does not carry: each table's metadata is loaded for it, at most 8 at once, and only for schemas of
/// up to <see cref="MaxCommentLoads"/> tables; larger ones list without comments). A table describes from its
/// metadata: the current schema's columns (Iceberg's type names, <c>required</c> as not nullable, <c>doc</c> as
/// comment, partition sources marked), the default partition spec (<c>day(ordered_on), bucket[16](id)</c>),
/// location, format (<c>write.format.default</c>, parquet when unset), owner, properties, the current snapshot's
/// <c>total-records</c> and <c>total-files-size</c>, and every snapshot, oldest first. A view describes from its
/// current version: schema and SQL. Search covers namespaces and table names with the comments a listing gives;
/// columns would cost a metadata load per table, so search leaves them out.
/// </summary>
internal sealed class IcebergMetastoreProvider(string connection, Func<IcebergRestClient> client) : IMetastoreProvider
{
    public const int MaxCommentLoads = 200;
    private const int Parallelism = 8;

    private readonly MetastoreAddress _root = new(connection);
    private readonly Dictionary<string, List<string>> _levels = new(StringComparer.Ordinal);

    private string CatalogName => client().Options.Warehouse ?? "iceberg";

    public Task<IReadOnlyList<MetastoreCatalog>> ListCatalogsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MetastoreCatalog>>(
            [new MetastoreCatalog(_root.Child(CatalogName), Comment: null, IsDefault: true, new Dictionary<string, string> { ["uri"] = client().Options.BaseUri.ToString() })]);

    public async Task<IReadOnlyList<MetastoreSchema>> ListSchemasAsync(string catalog, CancellationToken cancellationToken)
    {
        if (catalog != CatalogName) return [];
        var all = await AllNamespacesAsync(cancellationToken).ConfigureAwait(false);
        var at = _root.Child(catalog);
        var loaded = await ForEachAsync(all, async (levels, ct) => await client().LoadNamespaceAsync(levels, ct).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return all.Zip(loaded).Select(p => new MetastoreSchema(at.Child(Name(p.First)), Property(p.Second.Properties, "comment"), Property(p.Second.Properties, "owner")))
            .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<MetastoreTableSummary>> ListTablesAsync(string catalog, string schema, CancellationToken cancellationToken)
    {
        if (catalog != CatalogName || await LevelsAsync(schema, cancellationToken).ConfigureAwait(false) is not { } levels) return [];
        var at = _root.Child(catalog).Child(schema);
        List<IcebergIdentifier> tables, views;
        try
        {
            var t = client().ListTablesAsync(levels, cancellationToken);
            var v = client().ListViewsAsync(levels, cancellationToken);
            await Task.WhenAll(t, v).ConfigureAwait(false);
            (tables, views) = (t.Result, v.Result);
        }
        catch (IcebergException e) when (e.IsNotFound)
        {
            return [];
        }
        var entries = tables.Select(t => (t.Name, View: false)).Concat(views.Select(v => (v.Name, View: true))).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        var comments = entries.Count <= MaxCommentLoads
            ? await ForEachAsync(entries, (e, ct) => CommentAsync(levels, e.Name, e.View, ct), cancellationToken).ConfigureAwait(false)
            : new string?[entries.Count];
        return entries.Select((e, i) => new MetastoreTableSummary(at.Child(e.Name), e.View ? MetastoreTableKind.View : MetastoreTableKind.Table, comments[i])).ToList();
    }

    public async Task<MetastoreTable?> DescribeAsync(string catalog, string schema, string table, CancellationToken cancellationToken)
    {
        if (catalog != CatalogName || await LevelsAsync(schema, cancellationToken).ConfigureAwait(false) is not { } levels) return null;
        var address = _root.Child(catalog).Child(schema).Child(table);
        try
        {
            return IcebergTableDescription.Of(address, await client().LoadTableAsync(levels, table, cancellationToken).ConfigureAwait(false));
        }
        catch (IcebergException e) when (e.IsNotFound && e.Type is not "NoSuchNamespaceException")
        {
            // not a table: perhaps a view
        }
        catch (IcebergException e) when (e.IsNotFound)
        {
            return null;
        }
        try
        {
            return IcebergTableDescription.Of(address, await client().LoadViewAsync(levels, table, cancellationToken).ConfigureAwait(false));
        }
        catch (IcebergException e) when (e.IsNotFound || e.Status == System.Net.HttpStatusCode.BadRequest)
        {
            return null;
        }
    }

    public async Task<MetastoreNames> ListNamesAsync(int limit, CancellationToken cancellationToken)
    {
        var schemas = await ListSchemasAsync(CatalogName, cancellationToken).ConfigureAwait(false);
        var names = schemas.Select(s => new MetastoreName(s.Address, null, s.Comment)).ToList();
        foreach (var schema in schemas)
        {
            if (names.Count > limit) break;
            var tables = await ListTablesAsync(CatalogName, schema.Name, cancellationToken).ConfigureAwait(false);
            names.AddRange(tables.Select(t => new MetastoreName(t.Address, t.Kind, t.Comment)));
        }
        return ProviderSql.Names(names, limit);
    }

    /// <summary>Every namespace, breadth first from the top level (each level's children through <c>parent</c>).</summary>
    private async Task<List<List<string>>> AllNamespacesAsync(CancellationToken cancellationToken)
    {
        var all = new List<List<string>>();
        var level = await client().ListNamespacesAsync(null, cancellationToken).ConfigureAwait(false);
        while (level.Count > 0)
        {
            all.AddRange(level);
            var children = await ForEachAsync(level, (ns, ct) => ChildrenAsync(ns, ct), cancellationToken).ConfigureAwait(false);
            level = children.SelectMany(c => c).Where(c => all.All(known => !known.SequenceEqual(c))).ToList();
        }
        lock (_levels)
        {
            foreach (var ns in all) _levels[Name(ns)] = ns;
        }
        return all;
    }

    /// <summary>A namespace's children; a server without nested namespaces may refuse <c>parent</c>, which means none.</summary>
    private async Task<List<List<string>>> ChildrenAsync(List<string> parent, CancellationToken cancellationToken)
    {
        try
        {
            var children = await client().ListNamespacesAsync(parent, cancellationToken).ConfigureAwait(false);
            return children.Where(c => c.Count > parent.Count && c.Take(parent.Count).SequenceEqual(parent)).ToList();
        }
        catch (IcebergException e) when (e.Status is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }
    }

    /// <summary>The levels of a schema name: as a listing named it, else (names never listed) the name as one level.</summary>
    private async Task<List<string>?> LevelsAsync(string schema, CancellationToken cancellationToken)
    {
        lock (_levels)
        {
            if (_levels.TryGetValue(schema, out var known)) return known;
        }
        await AllNamespacesAsync(cancellationToken).ConfigureAwait(false);
        lock (_levels)
        {
            return _levels.GetValueOrDefault(schema);
        }
    }

    private async Task<string?> CommentAsync(List<string> levels, string name, bool view, CancellationToken cancellationToken)
    {
        try
        {
            return view
                ? Property((await client().LoadViewAsync(levels, name, cancellationToken).ConfigureAwait(false)).Metadata.Properties, "comment")
                : Property((await client().LoadTableAsync(levels, name, cancellationToken).ConfigureAwait(false)).Metadata.Properties, "comment");
        }
        catch (IcebergException e) when (e.IsNotFound)
        {
            return null; // dropped since the listing
        }
    }

    private static async Task<TResult[]> ForEachAsync<T, TResult>(IReadOnlyList<T> items, Func<T, CancellationToken, Task<TResult>> each, CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];
        await Parallel.ForAsync(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await each(items[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    private static string Name(List<string> levels) => string.Join('.', levels);

    private static string? Property(Dictionary<string, string>? properties, string key) =>
        properties?.GetValueOrDefault(key) is { Length: > 0 } v ? v : null;
}
