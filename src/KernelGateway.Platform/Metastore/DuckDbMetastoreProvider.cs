using System.Collections;
using System.Data.Common;
using static KernelGateway.Platform.Metastore.ProviderSql;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// DuckDB's catalog through its metadata functions (<c>duckdb_databases()</c>, <c>duckdb_schemas()</c>,
/// <c>duckdb_tables()</c>, <c>duckdb_views()</c>, <c>duckdb_columns()</c>). Catalogs are the attached databases
/// (the internal <c>system</c> and <c>temp</c> left out). DuckDB keeps an estimated row count per table
/// (<c>estimated_size</c>) but no cheap per-table byte size, and no owners or schema comments.
/// </summary>
/// <param name="connection">The connection's name, the first part of every address.</param>
/// <param name="open">Opens a new DuckDB connection (the embedded warehouse's views, or the connection's database).</param>
internal sealed class DuckDbMetastoreProvider(string connection, Func<CancellationToken, Task<DbConnection>> open) : IMetastoreProvider
{
    private readonly MetastoreAddress _root = new(connection);

    public async Task<IReadOnlyList<MetastoreCatalog>> ListCatalogsAsync(CancellationToken cancellationToken)
    {
        await using var db = await open(cancellationToken).ConfigureAwait(false);
        return await RowsAsync(db, """
            SELECT database_name, comment, path, type, readonly, database_name = current_database()
            FROM duckdb_databases() WHERE NOT internal ORDER BY database_name
            """, new Dictionary<string, object?>(), r => new MetastoreCatalog(_root.Child(r.GetString(0)), Text(r, 1), Bool(r, 5),
                Properties(("path", Text(r, 2)), ("type", Text(r, 3)), ("readonly", Text(r, 4)?.ToLowerInvariant()))), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MetastoreSchema>> ListSchemasAsync(string catalog, CancellationToken cancellationToken)
    {
        await using var db = await open(cancellationToken).ConfigureAwait(false);
        var at = _root.Child(catalog);
        return await RowsAsync(db, "SELECT schema_name, comment FROM duckdb_schemas() WHERE database_name = $catalog ORDER BY schema_name",
            new Dictionary<string, object?> { ["catalog"] = catalog }, r => new MetastoreSchema(at.Child(r.GetString(0)), Text(r, 1), Owner: null), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MetastoreTableSummary>> ListTablesAsync(string catalog, string schema, CancellationToken cancellationToken)
    {
        await using var db = await open(cancellationToken).ConfigureAwait(false);
        var at = _root.Child(catalog).Child(schema);
        return await RowsAsync(db, """
            SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables() WHERE database_name = $catalog AND schema_name = $schema AND NOT internal
            UNION ALL
            SELECT view_name, 'view', comment FROM duckdb_views() WHERE database_name = $catalog AND schema_name = $schema AND NOT internal
            ORDER BY name
            """, new Dictionary<string, object?> { ["catalog"] = catalog, ["schema"] = schema },
            r => new MetastoreTableSummary(at.Child(r.GetString(0)), Kind(r.GetString(1)), Text(r, 2)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<MetastoreTable?> DescribeAsync(string catalog, string schema, string table, CancellationToken cancellationToken)
    {
        await using var db = await open(cancellationToken).ConfigureAwait(false);
        var names = new Dictionary<string, object?> { ["catalog"] = catalog, ["schema"] = schema, ["table"] = table };
        var address = _root.Child(catalog).Child(schema).Child(table);
        var found = await RowsAsync(db, """
            SELECT 'table' AS kind, comment, estimated_size, sql, temporary, has_primary_key, index_count, check_constraint_count, tags
            FROM duckdb_tables() WHERE database_name = $catalog AND schema_name = $schema AND table_name = $table AND NOT internal
            UNION ALL
            SELECT 'view', comment, NULL, sql, temporary, NULL, NULL, NULL, tags
            FROM duckdb_views() WHERE database_name = $catalog AND schema_name = $schema AND view_name = $table AND NOT internal
            """, names, r => new MetastoreTable
            {
                Address = address,
                Kind = Kind(r.GetString(0)),
                Comment = Text(r, 1),
                RowCount = Long(r, 2),
                Definition = Text(r, 3),
                Properties = WithTags(Properties(("temporary", Text(r, 4)?.ToLowerInvariant()), ("has_primary_key", Text(r, 5)?.ToLowerInvariant()),
                    ("index_count", Text(r, 6)), ("check_constraint_count", Text(r, 7))), r.IsDBNull(8) ? null : r.GetValue(8) as IDictionary),
                Columns = [],
            }, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0) return null;
        var columns = await RowsAsync(db, """
            SELECT column_name, data_type, is_nullable, comment, column_index FROM duckdb_columns()
            WHERE database_name = $catalog AND schema_name = $schema AND table_name = $table AND NOT internal ORDER BY column_index
            """, names, r => new MetastoreColumn(address.Child(r.GetString(0)), r.GetString(1), SqlTypeNames.TableSchemaType(r.GetString(1)),
                Bool(r, 2, ifNull: true), Text(r, 3), Convert.ToInt32(r.GetValue(4), System.Globalization.CultureInfo.InvariantCulture), IsPartitionKey: false), cancellationToken).ConfigureAwait(false);
        return found[0] with { Columns = columns };
    }

    public async Task<MetastoreNames> ListNamesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await open(cancellationToken).ConfigureAwait(false);
        var rows = await RowsAsync(db, """
            SELECT 3 AS level, s.database_name, s.schema_name, NULL AS table_name, NULL AS column_name, NULL AS kind, s.comment
            FROM duckdb_schemas() s JOIN duckdb_databases() d ON d.database_name = s.database_name WHERE NOT d.internal
            UNION ALL
            SELECT 4, database_name, schema_name, table_name, NULL, 'table', comment FROM duckdb_tables() WHERE NOT internal
            UNION ALL
            SELECT 4, database_name, schema_name, view_name, NULL, 'view', comment FROM duckdb_views() WHERE NOT internal
            UNION ALL
            SELECT 5, database_name, schema_name, table_name, column_name, NULL, comment FROM duckdb_columns() WHERE NOT internal
            ORDER BY level
            LIMIT $limit
            """, new Dictionary<string, object?> { ["limit"] = (long)limit + 1 },
            r => new MetastoreName(new MetastoreAddress(connection, r.GetString(1), r.GetString(2), Text(r, 3), Text(r, 4)),
                Text(r, 5) is { } kind ? Kind(kind) : null, Text(r, 6)), cancellationToken).ConfigureAwait(false);
        return Names(rows, limit);
    }

    private static MetastoreTableKind Kind(string kind) => kind == "view" ? MetastoreTableKind.View : MetastoreTableKind.Table;

    /// <summary>DuckDB's tags (<c>MAP(VARCHAR, VARCHAR)</c>) join the properties as <c>tag.name</c>.</summary>
    private static IReadOnlyDictionary<string, string> WithTags(IReadOnlyDictionary<string, string> properties, IDictionary? tags)
    {
        if (tags is null || tags.Count == 0) return properties;
        var all = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        foreach (DictionaryEntry tag in tags) all["tag." + tag.Key] = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        return all;
    }
}
