using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Spark.Connect.Proto;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// A Spark cluster's catalog over Spark Connect's Catalog relations (what <c>spark.catalog</c> sends): catalogs from
/// <c>listCatalogs</c> with <c>currentCatalog</c> as the default, databases of the current catalog from
/// <c>listDatabases</c> (with their comments) and of any other catalog from <c>SHOW NAMESPACES IN</c>, tables and
/// views from <c>listTables</c> (temporary views left out: they belong to a session, not the catalog), a table from
/// <c>getTable</c> and <c>listColumns</c> (partition columns marked), and its owner, location, provider, properties,
/// partitioning, statistics and view text from <c>DESCRIBE TABLE EXTENDED</c> — optional: a server that refuses
/// it just gives less. Every name is sent fully qualified and back-quoted. Spark resolves names case-insensitively;
/// lookups here are exact, as the interface asks, so <c>ORDERS</c> does not describe <c>orders</c>. Catalog relations
/// need Spark 3.4 or later.
/// </summary>
/// <param name="connection">The connection's name, the first part of every address.</param>
/// <param name="client">The client the lookups run on (a session of its own: lookups never touch a user's).</param>
internal sealed class SparkMetastoreProvider(string connection, Func<SparkConnectClient> client) : IMetastoreProvider
{
    private readonly MetastoreAddress _root = new(connection);

