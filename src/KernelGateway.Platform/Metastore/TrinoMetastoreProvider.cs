using System.Globalization;
using KernelGateway.Platform.Trino;
using static KernelGateway.Platform.Metastore.TrinoSqlNames;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// A Trino (or Presto) coordinator's catalog through SQL: catalogs from <c>SHOW CATALOGS</c> (the session catalog
/// is the default), schemas, tables, views and columns from each catalog's <c>information_schema</c> (its own
/// schema left out), table comments from <c>system.metadata.table_comments</c>, materialized views from
/// <c>system.metadata.materialized_views</c>, and a table's DDL, comment and properties (format, location, partition
/// keys) from <c>SHOW CREATE TABLE</c> and its <c>"t$properties"</c> hidden table. Those last four are optional:
/// a server or connector that refuses them (Presto, older Trino, the memory connector's missing
/// <c>$properties</c>) just gives less. Search leaves out the <c>system</c> catalog (runtime tables, not data).
/// Trino has no per-table sizes or row counts in its metadata; Hive's <c>numRows</c> and <c>totalSize</c>
/// parameters are used when <c>$properties</c> has them.
/// </summary>
/// <param name="connection">The connection's name, the first part of every address.</param>
/// <param name="client">The client the lookups run on (its own session: metastore queries never touch a user's).</param>
internal sealed class TrinoMetastoreProvider(string connection, Func<TrinoClient> client) : IMetastoreProvider
{
    private const string SystemCatalog = "system";
    private const string OwnSchema = "information_schema";

    private readonly MetastoreAddress _root = new(connection);

    public async Task<IReadOnlyList<MetastoreCatalog>> ListCatalogsAsync(CancellationToken cancellationToken)
    {
        var home = client().Options.Catalog;
        var rows = await RowsAsync("SHOW CATALOGS", cancellationToken).ConfigureAwait(false);
        return rows.Select(r => (string)r[0]!).Order(StringComparer.Ordinal)
            .Select(name => new MetastoreCatalog(_root.Child(name), Comment: null, IsDefault: name == home, new Dictionary<string, string>())).ToList();
    }

    public async Task<IReadOnlyList<MetastoreSchema>> ListSchemasAsync(string catalog, CancellationToken cancellationToken)
    {
        var at = _root.Child(catalog);
        var rows = await InCatalogAsync(catalog, SchemasSql(catalog, most: null), cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new MetastoreSchema(at.Child((string)r[0]!), Comment: null, Owner: null)).ToList();
    }

    public async Task<IReadOnlyList<MetastoreTableSummary>> ListTablesAsync(string catalog, string schema, CancellationToken cancellationToken)
    {
        var at = _root.Child(catalog).Child(schema);
        var tables = InCatalogAsync(catalog, $"""
            SELECT table_name, table_type FROM {Identifier(catalog)}.information_schema.tables
            WHERE table_schema = {Literal(schema)} ORDER BY table_name
            """, cancellationToken);
        var facts = TrinoTableFacts.LoadAsync(Optional, catalog, schema, cancellationToken);
        await Task.WhenAll(tables, facts).ConfigureAwait(false);
        return tables.Result.Select(r => (Name: (string)r[0]!, Type: r[1] as string))
            .Select(t => new MetastoreTableSummary(at.Child(t.Name), facts.Result.Kind(schema, t.Name, t.Type), facts.Result.Comment(schema, t.Name))).ToList();
    }

