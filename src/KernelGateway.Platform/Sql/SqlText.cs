using System.Text;

namespace KernelGateway.Platform.Sql;

/// <summary>A statement of a script and where it starts in the script (UTF-16 offset of its first character).</summary>
/// <param name="Text">The statement, trimmed, without its <c>;</c>.</param>
/// <param name="Offset">Where <paramref name="Text"/> starts in the script.</param>
public sealed record SqlStatementText(string Text, int Offset);

/// <summary>SQL text handling that respects quotes and comments: statement splitting and parameter references.</summary>
public static class SqlText
{
    /// <summary>Splits on <c>;</c> outside string literals, quoted identifiers and comments; drops empty statements.</summary>
    public static IReadOnlyList<string> SplitStatements(string sql) => Split(sql).Select(s => s.Text).ToList();

    /// <summary>Like <see cref="SplitStatements"/>, with where each statement starts in <paramref name="sql"/>.</summary>
    public static IReadOnlyList<SqlStatementText> Split(string sql)
    {
        var statements = new List<SqlStatementText>();
        var start = 0;
        void Add(int end)
        {
            var text = sql[start..end];
            var trimmed = text.Trim();
            if (trimmed.Length > 0) statements.Add(new SqlStatementText(trimmed, start + (text.Length - text.TrimStart().Length)));
        }
        Scan(sql, (i, c, code) =>
        {
            if (!code || c != ';') return;
            Add(i);
            start = i + 1;
        });
        Add(sql.Length);
        return statements;
    }

    /// <summary>
    /// The <c>@name</c> and <c>$name</c> references outside literals and comments, and the SQL with each rewritten
    /// to <paramref name="placeholderPrefix"/> + name (<c>$</c> for DuckDB, <c>@</c> for PostgreSQL). Positional
    /// <c>$1</c> and casts like <c>::int</c> are left alone.
    /// </summary>
    public static (string Sql, IReadOnlyList<string> Names) RewriteParameters(string sql, char placeholderPrefix)
    {
        var (text, occurrences) = Rewrite(sql, name => placeholderPrefix + name);
        return (text, occurrences.Distinct().ToList());
    }

    /// <summary>
    /// Spark SQL's named parameters: every <c>@name</c> / <c>$name</c> reference becomes <c>:name</c> (Spark's own
    /// spelling, which is also accepted as written), and the names referenced. Spark's lexical rules apply: string
    /// literals in single or double quotes with backslash escapes, identifiers in backticks, and <c>::</c> casts or
    /// <c>a:b</c> paths (no space before the colon) are not parameters.
    /// </summary>
    public static (string Sql, IReadOnlyList<string> Names) RewriteSparkParameters(string sql)
    {
        var (text, occurrences) = Rewrite(sql, name => ":" + name, spark: true);
        return (text, occurrences.Distinct().ToList());
    }

    /// <summary>
    /// The SQL with every <c>@name</c> / <c>$name</c> reference replaced by <c>?</c>, and the name of each
    /// placeholder in order (a name used twice appears twice): for engines with positional parameters only (Trino).
    /// </summary>
    public static (string Sql, IReadOnlyList<string> Occurrences) ToPositional(string sql) => Rewrite(sql, _ => "?");

    /// <summary>The number of <c>?</c> placeholders outside literals and comments.</summary>
    public static int CountPositional(string sql) => CountPositional(sql, spark: false);

    /// <summary>The number of <c>?</c> placeholders outside literals and comments, under Spark's lexical rules when <paramref name="spark"/> (backslash escapes, backtick identifiers).</summary>
    public static int CountPositional(string sql, bool spark)
    {
        var count = 0;
        Scan(sql, (_, c, code) => { if (code && c == '?') count++; }, spark);
        return count;
    }

    private static (string Sql, IReadOnlyList<string> Occurrences) Rewrite(string sql, Func<string, string> placeholder, bool spark = false)
    {
        var names = new List<string>();
        var output = new StringBuilder(sql.Length);
        var skipUntil = -1;
        Scan(sql, (i, c, code) =>
        {
            if (i < skipUntil) return;
            if (code && IsReference(sql, i, spark))
            {
                var end = i + 1;
                while (end < sql.Length && (char.IsAsciiLetterOrDigit(sql[end]) || sql[end] == '_')) end++;
                var name = sql[(i + 1)..end];
                names.Add(name);
                output.Append(placeholder(name));
                skipUntil = end;
                return;
            }
            output.Append(c);
        }, spark);
        return (output.ToString(), names);
    }

    /// <summary>Whether a parameter reference starts at <paramref name="i"/>: <c>@name</c> or <c>$name</c>, and for Spark also <c>:name</c> after a space, bracket, comma or operator.</summary>
    private static bool IsReference(string sql, int i, bool spark)
    {
        var c = sql[i];
        if (!(c == '@' || c == '$' || (spark && c == ':'))) return false;
        if (i + 1 >= sql.Length || !(char.IsAsciiLetter(sql[i + 1]) || sql[i + 1] == '_')) return false;
        if (i == 0) return true;
        var before = sql[i - 1];
        if (c == ':') return char.IsWhiteSpace(before) || before is '(' or ',' or '=' or '<' or '>' or '+' or '-' or '*' or '/' or '%' or '[';
        return !(char.IsLetterOrDigit(before) || before is '_' or '@' or '$');
    }

    /// <summary>Calls <paramref name="visit"/> for each character with whether it is SQL code (not in a literal or comment).</summary>
    /// <param name="sql">The text.</param>
    /// <param name="visit">Called with each character's index, the character, and whether it is code.</param>
    /// <param name="spark">Spark's rules: backslash escapes in literals, backtick-quoted identifiers.</param>
    private static void Scan(string sql, Action<int, char, bool> visit, bool spark = false)
    {
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"' || (spark && c == '`'))
            {
                var quote = c;
                visit(i++, c, false);
                while (i < sql.Length)
                {
                    visit(i, sql[i], false);
                    if (spark && quote != '`' && sql[i] == '\\' && i + 1 < sql.Length) { visit(i + 1, sql[i + 1], false); i += 2; continue; }
                    if (sql[i] == quote)
                    {
                        if (i + 1 < sql.Length && sql[i + 1] == quote) { visit(i + 1, sql[i + 1], false); i += 2; continue; }
                        i++;
                        break;
                    }
                    i++;
                }
                continue;
            }
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n') visit(i, sql[i++], false);
                continue;
            }
            if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? sql.Length : end + 2;
                while (i < end) visit(i, sql[i++], false);
                continue;
            }
            visit(i++, c, true);
        }
    }
}
