using System.Text.RegularExpressions;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Plans;
using KernelGateway.Tests.Fixtures.Spark.Connect.Results;
using CatalogProto = KernelGateway.Tests.Fixtures.Spark.Connect.Proto.Catalog;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Catalog;

/// <summary>
/// The Catalog relation (SparkConnectPlanner.transformCatalog): each lookup answered with the rows of Spark's catalog
/// classes (org.apache.spark.sql.catalog interface.scala) — CatalogMetadata(name, description), Database(name,
/// catalog, description, locationUri), Table(name, catalog, namespace, description, tableType, isTemporary),
/// Column(name, description, dataType, nullable, isPartition, isBucket, isCluster) — or of one string or boolean
/// named <c>value</c>. Patterns are Spark's SHOW … LIKE patterns (<c>*</c> any, <c>|</c> alternatives, case-insensitive).
/// </summary>
internal static class CatalogRelations
{
    private static readonly RowsColumn[] TableColumns =
        [new("name", "VARCHAR"), new("catalog", "VARCHAR"), new("namespace", "VARCHAR[]"), new("description", "VARCHAR"), new("tableType", "VARCHAR"), new("isTemporary", "BOOLEAN")];

    public static SqlPlan Plan(CatalogProto catalog, SparkCatalogReader reader) => catalog.CatTypeCase switch
    {
        CatalogProto.CatTypeOneofCase.CurrentCatalog => Value("VARCHAR", SparkCatalogReader.CurrentCatalog),
        CatalogProto.CatTypeOneofCase.CurrentDatabase => Value("VARCHAR", SparkCatalogReader.CurrentDatabase),
        CatalogProto.CatTypeOneofCase.ListCatalogs => ListCatalogs(reader, catalog.ListCatalogs.HasPattern ? catalog.ListCatalogs.Pattern : null),
        CatalogProto.CatTypeOneofCase.ListDatabases => ListDatabases(reader, catalog.ListDatabases.HasPattern ? catalog.ListDatabases.Pattern : null),
        CatalogProto.CatTypeOneofCase.GetDatabase => GetDatabase(reader, catalog.GetDatabase.DbName),
        CatalogProto.CatTypeOneofCase.DatabaseExists => Value("BOOLEAN", Exists(() => reader.Database(catalog.DatabaseExists.DbName))),
        CatalogProto.CatTypeOneofCase.ListTables => ListTables(reader, catalog.ListTables.HasDbName ? catalog.ListTables.DbName : null,
            catalog.ListTables.HasPattern ? catalog.ListTables.Pattern : null),
        CatalogProto.CatTypeOneofCase.GetTable => Tables([reader.Table(catalog.GetTable.TableName, catalog.GetTable.HasDbName ? catalog.GetTable.DbName : null)]),
        CatalogProto.CatTypeOneofCase.TableExists => Value("BOOLEAN",
            Exists(() => reader.Table(catalog.TableExists.TableName, catalog.TableExists.HasDbName ? catalog.TableExists.DbName : null))),
        CatalogProto.CatTypeOneofCase.ListColumns => ListColumns(reader, reader.Table(catalog.ListColumns.TableName,
            catalog.ListColumns.HasDbName ? catalog.ListColumns.DbName : null)),
        _ => throw SparkError.Internal($"The fixture does not support the catalog lookup {catalog.CatTypeCase}."),
    };

    /// <summary>The Spark type of a DuckDB column as <c>DataType.catalogString</c> writes it: bigint, decimal(10,2), array&lt;string&gt;.</summary>
    public static string CatalogString(string duckType) => CatalogString(DuckDbTypes.Type(duckType));

