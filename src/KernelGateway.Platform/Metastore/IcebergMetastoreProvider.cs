using KernelGateway.Platform.Iceberg;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// An Iceberg REST catalog as one metastore catalog, the connection's default, named by the connection's
/// <c>Warehouse</c> (else <c>iceberg</c>).
/// <para>
/// Schemas are its namespaces at every level (found through <c>parent</c>), with the <c>comment</c> and <c>owner</c>
/// properties; a nested namespace is named by its levels joined with <c>.</c> (<c>sales.eu</c>). So a level that holds
/// a dot itself (namespace <c>["a.b"]</c>) is named like the nested <c>["a", "b"]</c>. The provider remembers which
/// levels each listed name stands for, so such a namespace is still found by its listed name; only when both exist do
/// they share the name, listed twice, and lookups by it reach the nested one (found later, as the walk is breadth first).
/// </para>
/// <para>
/// Tables and views are listed with their kinds and the <c>comment</c> property. The listing itself carries no
/// comment, so each table's or view's metadata is loaded for it (only the current snapshot, at most
/// <see cref="Parallelism"/> at once), for schemas of up to <see cref="MaxCommentLoads"/> entries; larger ones list
/// without comments.
/// </para>
/// <para>
/// A table describes from its metadata: the current schema's columns (Iceberg's type names such as <c>long</c>,
/// <c>decimal(10,2)</c>, <c>list&lt;string&gt;</c>; <c>required</c> as not nullable; <c>doc</c> as the comment;
/// partition sources marked), the default partition spec (<c>day(ordered_on), bucket[16](id)</c>), location, format
/// (<c>write.format.default</c>, parquet when unset), owner, properties, the current snapshot's <c>total-records</c>
/// and <c>total-files-size</c>, and every snapshot, oldest first. A view describes from its current version: schema and
/// SQL.
/// </para>
/// <para>
/// Search (<see cref="ListNamesAsync"/>) goes level by level: every namespace with its comment, then table and view
/// names. Their comments cost a metadata load each, so they are loaded only for the entries that fit in the limit
/// (never every table of a large catalog); columns would cost the same per table, so search leaves them out.
/// </para>
/// </summary>
/// <param name="connection">The connection's name, the first part of every address.</param>
/// <param name="client">The client the lookups run on.</param>
internal sealed class IcebergMetastoreProvider(string connection, Func<IcebergRestClient> client) : IMetastoreProvider
{
    /// <summary>The catalog's name when the connection names no warehouse.</summary>
    public const string DefaultCatalog = "iceberg";

    /// <summary>The most tables and views of one schema whose comments a listing loads.</summary>
    public const int MaxCommentLoads = 200;

    /// <summary>The most metadata loads at once.</summary>
    public const int Parallelism = 8;

    private readonly MetastoreAddress _root = new(connection);
    private readonly Dictionary<string, List<string>> _levels = new(StringComparer.Ordinal);

    private string CatalogName => client().Options.Warehouse ?? DefaultCatalog;

    public Task<IReadOnlyList<MetastoreCatalog>> ListCatalogsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MetastoreCatalog>>(
            [new MetastoreCatalog(_root.Child(CatalogName), Comment: null, IsDefault: true, new Dictionary<string, string> { ["uri"] = client().Options.BaseUri.ToString() })]);

