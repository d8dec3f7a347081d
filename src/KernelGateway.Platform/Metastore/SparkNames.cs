using KernelGateway.Platform.Spark.Connect;

namespace KernelGateway.Platform.Metastore;

/// <summary>Spark's spelling of names and kinds for the metastore: back-quoted multi-part names, table types, not-found errors.</summary>
internal static class SparkNames
{
    /// <summary><c>`a`.`b`.`c`</c>, a back quote in a part doubled.</summary>
    public static string Quote(params string[] parts) => string.Join('.', parts.Select(p => "`" + p.Replace("`", "``") + "`"));

    /// <summary>The kind of a <c>tableType</c> (CatalogTableType's names, and the v2 catalogs' ones).</summary>
    public static MetastoreTableKind Kind(string tableType) => tableType.ToUpperInvariant() switch
    {
        "MANAGED" or "TABLE" => MetastoreTableKind.Table,
        "VIEW" or "TEMPORARY" => MetastoreTableKind.View,
        "EXTERNAL" => MetastoreTableKind.ExternalTable,
        "MATERIALIZED_VIEW" => MetastoreTableKind.MaterializedView,
        _ => MetastoreTableKind.Other,
    };

    /// <summary>Whether the error says the catalog, schema or table does not exist.</summary>
    public static bool IsNotFound(SparkConnectException e) => e.ErrorClass is { } c
        && (c.StartsWith("TABLE_OR_VIEW_NOT_FOUND", StringComparison.Ordinal) || c.StartsWith("SCHEMA_NOT_FOUND", StringComparison.Ordinal)
            || c.StartsWith("CATALOG_NOT_FOUND", StringComparison.Ordinal) || c.StartsWith("NO_SUCH_", StringComparison.Ordinal));
}
