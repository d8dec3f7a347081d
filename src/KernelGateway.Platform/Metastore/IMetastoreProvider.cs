namespace KernelGateway.Platform.Metastore;

/// <summary>
/// What the federation asks of one connection's engine. Every method answers one level, lazily: listing a schema
/// never describes its tables. Names are exact (no case folding); an unknown catalog or schema lists as empty and an
/// unknown table describes as null. Methods may throw anything the engine throws: the federation turns it into a
/// scrubbed error entry, applies the timeout and caches the answers, so providers do neither.
/// </summary>
internal interface IMetastoreProvider
{
    /// <summary>The catalogs, with the connection's default marked.</summary>
    Task<IReadOnlyList<MetastoreCatalog>> ListCatalogsAsync(CancellationToken cancellationToken);

    /// <summary>The schemas of a catalog (system schemas left out).</summary>
    Task<IReadOnlyList<MetastoreSchema>> ListSchemasAsync(string catalog, CancellationToken cancellationToken);

    /// <summary>The tables and views of a schema: names, kinds and comments only.</summary>
    Task<IReadOnlyList<MetastoreTableSummary>> ListTablesAsync(string catalog, string schema, CancellationToken cancellationToken);

    /// <summary>One table's columns and details, or null when there is no such table.</summary>
    Task<MetastoreTable?> DescribeAsync(string catalog, string schema, string table, CancellationToken cancellationToken);

    /// <summary>
    /// Names and comments of schemas, tables and (where cheap) columns for search, at most <paramref name="limit"/>
    /// of them; <see cref="MetastoreNames.Truncated"/> says there were more.
    /// </summary>
    Task<MetastoreNames> ListNamesAsync(int limit, CancellationToken cancellationToken);
}
