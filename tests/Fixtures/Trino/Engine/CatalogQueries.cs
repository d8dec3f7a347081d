using DuckDB.NET.Data;
using KernelGateway.Tests.Fixtures.Trino.Sql;
using KernelGateway.Tests.Fixtures.Trino.Types;

namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>Answers that need DuckDB's catalog: the columns of a table in Trino's types, the rows a CREATE TABLE AS made.</summary>
internal static class CatalogQueries
{
    /// <summary>DuckDB reports no row count for CREATE TABLE … AS SELECT; Trino does: count the new table.</summary>
    public static long CountCreated(DuckDBConnection c, string createSql)
    {
        var t = SqlLexer.Significant(createSql);
        var at = t.FindIndex(x => x.Is("table")) + 1;
        if (at + 2 < t.Count && t[at].Is("if") && t[at + 1].Is("not") && t[at + 2].Is("exists")) at += 3;
        var name = new System.Text.StringBuilder();
        while (at < t.Count && (t[at].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier || t[at].IsSymbol(".")) && !t[at].Is("as") && !t[at].Is("with"))
        {
            name.Append(t[at++].Text);
        }
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM {name}";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>SHOW COLUMNS / DESCRIBE: a VALUES query listing the table's columns with their Trino types.</summary>
    public static string ShowColumns(DuckDBConnection c, string table)
    {
        var parts = table.Split('.');
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = $t"
            + (parts.Length > 1 ? " AND schema_name = $s" : " AND schema_name = current_schema()")
            + (parts.Length > 2 ? " AND database_name = $c" : " AND database_name = current_database()") + " ORDER BY column_index";
        cmd.Parameters.Add(new DuckDBParameter("t", parts[^1]));
        if (parts.Length > 1) cmd.Parameters.Add(new DuckDBParameter("s", parts[^2]));
        if (parts.Length > 2) cmd.Parameters.Add(new DuckDBParameter("c", parts[^3]));
        var rows = new List<string>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read()) rows.Add($"({StatementParser.Quote(r.GetString(0))}, {StatementParser.Quote(DuckDbTypeMapper.Map(r.GetString(1)).ToString())}, '', '')");
        }
        if (rows.Count == 0) throw new TrinoFailure(TrinoError.User($"Table '{table}' does not exist", 46, "TABLE_NOT_FOUND"));
        return "SELECT * FROM (VALUES " + string.Join(", ", rows) + ") AS t(\"Column\", \"Type\", \"Extra\", \"Comment\")";
    }

    /// <summary>
    /// SHOW CREATE TABLE (<paramref name="name"/>: the name's parts joined by U+001F): a one-row query with the DDL as
    /// Trino writes it: the qualified name, one column per line (type, NOT NULL, COMMENT), then the table's COMMENT.
    /// DuckDB tables have no connector properties, so there is no WITH clause (as for Trino's memory connector). A view
    /// is refused as Trino refuses it.
    /// </summary>
    public static string ShowCreateTable(DuckDBConnection c, string name)
    {
        var parts = name.Split('\u001f');
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT database_name, schema_name, 'table' AS kind, comment FROM duckdb_tables()
            WHERE table_name = $t AND schema_name = COALESCE($s, current_schema()) AND database_name = COALESCE($c, current_database())
            UNION ALL
            SELECT database_name, schema_name, 'view', comment FROM duckdb_views()
            WHERE NOT internal AND view_name = $t AND schema_name = COALESCE($s, current_schema()) AND database_name = COALESCE($c, current_database())
            """;
        cmd.Parameters.Add(new DuckDBParameter("t", parts[^1]));
        cmd.Parameters.Add(new DuckDBParameter("s", parts.Length > 1 ? parts[^2] : null));
        cmd.Parameters.Add(new DuckDBParameter("c", parts.Length > 2 ? parts[^3] : null));
        string catalog, schema, kind;
        string? comment;
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read()) throw new TrinoFailure(TrinoError.User($"Table '{string.Join('.', parts)}' does not exist", 46, "TABLE_NOT_FOUND"));
            (catalog, schema, kind, comment) = (r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3));
        }
        var qualified = $"{TrinoName(catalog)}.{TrinoName(schema)}.{TrinoName(parts[^1])}";
        if (kind == "view") throw new TrinoFailure(TrinoError.User($"Relation '{catalog}.{schema}.{parts[^1]}' is a view, not a table", 13, "NOT_SUPPORTED"));
        cmd.Parameters.Clear();
        cmd.CommandText = "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() WHERE database_name = $c AND schema_name = $s AND table_name = $t ORDER BY column_index";
        cmd.Parameters.Add(new DuckDBParameter("c", catalog));
        cmd.Parameters.Add(new DuckDBParameter("s", schema));
        cmd.Parameters.Add(new DuckDBParameter("t", parts[^1]));
        var columns = new List<string>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                columns.Add($"   {TrinoName(r.GetString(0))} {DuckDbTypeMapper.Map(r.GetString(1))}" + (r.GetBoolean(2) ? "" : " NOT NULL")
                    + (r.IsDBNull(3) ? "" : " COMMENT " + StatementParser.Quote(r.GetString(3))));
            }
        }
        var ddl = $"CREATE TABLE {qualified} (\n{string.Join(",\n", columns)}\n)" + (comment is null ? "" : "\nCOMMENT " + StatementParser.Quote(comment));
        return $"SELECT * FROM (VALUES ({StatementParser.Quote(ddl)})) AS t(\"Create Table\")";
    }

    /// <summary>A name as Trino's SQL formatter writes it: bare when it is a plain lower-case identifier, else double-quoted.</summary>
    private static string TrinoName(string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z_][a-z0-9_]*$") ? name : "\"" + name.Replace("\"", "\"\"") + "\"";
}
