using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Catalog;

/// <summary>
/// The catalog commands DuckDB has no counterpart for, answered in Spark's shape from <see cref="SparkCatalogReader"/>:
/// <c>SHOW {NAMESPACES|SCHEMAS|DATABASES} [{IN|FROM} catalog] [[LIKE] 'pattern']</c> (one column, <c>namespace</c>)
/// and <c>{DESCRIBE|DESC} [TABLE] EXTENDED name</c> (DescribeTableCommand: <c>col_name</c>, <c>data_type</c>,
/// <c>comment</c> — the columns, a blank row, then <c># Detailed Table Information</c> with Catalog, Database, Table,
/// Type, Comment and, for a view, View Text). Other SHOW and DESCRIBE statements go to DuckDB as before.
/// </summary>
internal static class CatalogCommands
{
    private static readonly RowsColumn[] DescribeColumns = [new("col_name", "VARCHAR"), new("data_type", "VARCHAR"), new("comment", "VARCHAR")];

    /// <summary>Whether the statement is one of these commands, by its words alone (no database needed).</summary>
    public static bool Recognizes(string sparkSql) => Words(sparkSql) is var w && (IsShowNamespaces(w) || IsDescribeExtended(w));

    public static SqlPlan Plan(string sparkSql, SparkCatalogReader reader)
    {
        var tokens = Words(sparkSql);
        return IsShowNamespaces(tokens) ? ShowNamespaces(tokens, reader) : DescribeExtended(tokens, reader);
    }

    private static List<SqlToken> Words(string sql) => SqlTokenizer.Tokenize(sql).Where(t => t.Significant && !t.Is(";")).ToList();

    private static bool IsShowNamespaces(List<SqlToken> w) => w.Count >= 2 && w[0].Is("SHOW") && (w[1].Is("NAMESPACES") || w[1].Is("SCHEMAS") || w[1].Is("DATABASES"));

    private static bool IsDescribeExtended(List<SqlToken> w) =>
        w.Count >= 3 && (w[0].Is("DESCRIBE") || w[0].Is("DESC")) && (w[1].Is("EXTENDED") || (w[1].Is("TABLE") && w[2].Is("EXTENDED")));

    private static SqlPlan ShowNamespaces(List<SqlToken> w, SparkCatalogReader reader)
    {
        var at = 2;
        var catalog = SparkCatalogReader.CurrentCatalog;
        if (at < w.Count && (w[at].Is("IN") || w[at].Is("FROM")))
        {
            var name = Name(w, at + 1, out at);
            catalog = reader.Catalogs().FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))?.Name
                ?? throw SparkError.Of("SCHEMA_NOT_FOUND", JvmException.Analysis, new Dictionary<string, string> { ["schemaName"] = SparkCatalogReader.Quote(name) });
        }
        if (at < w.Count && w[at].Is("LIKE")) at++;
        var pattern = at < w.Count && w[at].Kind == TokenKind.String ? w[at].Value : null;
        var rows = new RowsPlan(new RowsColumn("namespace", "VARCHAR"));
        foreach (var d in reader.Databases(catalog).Where(d => CatalogRelations.Matches(pattern, d.Name))) rows.Add(d.Name);
        return rows.ToPlan(StatementKind.RowsCommand);
    }

    private static SqlPlan DescribeExtended(List<SqlToken> w, SparkCatalogReader reader)
    {
        var name = string.Join("", w.Skip(w[1].Is("TABLE") ? 3 : 2).Select(t => t.Text));
        var table = reader.Table(name, dbName: null);
        var rows = new RowsPlan(DescribeColumns);
        foreach (var c in reader.Columns(table)) rows.Add(c.Name, CatalogRelations.CatalogString(c.DuckType), c.Comment);
        rows.Add("", "", "");
        rows.Add("# Detailed Table Information", "", "");
        if (!table.IsTemporary)
        {
            rows.Add("Catalog", table.Catalog, "");
            rows.Add("Database", table.Database, "");
        }
        rows.Add("Table", table.Name, "");
        rows.Add("Type", table.IsTemporary ? "VIEW" : table.IsView ? "VIEW" : "MANAGED", "");
        if (table.Comment is not null) rows.Add("Comment", table.Comment, "");
        if (table.ViewText is not null)
        {
            rows.Add("View Text", table.ViewText, "");
            rows.Add("View Original Text", table.ViewText, "");
        }
        return rows.ToPlan(StatementKind.RowsCommand);
    }

    /// <summary>A (possibly back-quoted) name starting at token <paramref name="at"/>; <paramref name="next"/> is the token after it.</summary>
    private static string Name(List<SqlToken> w, int at, out int next)
    {
        if (at >= w.Count) throw SparkError.Of("PARSE_SYNTAX_ERROR", JvmException.Parse, new Dictionary<string, string> { ["error"] = "end of input", ["hint"] = "" });
        next = at + 1;
        return w[at].Value.Length > 0 ? w[at].Value : w[at].Text;
    }
}
