using KernelGateway.Platform.Metastore;

namespace KernelGateway.Extensions.Metastore.SqlCompletion;

/// <summary>
/// The names of one connection, as completion needs them, from the kernel's shared <see cref="MetastoreClient"/> and
/// its cache. A frontend waits on completion while the user types, so every lookup is bounded: one that is not
/// answered within <see cref="Bound"/> counts as "nothing known yet" and keeps running, so its answer is cached for
/// the next keystroke. A lookup that fails (unknown name, engine down) also gives nothing: completion then offers
/// keywords only, and never fails.
/// </summary>
internal sealed class SqlNameSource(MetastoreClient metastore, string connection, TimeSpan bound)
{
    /// <summary>How long one request waits for the metastore.</summary>
    public TimeSpan Bound => bound;

    /// <summary>The connection whose names these are.</summary>
    public string Connection => connection;

    /// <summary>The catalogs, or empty.</summary>
    public async Task<IReadOnlyList<MetastoreCatalog>> CatalogsAsync(CancellationToken cancellationToken) =>
        (await Bounded(metastore.ListCatalogsAsync(connection, CancellationToken.None), cancellationToken).ConfigureAwait(false))?.Items ?? [];

    /// <summary>The schemas of a catalog, or empty.</summary>
    public async Task<IReadOnlyList<MetastoreSchema>> SchemasAsync(string catalog, CancellationToken cancellationToken) =>
        await Bounded(metastore.ListSchemasAsync(new MetastoreAddress(connection, catalog), CancellationToken.None), cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>The tables and views of a schema, or empty.</summary>
    public async Task<IReadOnlyList<MetastoreTableSummary>> TablesAsync(string catalog, string schema, CancellationToken cancellationToken) =>
        await Bounded(metastore.ListTablesAsync(new MetastoreAddress(connection, catalog, schema), CancellationToken.None), cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>A table, or null.</summary>
    public Task<MetastoreTable?> DescribeAsync(MetastoreAddress table, CancellationToken cancellationToken) =>
        Bounded(metastore.DescribeAsync(table, CancellationToken.None), cancellationToken);

    /// <summary>The default catalog and, in it, the schema unqualified names resolve in (by the engines' usual names), when known.</summary>
    public async Task<(string? Catalog, string? Schema)> HomeAsync(string? preferredSchema, CancellationToken cancellationToken)
    {
        var catalogs = await CatalogsAsync(cancellationToken).ConfigureAwait(false);
        var catalog = (catalogs.FirstOrDefault(c => c.IsDefault) ?? (catalogs.Count == 1 ? catalogs[0] : null))?.Name;
        if (catalog is null) return (null, null);
        var schemas = (await SchemasAsync(catalog, cancellationToken).ConfigureAwait(false)).Select(s => s.Name).ToList();
        string[] usual = preferredSchema is null ? ["main", "public", "default"] : [preferredSchema, "main", "public", "default"];
        return (catalog, usual.FirstOrDefault(u => schemas.Contains(u, StringComparer.Ordinal)) ?? (schemas.Count == 1 ? schemas[0] : null));
    }

    /// <summary>
    /// A table the statement names with one to three parts: qualified from the home catalog and schema as the engine
    /// would, then described; null when unknown.
    /// </summary>
    public async Task<MetastoreTable?> ResolveAsync(IReadOnlyList<string> parts, string? preferredSchema, CancellationToken cancellationToken)
    {
        var (catalog, schema) = parts.Count >= 3 ? (parts[^3], parts[^2]) : await HomeAsync(preferredSchema, cancellationToken).ConfigureAwait(false);
        if (parts.Count == 2) schema = parts[0];
        if (catalog is null || schema is null) return null;
        return await DescribeAsync(new MetastoreAddress(connection, catalog, schema, parts[^1]), cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> Bounded<T>(Task<T> lookup, CancellationToken cancellationToken) where T : class
    {
        try
        {
            var done = await Task.WhenAny(lookup, Task.Delay(bound, cancellationToken)).ConfigureAwait(false);
            return done == lookup ? await lookup.ConfigureAwait(false) : null;
        }
        catch (Exception e) when (e is MetastoreException or ArgumentException or FormatException)
        {
            return null;
        }
        finally
        {
            _ = lookup.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }
}
