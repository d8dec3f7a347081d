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
}