    public async Task<IReadOnlyList<MetastoreSchema>> ListSchemasAsync(string catalog, CancellationToken cancellationToken)
    {
        if (catalog != CatalogName) return [];
        var all = await AllNamespacesAsync(cancellationToken).ConfigureAwait(false);
        var at = _root.Child(catalog);
        var loaded = await ForEachAsync(all, LoadNamespaceAsync, cancellationToken).ConfigureAwait(false);
        return all.Zip(loaded).Where(p => p.Second is not null)
            .Select(p => new MetastoreSchema(at.Child(Name(p.First)), Property(p.Second!.Properties, "comment"), Property(p.Second.Properties, "owner")))
            .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<MetastoreTableSummary>> ListTablesAsync(string catalog, string schema, CancellationToken cancellationToken)
    {
        if (catalog != CatalogName || await LevelsAsync(schema, cancellationToken).ConfigureAwait(false) is not { } levels) return [];
        var entries = await EntriesAsync(levels, cancellationToken).ConfigureAwait(false);
        var comments = entries.Count <= MaxCommentLoads ? await CommentsAsync(levels, entries, cancellationToken).ConfigureAwait(false) : new string?[entries.Count];
        var at = _root.Child(catalog).Child(schema);
        return entries.Select((e, i) => new MetastoreTableSummary(at.Child(e.Name), e.Kind, comments[i])).ToList();
    }

    public async Task<MetastoreTable?> DescribeAsync(string catalog, string schema, string table, CancellationToken cancellationToken)
    {
        if (catalog != CatalogName || await LevelsAsync(schema, cancellationToken).ConfigureAwait(false) is not { } levels) return null;
        var address = _root.Child(catalog).Child(schema).Child(table);
        try
        {
            return IcebergTableDescription.Of(address, await client().LoadTableAsync(levels, table, cancellationToken).ConfigureAwait(false));
        }
        catch (IcebergException e) when (e.IsNotFound && !e.IsNoSuchNamespace)
        {
            // not a table: perhaps a view
        }
        catch (IcebergException e) when (e.IsNotFound)
        {
            return null;
        }
        try
        {
            return await client().LoadViewAsync(levels, table, cancellationToken).ConfigureAwait(false) is { } view ? IcebergTableDescription.Of(address, view) : null;
        }
        catch (IcebergException e) when (e.IsNotFound)
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
            var room = limit + 1 - names.Count; // one more than the limit, to know there were more
            if (room <= 0) break;
            if (await LevelsAsync(schema.Name, cancellationToken).ConfigureAwait(false) is not { } levels) continue;
            var entries = (await EntriesAsync(levels, cancellationToken).ConfigureAwait(false)).Take(room).ToList();
            var comments = await CommentsAsync(levels, entries, cancellationToken).ConfigureAwait(false);
            names.AddRange(entries.Select((e, i) => new MetastoreName(schema.Address.Child(e.Name), e.Kind, comments[i])));
        }
        return ProviderSql.Names(names, limit);
    }

    /// <summary>The tables and views of a namespace by name (empty when it is gone).</summary>
    private async Task<List<(string Name, MetastoreTableKind Kind)>> EntriesAsync(List<string> levels, CancellationToken cancellationToken)
    {
        try
        {
            var tables = client().ListTablesAsync(levels, cancellationToken);
            var views = client().ListViewsAsync(levels, cancellationToken);
            await Task.WhenAll(tables, views).ConfigureAwait(false);
            return tables.Result.Select(t => (t.Name, MetastoreTableKind.Table)).Concat(views.Result.Select(v => (v.Name, MetastoreTableKind.View)))
                .OrderBy(e => e.Item1, StringComparer.Ordinal).ToList();
        }
        catch (IcebergException e) when (e.IsNotFound)
        {
            return [];
        }
    }

    /// <summary>The <c>comment</c> property of each entry, from its metadata (a table's with its current snapshot only).</summary>
    private Task<string?[]> CommentsAsync(List<string> levels, List<(string Name, MetastoreTableKind Kind)> entries, CancellationToken cancellationToken) =>
        ForEachAsync(entries, async (e, ct) =>
        {
            try
            {
                return e.Kind == MetastoreTableKind.View
                    ? Property((await client().LoadViewAsync(levels, e.Name, ct).ConfigureAwait(false))?.Metadata.Properties, "comment")
                    : Property((await client().LoadTableAsync(levels, e.Name, ct, allSnapshots: false).ConfigureAwait(false)).Metadata.Properties, "comment");
            }
            catch (IcebergException x) when (x.IsNotFound)
            {
                return null; // dropped since the listing
            }
        }, cancellationToken);

    /// <summary>Every namespace, breadth first from the top level (each one's children through <c>parent</c>).</summary>
    private async Task<List<List<string>>> AllNamespacesAsync(CancellationToken cancellationToken)
    {
        var all = new List<List<string>>();
        var level = await client().ListNamespacesAsync(null, cancellationToken).ConfigureAwait(false);
        while (level.Count > 0)
        {
            all.AddRange(level);
            var children = await ForEachAsync(level, ChildrenAsync, cancellationToken).ConfigureAwait(false);
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

    /// <summary>A namespace's properties, or null when it was dropped since the listing.</summary>
    private async Task<IcebergNamespace?> LoadNamespaceAsync(List<string> levels, CancellationToken cancellationToken)
    {
        try
        {
            return await client().LoadNamespaceAsync(levels, cancellationToken).ConfigureAwait(false);
        }
        catch (IcebergException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>The levels a schema name stands for, as a listing named it (the catalog is walked for a name not seen yet); null when none.</summary>
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