    private static string CatalogString(SparkType t) => t.Kind switch
    {
        SparkKind.Null => "void",
        SparkKind.Byte => "tinyint",
        SparkKind.Short => "smallint",
        SparkKind.Integer => "int",
        SparkKind.Long => "bigint",
        SparkKind.Decimal => $"decimal({t.Precision},{t.Scale})",
        SparkKind.TimestampNtz => "timestamp_ntz",
        SparkKind.DayTimeInterval => "interval day to second",
        SparkKind.Array => $"array<{CatalogString(t.Element!)}>",
        SparkKind.Map => $"map<{CatalogString(t.Key!)},{CatalogString(t.Value!)}>",
        SparkKind.Struct => "struct<" + string.Join(",", t.Fields!.Select(f => $"{f.Name}:{CatalogString(f.Type)}")) + ">",
        _ => t.Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether Spark's SHOW … LIKE pattern matches: <c>*</c> any characters, <c>|</c> alternatives, case-insensitive (StringUtils.filterPattern).</summary>
    public static bool Matches(string? pattern, string name) =>
        pattern is null || pattern.Trim().Split('|').Any(p =>
            Regex.IsMatch(name, "^" + string.Concat(p.Trim().Select(c => c == '*' ? ".*" : Regex.Escape(c.ToString()))) + "$", RegexOptions.IgnoreCase));

    private static SqlPlan ListCatalogs(SparkCatalogReader reader, string? pattern)
    {
        var rows = new RowsPlan(new("name", "VARCHAR"), new("description", "VARCHAR"));
        foreach (var c in reader.Catalogs().Where(c => Matches(pattern, c.Name))) rows.Add(c.Name, c.Comment);
        return rows.ToPlan();
    }

    private static SqlPlan ListDatabases(SparkCatalogReader reader, string? pattern)
    {
        var rows = DatabaseRows();
        foreach (var d in reader.Databases(SparkCatalogReader.CurrentCatalog).Where(d => Matches(pattern, d.Name))) AddDatabase(rows, SparkCatalogReader.CurrentCatalog, d);
        return rows.ToPlan();
    }

    private static SqlPlan GetDatabase(SparkCatalogReader reader, string dbName)
    {
        var (catalog, database) = reader.Database(dbName);
        var rows = DatabaseRows();
        AddDatabase(rows, catalog, reader.Databases(catalog).First(d => d.Name == database));
        return rows.ToPlan();
    }

    private static RowsPlan DatabaseRows() => new(new("name", "VARCHAR"), new("catalog", "VARCHAR"), new("description", "VARCHAR"), new("locationUri", "VARCHAR"));

    private static void AddDatabase(RowsPlan rows, string catalog, CatalogObject d) =>
        rows.Add(d.Name, catalog, d.Comment, $"file:/spark-warehouse/{Uri.EscapeDataString(d.Name)}.db");

    private static SqlPlan ListTables(SparkCatalogReader reader, string? dbName, string? pattern)
    {
        var (catalog, database) = dbName is null ? (SparkCatalogReader.CurrentCatalog, SparkCatalogReader.CurrentDatabase) : reader.Database(dbName);
        return Tables(reader.Tables(catalog, database).Where(t => Matches(pattern, t.Name)));
    }

    private static SqlPlan Tables(IEnumerable<CatalogTable> tables)
    {
        var rows = new RowsPlan(TableColumns);
        foreach (var t in tables)
        {
            rows.Add(t.Name, t.IsTemporary ? null : t.Catalog, t.IsTemporary ? Array.Empty<string>() : new[] { t.Database }, t.Comment,
                t.IsTemporary ? "TEMPORARY" : t.IsView ? "VIEW" : "MANAGED", t.IsTemporary);
        }
        return rows.ToPlan();
    }

    private static SqlPlan ListColumns(SparkCatalogReader reader, CatalogTable table)
    {
        var rows = new RowsPlan(new("name", "VARCHAR"), new("description", "VARCHAR"), new("dataType", "VARCHAR"), new("nullable", "BOOLEAN"),
            new("isPartition", "BOOLEAN"), new("isBucket", "BOOLEAN"), new("isCluster", "BOOLEAN"));
        foreach (var c in reader.Columns(table)) rows.Add(c.Name, c.Comment, CatalogString(c.DuckType), c.Nullable, false, false, false);
        return rows.ToPlan();
    }

    private static SqlPlan Value(string duckType, object value) => new RowsPlan(new RowsColumn("value", duckType)).Add(value).ToPlan();

    private static bool Exists(Action lookup)
    {
        try
        {
            lookup();
            return true;
        }
        catch (SparkError e) when (e.ErrorClass is "TABLE_OR_VIEW_NOT_FOUND" or "SCHEMA_NOT_FOUND")
        {
            return false;
        }
    }
}