    public async Task<MetastoreTable?> DescribeAsync(string catalog, string schema, string table, CancellationToken cancellationToken)
    {
        var address = _root.Child(catalog).Child(schema).Child(table);
        var where = $"WHERE table_schema = {Literal(schema)} AND table_name = {Literal(table)}";
        var found = InCatalogAsync(catalog, $"SELECT table_type FROM {Identifier(catalog)}.information_schema.tables {where}", cancellationToken);
        var columns = InCatalogAsync(catalog, $"""
            SELECT column_name, data_type, is_nullable, comment, ordinal_position FROM {Identifier(catalog)}.information_schema.columns
            {where} ORDER BY ordinal_position
            """, cancellationToken);
        var facts = TrinoTableFacts.LoadAsync(Optional, catalog, schema, cancellationToken, table);
        await Task.WhenAll(found, columns, facts).ConfigureAwait(false);
        if (found.Result.Count == 0) return null;
        var kind = facts.Result.Kind(schema, table, found.Result[0][0] as string);
        var described = new MetastoreTable
        {
            Address = address,
            Kind = kind,
            Comment = facts.Result.Comment(schema, table),
            Definition = facts.Result.Definition(schema, table),
            Properties = facts.Result.Properties(schema, table),
            Columns = columns.Result.Select(r => new MetastoreColumn(address.Child((string)r[0]!), (string)r[1]!, SqlTypeNames.TableSchemaType((string)r[1]!),
                !"NO".Equals(r[2] as string, StringComparison.OrdinalIgnoreCase), NullIfEmpty(r[3] as string),
                Convert.ToInt32(r[4], CultureInfo.InvariantCulture), IsPartitionKey: false)).ToList(),
        };
        return kind == MetastoreTableKind.View
            ? described with { Definition = await ViewDefinitionAsync(catalog, where, cancellationToken).ConfigureAwait(false) }
            : await TrinoTableDetails.AddAsync(described, Optional, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MetastoreNames> ListNamesAsync(int limit, CancellationToken cancellationToken)
    {
        var catalogs = (await ListCatalogsAsync(cancellationToken).ConfigureAwait(false)).Select(c => c.Name).Where(c => c != SystemCatalog).ToList();
        var names = new List<MetastoreName>();
        // Level by level across the catalogs (schemas, then tables, then columns), as the other providers order them;
        // each query asks for no more than is left (one more than the limit, to know there were more).
        Func<string, int, CancellationToken, Task<IEnumerable<MetastoreName>>>[] levels = [SchemaNamesAsync, TableNamesAsync, ColumnNamesAsync];
        foreach (var level in levels)
        {
            foreach (var catalog in catalogs)
            {
                if (names.Count > limit) return ProviderSql.Names(names, limit);
                names.AddRange(await level(catalog, limit - names.Count + 1, cancellationToken).ConfigureAwait(false));
            }
        }
        return ProviderSql.Names(names, limit);
    }

    private async Task<IEnumerable<MetastoreName>> SchemaNamesAsync(string catalog, int most, CancellationToken cancellationToken)
    {
        var at = _root.Child(catalog);
        var rows = await InCatalogAsync(catalog, SchemasSql(catalog, most), cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new MetastoreName(at.Child((string)r[0]!), null, null));
    }

    private async Task<IEnumerable<MetastoreName>> TableNamesAsync(string catalog, int most, CancellationToken cancellationToken)
    {
        var tables = InCatalogAsync(catalog, $"""
            SELECT table_schema, table_name, table_type FROM {Identifier(catalog)}.information_schema.tables
            WHERE table_schema <> '{OwnSchema}' ORDER BY 1, 2 LIMIT {most}
            """, cancellationToken);
        var facts = TrinoTableFacts.LoadAsync(Optional, catalog, schema: null, cancellationToken);
        await Task.WhenAll(tables, facts).ConfigureAwait(false);
        return tables.Result.Select(r => (Schema: (string)r[0]!, Table: (string)r[1]!, Type: r[2] as string)).Select(t =>
            new MetastoreName(new MetastoreAddress(connection, catalog, t.Schema, t.Table), facts.Result.Kind(t.Schema, t.Table, t.Type), facts.Result.Comment(t.Schema, t.Table)));
    }

    private async Task<IEnumerable<MetastoreName>> ColumnNamesAsync(string catalog, int most, CancellationToken cancellationToken)
    {
        var rows = await InCatalogAsync(catalog, $"""
            SELECT table_schema, table_name, column_name, comment FROM {Identifier(catalog)}.information_schema.columns
            WHERE table_schema <> '{OwnSchema}' ORDER BY table_schema, table_name, ordinal_position LIMIT {most}
            """, cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new MetastoreName(new MetastoreAddress(connection, catalog, (string)r[0]!, (string)r[1]!, (string)r[2]!), null, NullIfEmpty(r[3] as string)));
    }

    private static string SchemasSql(string catalog, int? most) =>
        $"SELECT schema_name FROM {Identifier(catalog)}.information_schema.schemata WHERE schema_name <> '{OwnSchema}' ORDER BY schema_name"
        + (most is null ? "" : $" LIMIT {most}");

    private async Task<string?> ViewDefinitionAsync(string catalog, string where, CancellationToken cancellationToken) =>
        (await Optional($"SELECT view_definition FROM {Identifier(catalog)}.information_schema.views {where}", cancellationToken).ConfigureAwait(false))
            is { Rows: [var row, ..] } ? (row[0] as string)?.Trim() : null;

    private async Task<List<object?[]>> RowsAsync(string sql, CancellationToken cancellationToken) =>
        [.. (await client().QueryAsync(sql, null, cancellationToken).ConfigureAwait(false)).Rows];

    /// <summary>Rows of a query on one catalog; an unknown catalog has none (the interface lists it as empty).</summary>
    private async Task<List<object?[]>> InCatalogAsync(string catalog, string sql, CancellationToken cancellationToken)
    {
        try
        {
            return await RowsAsync(sql, cancellationToken).ConfigureAwait(false);
        }
        catch (TrinoQueryException e) when (e.ErrorName == "CATALOG_NOT_FOUND")
        {
            return [];
        }
    }

    /// <summary>Rows of a lookup the server may refuse (a system table it lacks, a hidden table its connector has not); null when refused.</summary>
    private async Task<TrinoResult?> Optional(string sql, CancellationToken cancellationToken)
    {
        try
        {
            return await client().QueryAsync(sql, null, cancellationToken).ConfigureAwait(false);
        }
        catch (TrinoQueryException)
        {
            return null;
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
