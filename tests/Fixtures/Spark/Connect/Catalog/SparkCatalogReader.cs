using DuckDB.NET.Data;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Catalog;

/// <summary>A catalog or a database (schema) as Spark's catalog lists it.</summary>
internal sealed record CatalogObject(string Name, string? Comment);

/// <summary>A table or view: where it lives, its comment, and for a view its query.</summary>
internal sealed record CatalogTable(string Catalog, string Database, string Name, string? Comment, bool IsView, bool IsTemporary, string? ViewText);

/// <summary>A column as DuckDB holds it.</summary>
internal sealed record CatalogColumn(string Name, string? Comment, string DuckType, bool Nullable);

/// <summary>
/// DuckDB's catalog read as Spark's: every attached database but DuckDB's own (<c>memory</c>, <c>system</c>,
/// <c>temp</c>) is a catalog, <c>spark_catalog</c> the current one and <c>default</c> the current database; schemas
/// are databases (DuckDB's <c>main</c> of each attached database and its system schemas left out, as a Spark
/// catalog has only what was created in it); temporary views (DuckDB's <c>temp</c>) are Spark's local temporary
/// views. Names resolve as Spark's session catalog resolves them: case-insensitively.
/// </summary>
internal sealed class SparkCatalogReader(DuckDBConnection connection)
{
    public const string CurrentCatalog = "spark_catalog";
    public const string CurrentDatabase = "default";

    public List<CatalogObject> Catalogs() => Rows("""
        SELECT database_name, comment FROM duckdb_databases()
        WHERE NOT internal AND database_name NOT IN ('memory', 'system', 'temp') ORDER BY database_name
        """, r => new CatalogObject(r.GetString(0), Text(r, 1)));

    public List<CatalogObject> Databases(string catalog) => Rows("""
        SELECT schema_name, comment FROM duckdb_schemas()
        WHERE database_name = $catalog AND schema_name NOT IN ('main', 'information_schema', 'pg_catalog') ORDER BY schema_name
        """, r => new CatalogObject(r.GetString(0), Text(r, 1)), ("catalog", catalog));

    /// <summary>The tables and views of a database, then (as Spark lists them with any database) the temporary views.</summary>
    public List<CatalogTable> Tables(string catalog, string database) => Rows("""
        SELECT database_name, schema_name, table_name, comment, false, NULL FROM duckdb_tables()
        WHERE database_name = $catalog AND schema_name = $database
        UNION ALL
        SELECT database_name, schema_name, view_name, comment, true, sql FROM duckdb_views()
        WHERE NOT internal AND database_name = $catalog AND schema_name = $database
        UNION ALL
        SELECT database_name, schema_name, view_name, comment, true, sql FROM duckdb_views() WHERE temporary AND NOT internal
        ORDER BY 3
        """, Table, ("catalog", catalog), ("database", database));

    public List<CatalogColumn> Columns(CatalogTable table) => Rows("""
        SELECT column_name, comment, data_type, is_nullable FROM duckdb_columns()
        WHERE database_name = $catalog AND schema_name = $database AND table_name = $table ORDER BY column_index
        """, r => new CatalogColumn(r.GetString(0), Text(r, 1), r.GetString(2), r.GetBoolean(3)),
        ("catalog", table.IsTemporary ? "temp" : table.Catalog), ("database", table.IsTemporary ? "main" : table.Database), ("table", table.Name));

    /// <summary>
    /// A database named as <c>listTables(dbName)</c> names it: a database of the current catalog by its plain name,
    /// else a multi-part name (<c>catalog.db</c>, back-quoted parts). SCHEMA_NOT_FOUND when there is none.
    /// </summary>
    public (string Catalog, string Database) Database(string dbName)
    {
        if (Find(Databases(CurrentCatalog), dbName) is { } plain) return (CurrentCatalog, plain);
        var parts = Identifiers.Parse(dbName);
        var (catalog, database) = parts.Count switch
        {
            1 => (CurrentCatalog, parts[0]),
            2 => (Find(Catalogs(), parts[0]), parts[1]),
            _ => (null, null),
        };
        var found = catalog is null || database is null ? null : Find(Databases(catalog), database);
        return found is null ? throw SchemaNotFound(dbName) : (catalog!, found);
    }

    /// <summary>
    /// A table named as <c>getTable</c>/<c>listColumns</c> name it: <c>t</c> (a temporary view, else in the current
    /// database), <c>db.t</c>, <c>catalog.db.t</c>, or <c>t</c> with a database name. TABLE_OR_VIEW_NOT_FOUND when there is none.
    /// </summary>
    public CatalogTable Table(string tableName, string? dbName)
    {
        var parts = Identifiers.Parse(tableName);
        CatalogTable? found = null;
        if (dbName is not null)
        {
            var (catalog, database) = Database(dbName);
            found = FindTable(Tables(catalog, database).Where(t => !t.IsTemporary), tableName);
        }
        else if (parts.Count == 1)
        {
            found = FindTable(Tables(CurrentCatalog, CurrentDatabase), parts[0]);
        }
        else if (parts.Count is 2 or 3)
        {
            var catalog = parts.Count == 2 ? CurrentCatalog : Find(Catalogs(), parts[0]);
            var database = catalog is null ? null : Find(Databases(catalog), parts[^2]);
            found = database is null ? null : FindTable(Tables(catalog!, database).Where(t => !t.IsTemporary), parts[^1]);
        }
        IEnumerable<string> named = dbName is null ? parts : [dbName, tableName];
        return found ?? throw SparkError.Of("TABLE_OR_VIEW_NOT_FOUND", JvmException.Analysis,
            new Dictionary<string, string> { ["relationName"] = string.Join('.', named.Select(Quote)) });
    }

    public static SparkError SchemaNotFound(string name) =>
        SparkError.Of("SCHEMA_NOT_FOUND", JvmException.Analysis, new Dictionary<string, string> { ["schemaName"] = Quote(name) });

    public static string Quote(string part) => "`" + part.Replace("`", "``") + "`";

    private static string? Find(IEnumerable<CatalogObject> objects, string name) =>
        objects.FirstOrDefault(o => o.Name == name)?.Name ?? objects.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))?.Name;

    private static CatalogTable? FindTable(IEnumerable<CatalogTable> tables, string name)
    {
        var list = tables.ToList();
        return list.FirstOrDefault(t => t.Name == name) ?? list.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static CatalogTable Table(DuckDBDataReader r)
    {
        var temporary = r.GetString(0) == "temp";
        return new CatalogTable(r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), r.GetBoolean(4), temporary, r.IsDBNull(5) ? null : ViewQuery(r.GetString(5)));
    }

    /// <summary>The query of DuckDB's <c>CREATE VIEW name AS query;</c>, as Spark's View Text shows it.</summary>
    private static string ViewQuery(string createView)
    {
        var tokens = SqlTokenizer.Tokenize(createView).Where(t => t.Significant).ToList();
        var at = tokens.FindIndex(t => t.Is("AS"));
        var query = at < 0 ? createView : createView[(tokens[at].Start + 2)..];
        return query.Trim().TrimEnd(';').Trim();
    }

    private static string? Text(DuckDBDataReader r, int i) => r.IsDBNull(i) || r.GetString(i).Length == 0 ? null : r.GetString(i);

    private List<T> Rows<T>(string sql, Func<DuckDBDataReader, T> read, params (string Name, string Value)[] parameters)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value));
        using var r = cmd.ExecuteReader();
        var rows = new List<T>();
        while (r.Read()) rows.Add(read(r));
        return rows;
    }
}
