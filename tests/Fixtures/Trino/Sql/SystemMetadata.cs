namespace KernelGateway.Tests.Fixtures.Trino.Sql;

/// <summary>
/// Trino's <c>system.metadata</c> tables the fixture answers, as DuckDB subqueries with Trino's columns:
/// <c>table_comments</c> (every table's and view's comment, null when it has none) and <c>materialized_views</c>
/// (always empty: DuckDB has none, and neither has Trino's memory connector). Trino documents both in its System
/// connector page.
/// </summary>
internal static class SystemMetadata
{
    public static readonly IReadOnlyDictionary<string, string> Views = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["table_comments"] = "(SELECT database_name AS catalog_name, schema_name, table_name, comment FROM duckdb_tables() WHERE NOT internal "
            + "UNION ALL SELECT database_name, schema_name, view_name, comment FROM duckdb_views() WHERE NOT internal)",
        ["materialized_views"] = "(SELECT CAST(NULL AS VARCHAR) AS catalog_name, CAST(NULL AS VARCHAR) AS schema_name, CAST(NULL AS VARCHAR) AS name, "
            + "CAST(NULL AS VARCHAR) AS storage_catalog, CAST(NULL AS VARCHAR) AS storage_schema, CAST(NULL AS VARCHAR) AS storage_table, "
            + "CAST(NULL AS VARCHAR) AS freshness, CAST(NULL AS TIMESTAMPTZ) AS last_fresh_time, CAST(NULL AS VARCHAR) AS owner, "
            + "CAST(NULL AS VARCHAR) AS comment, CAST(NULL AS VARCHAR) AS definition WHERE false)",
    };
}