    public async Task<IReadOnlyList<MetastoreCatalog>> ListCatalogsAsync(CancellationToken cancellationToken)
    {
        var current = CurrentCatalogAsync(cancellationToken);
        var catalogs = RowsAsync<CatalogRow>(new Catalog { ListCatalogs = new ListCatalogs() }, cancellationToken);
        await Task.WhenAll(current, catalogs).ConfigureAwait(false);
        return catalogs.Result.OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new MetastoreCatalog(_root.Child(c.Name), NullIfEmpty(c.Description), c.Name == current.Result, new Dictionary<string, string>())).ToList();
    }

    public async Task<IReadOnlyList<MetastoreSchema>> ListSchemasAsync(string catalog, CancellationToken cancellationToken)
    {
        var at = _root.Child(catalog);
        if (catalog == await CurrentCatalogAsync(cancellationToken).ConfigureAwait(false))
        {
            var databases = await RowsAsync<DatabaseRow>(new Catalog { ListDatabases = new ListDatabases() }, cancellationToken).ConfigureAwait(false);
            return databases.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => new MetastoreSchema(at.Child(d.Name), NullIfEmpty(d.Description), Owner: null)).ToList();
        }
        var names = await NotFoundAsEmpty(() => client().QueryAsync<string>($"SHOW NAMESPACES IN {SparkNames.Quote(catalog)}", null, cancellationToken)).ConfigureAwait(false);
        return names.Order(StringComparer.Ordinal).Select(n => new MetastoreSchema(at.Child(n), Comment: null, Owner: null)).ToList();
    }

    public async Task<IReadOnlyList<MetastoreTableSummary>> ListTablesAsync(string catalog, string schema, CancellationToken cancellationToken)
    {
        var at = _root.Child(catalog).Child(schema);
        var tables = await TablesAsync(catalog, schema, cancellationToken).ConfigureAwait(false);
        return tables.Select(t => new MetastoreTableSummary(at.Child(t.Name), SparkNames.Kind(t.TableType), NullIfEmpty(t.Description))).ToList();
    }

    public async Task<MetastoreTable?> DescribeAsync(string catalog, string schema, string table, CancellationToken cancellationToken)
    {
        var address = _root.Child(catalog).Child(schema).Child(table);
        var name = SparkNames.Quote(catalog, schema, table);
        var found = await NotFoundAsEmpty(() => RowsAsync<TableRow>(new Catalog { GetTable = new GetTable { TableName = name } }, cancellationToken)).ConfigureAwait(false);
        if (found is not [var row] || row.Name != table) return null;
        var columns = RowsAsync<ColumnRow>(new Catalog { ListColumns = new ListColumns { TableName = name } }, cancellationToken);
        var details = DetailsAsync(name, cancellationToken);
        await Task.WhenAll(columns, details).ConfigureAwait(false);
        var d = details.Result;
        return new MetastoreTable
        {
            Address = address,
            Kind = SparkNames.Kind(row.TableType),
            Comment = NullIfEmpty(row.Description) ?? d.Comment,
            Owner = d.Owner,
            Location = d.Location,
            Format = d.Provider,
            PartitionSpec = d.PartitionSpec,
            Definition = d.ViewText,
            Properties = d.Properties,
            RowCount = d.RowCount,
            SizeBytes = d.SizeBytes,
            Columns = columns.Result.Select((c, i) => new MetastoreColumn(address.Child(c.Name), c.DataType, SqlTypeNames.TableSchemaType(c.DataType), c.Nullable,
                NullIfEmpty(c.Description), i + 1, c.IsPartition || d.PartitionColumns.Contains(c.Name))).ToList(),
        };
    }

    public async Task<MetastoreNames> ListNamesAsync(int limit, CancellationToken cancellationToken)
    {
        var names = new List<MetastoreName>();
        var schemas = new List<MetastoreSchema>();
        foreach (var catalog in await ListCatalogsAsync(cancellationToken).ConfigureAwait(false))
        {
            var inCatalog = await ListSchemasAsync(catalog.Name, cancellationToken).ConfigureAwait(false);
            schemas.AddRange(inCatalog);
            names.AddRange(inCatalog.Select(s => new MetastoreName(s.Address, null, s.Comment)));
            if (names.Count > limit) return ProviderSql.Names(names, limit);
        }
        // Tables schema by schema (one listTables each); columns would cost a lookup per table, so search leaves them out.
        foreach (var schema in schemas)
        {
            var tables = await TablesAsync(schema.Address.Catalog!, schema.Name, cancellationToken).ConfigureAwait(false);
            names.AddRange(tables.Select(t => new MetastoreName(schema.Address.Child(t.Name), SparkNames.Kind(t.TableType), NullIfEmpty(t.Description))));
            if (names.Count > limit) break;
        }
        return ProviderSql.Names(names, limit);
    }

    private async Task<List<TableRow>> TablesAsync(string catalog, string schema, CancellationToken cancellationToken)
    {
        var rows = await NotFoundAsEmpty(() => RowsAsync<TableRow>(new Catalog { ListTables = new ListTables { DbName = SparkNames.Quote(catalog, schema) } }, cancellationToken))
            .ConfigureAwait(false);
        return rows.Where(t => !t.IsTemporary).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    private async Task<string> CurrentCatalogAsync(CancellationToken cancellationToken) =>
        (await RowsAsync<string>(new Catalog { CurrentCatalog = new CurrentCatalog() }, cancellationToken).ConfigureAwait(false)).Single();

    /// <summary>DESCRIBE TABLE EXTENDED, or nothing when the server refuses it.</summary>
    private async Task<SparkTableDetails> DetailsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await client().QueryAsync<(string? Name, string? Type, string? Comment)>($"DESCRIBE TABLE EXTENDED {name}", null, cancellationToken)
                .ConfigureAwait(false);
            return SparkTableDetails.Parse(rows.Select(r => (r.Name ?? "", r.Type ?? "", r.Comment)));
        }
        catch (SparkConnectException)
        {
            return SparkTableDetails.Parse([]);
        }
    }

    private Task<IReadOnlyList<T>> RowsAsync<T>(Catalog lookup, CancellationToken cancellationToken) =>
        client().CollectAsync<T>(new Relation { Catalog = lookup }, cancellationToken);

    /// <summary>A lookup of a catalog, schema or table that may not exist: not found is an empty answer (the interface lists it as empty).</summary>
    private static async Task<IReadOnlyList<T>> NotFoundAsEmpty<T>(Func<Task<IReadOnlyList<T>>> lookup)
    {
        try
        {
            return await lookup().ConfigureAwait(false);
        }
        catch (SparkConnectException e) when (SparkNames.IsNotFound(e))
        {
            return [];
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    // Rows of Spark's catalog classes (org.apache.spark.sql.catalog), mapped by column name.
    private sealed class CatalogRow { public string Name { get; set; } = ""; public string? Description { get; set; } }

    private sealed class DatabaseRow { public string Name { get; set; } = ""; public string? Description { get; set; } }

    private sealed class TableRow
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string TableType { get; set; } = "";
        public bool IsTemporary { get; set; }
    }

    private sealed class ColumnRow
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string DataType { get; set; } = "";
        public bool Nullable { get; set; }
        public bool IsPartition { get; set; }
    }
}
