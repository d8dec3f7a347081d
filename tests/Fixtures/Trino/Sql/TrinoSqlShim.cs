using System.Text;
using System.Text.RegularExpressions;
using KernelGateway.Tests.Fixtures.Trino.Types;

namespace KernelGateway.Tests.Fixtures.Trino.Sql;

/// <summary>
/// The thinnest rewrite that lets common Trino SQL run on DuckDB. It only touches type spellings (in CAST,
/// TRY_CAST and CREATE TABLE column lists), typed literals (TIMESTAMP/TIME with a precision or a zone, DECIMAL,
/// CHAR, IPADDRESS, UUID, JSON, X'..', INTERVAL … YEAR TO MONTH / DAY TO SECOND) and catalog-qualified
/// information_schema names; functions Trino has and DuckDB lacks are DuckDB macros (see <c>DuckDbEngine</c>).
/// Everything else is passed through, so Trino SQL that DuckDB reads differently is not caught.
/// </summary>
internal static partial class TrinoSqlShim
{
    private static readonly HashSet<string> InformationSchemaViews = new(StringComparer.OrdinalIgnoreCase) { "tables", "columns", "schemata", "views" };

    public static ShimmedSql Rewrite(string sql, string sessionCatalog)
    {
        var t = SqlLexer.Significant(sql);
        var replacements = new SortedDictionary<int, (int End, string Text)>();
        var stated = new Dictionary<int, (int EndToken, TrinoType Type)>();
        var castDepths = new Stack<int>();
        var depth = 0;
        for (var i = 0; i < t.Count; i++)
        {
            var tok = t[i];
            if (tok.IsSymbol("(")) depth++;
            else if (tok.IsSymbol(")"))
            {
                depth--;
                if (castDepths.Count > 0 && castDepths.Peek() > depth) castDepths.Pop();
            }
            else if ((tok.Is("cast") || tok.Is("try_cast")) && Next(t, i).IsSymbol("("))
            {
                castDepths.Push(depth + 1);
                var close = Closing(t, i + 1);
                if (close > 0 && TypeBeforeClose(t, i + 2, close) is { } castType) stated[i] = (close + 1, castType);
            }
            else if (tok.Is("as") && castDepths.Count > 0 && castDepths.Peek() == depth)
            {
                var at = i + 1;
                if (TrinoTypeSyntax.TryParse(t, ref at, out var type))
                {
                    Replace(replacements, sql, t[i + 1].Start, End(t[at - 1]), TrinoTypeSyntax.ToDuckDb(type));
                    i = at - 1;
                }
            }
            else if (TypedLiteral(t, i, sql, replacements) is { } literal)
            {
                stated[i] = literal;
                i = literal.EndToken - 1;
            }
            else if (tok.Is("information_schema") && Next(t, i).IsSymbol(".") && InformationSchemaViews.Contains(Next(t, i + 1).Text))
            {
                InformationSchema(t, i, sql, sessionCatalog, replacements);
            }
            else if (tok.Is("system") && Next(t, i).IsSymbol(".") && Next(t, i + 1).Is("metadata") && Next(t, i + 2).IsSymbol(".")
                && SystemMetadata.Views.TryGetValue(Next(t, i + 3).Text, out var metadata))
            {
                Replace(replacements, sql, tok.Start, End(t[i + 4]), metadata);
                i += 4;
            }
            else if (tok.Is("values"))
            {
                ParenthesizeValues(t, i, sql, replacements);
            }
            else if (tok.Is("table") && i > 0 && t[i - 1].Is("create"))
            {
                ColumnTypes(t, i, sql, replacements);
            }
        }
        return Build(sql, replacements, SelectListHints(t, stated));
    }

    private static SqlToken Next(List<SqlToken> t, int i) => i + 1 < t.Count ? t[i + 1] : default;

    private static int End(SqlToken tok) => tok.Start + tok.Length;

    private static int Closing(List<SqlToken> t, int open)
    {
        var depth = 0;
        for (var j = open; j < t.Count; j++)
        {
            if (t[j].IsSymbol("(")) depth++;
            else if (t[j].IsSymbol(")") && --depth == 0) return j;
        }
        return -1;
    }

    private static TrinoType? TypeBeforeClose(List<SqlToken> t, int from, int close)
    {
        var depth = 0;
        for (var j = from; j < close; j++)
        {
            if (t[j].IsSymbol("(")) depth++;
            else if (t[j].IsSymbol(")")) depth--;
            else if (depth == 0 && t[j].Is("as"))
            {
                var at = j + 1;
                return TrinoTypeSyntax.TryParse(t, ref at, out var type) && at == close ? type : null;
            }
        }
        return null;
    }

    private static void Replace(SortedDictionary<int, (int End, string Text)> r, string sql, int start, int end, string text)
    {
        if (sql[start..end] != text) r[start] = (end, text);
    }

    private static (int EndToken, TrinoType Type)? TypedLiteral(List<SqlToken> t, int i, string sql, SortedDictionary<int, (int End, string Text)> r)
    {
        var tok = t[i];
        var lit = Next(t, i);
        if (tok.Kind != SqlTokenKind.Word || lit.Kind != SqlTokenKind.String) return null;
        if (i > 0 && t[i - 1].Is("as")) return null;
        var v = lit.StringValue;
        var span = (Start: tok.Start, End: End(lit));
        switch (tok.Text.ToLowerInvariant())
        {
            case "x" when tok.Start + 1 == lit.Start:
                Replace(r, sql, span.Start, span.End, $"from_hex({lit.Text})");
                return (i + 2, TrinoType.Simple("varbinary"));
            case "timestamp":
                return DateTimeLiteral(v, lit, span, sql, r, i, timestamp: true);
            case "time":
                return DateTimeLiteral(v, lit, span, sql, r, i, timestamp: false);
            case "decimal":
                var digits = v.Trim().TrimStart('+', '-');
                var scale = digits.Contains('.') ? digits.Length - digits.IndexOf('.') - 1 : 0;
                var precision = Math.Max(1, digits.Replace(".", "").TrimStart('0').Length);
                precision = Math.Max(precision, scale);
                Replace(r, sql, span.Start, span.End, $"CAST({lit.Text} AS DECIMAL({precision},{scale}))");
                return (i + 2, TrinoType.Decimal(precision, scale));
            case "char":
                Replace(r, sql, span.Start, span.End, $"CAST({lit.Text} AS VARCHAR)");
                return (i + 2, TrinoType.Char(Math.Max(1, v.Length)));
            case "ipaddress":
                Replace(r, sql, span.Start, span.End, $"CAST({lit.Text} AS VARCHAR)");
                return (i + 2, TrinoType.Simple("ipaddress"));
            case "uuid" or "json" or "varbinary":
                Replace(r, sql, span.Start, span.End, $"CAST({lit.Text} AS {(tok.Is("varbinary") ? "BLOB" : tok.Text.ToUpperInvariant())})");
                return (i + 2, TrinoType.Simple(tok.Text.ToLowerInvariant()));
            case "interval":
                return IntervalLiteral(t, i, v, sql, r);
            default:
                return null;
        }
    }

    [GeneratedRegex(@"^(?<local>\d{1,6}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}(?::\d{2})?)(?<fraction>\.\d+)?(?<zone>\s*(?:[+-]\d{1,2}(?::?\d{2})?|UTC|Z|[A-Za-z_]+(?:/[A-Za-z_+\-0-9]+)+))?$")]
    private static partial Regex DateTimeText();

    private static (int, TrinoType)? DateTimeLiteral(string v, SqlToken lit, (int Start, int End) span, string sql,
        SortedDictionary<int, (int End, string Text)> r, int i, bool timestamp)
    {
        var m = DateTimeText().Match(v.Trim());
        if (!m.Success) return null;
        var p = m.Groups["fraction"].Success ? m.Groups["fraction"].Length - 1 : 0;
        var zoned = m.Groups["zone"].Success;
        var zone = zoned ? m.Groups["zone"].Value.Trim() : "";
        var text = zoned && (zone[0] is '+' or '-') ? m.Groups["local"].Value + m.Groups["fraction"].Value + zone : v;
        var type = timestamp ? TrinoType.Timestamp(p, zoned) : TrinoType.Time(p, zoned);
        var duck = TrinoTypeSyntax.ToDuckDb(type);
        Replace(r, sql, span.Start, span.End, $"{duck} '{text.Replace("'", "''")}'");
        return (i + 2, type);
    }

    [GeneratedRegex(@"^\s*(?<sign>[+-])?(?<a>\d+)(?:-(?<b>\d+))?\s*$")]
    private static partial Regex YearMonthText();

    [GeneratedRegex(@"^\s*(?<sign>[+-])?(?<d>\d+) (?<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*$")]
    private static partial Regex DaySecondText();

    private static (int, TrinoType)? IntervalLiteral(List<SqlToken> t, int i, string v, string sql, SortedDictionary<int, (int End, string Text)> r)
    {
        var unit = Next(t, i + 1);
        if (unit.Kind != SqlTokenKind.Word) return null;
        var ranged = Next(t, i + 2).Is("to");
        var last = ranged ? i + 4 : i + 2;
        var endUnit = t[Math.Min(last, t.Count - 1)];
        var yearMonth = unit.Is("year") || unit.Is("month");
        var type = TrinoType.Simple(yearMonth ? "interval year to month" : "interval day to second");
        if (!ranged) return (i + 3, type);
        string? duck = null;
        if (yearMonth && YearMonthText().Match(v) is { Success: true } ym)
        {
            var sign = ym.Groups["sign"].Value;
            duck = ym.Groups["b"].Success ? $"{sign}{ym.Groups["a"].Value} years {sign}{ym.Groups["b"].Value} months" : $"{sign}{ym.Groups["a"].Value} years";
        }
        else if (!yearMonth && DaySecondText().Match(v) is { Success: true } ds)
        {
            var sign = ds.Groups["sign"].Value;
            duck = $"{sign}{ds.Groups["d"].Value} days {sign}{ds.Groups["time"].Value}";
        }
        if (duck is null) return null;
        Replace(r, sql, t[i].Start, End(endUnit), $"INTERVAL '{duck}'");
        return (last + 1, type);
    }

    /// <summary>
    /// <c>[c.]information_schema.v</c> becomes a subquery over DuckDB's view of the same name, filtered to the catalog and
    /// shaped as Trino's: its columns only (plus the hidden <c>comment</c> and <c>extra_info</c> of <c>columns</c>), types
    /// spelled as Trino does (<c>trino_type</c>), DuckDB's <c>main</c> schemas left out and each catalog's own
    /// <c>information_schema</c> listed, as SHOW SCHEMAS does.
    /// </summary>
    private static void InformationSchema(List<SqlToken> t, int i, string sql, string sessionCatalog, SortedDictionary<int, (int End, string Text)> r)
    {
        var view = t[i + 2].Text.ToLowerInvariant();
        var qualified = i >= 2 && t[i - 1].IsSymbol(".");
        var catalog = qualified ? t[i - 2].Identifier : sessionCatalog;
        var start = qualified ? t[i - 2].Start : t[i].Start;
        var c = StatementParser.Quote(catalog);
        var subquery = view switch
        {
            "schemata" => $"SELECT catalog_name, schema_name FROM information_schema.schemata WHERE catalog_name = {c} AND schema_name <> 'main' "
                + $"UNION ALL SELECT database_name, 'information_schema' FROM duckdb_databases() WHERE database_name = {c}",
            "tables" => $"SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables WHERE table_catalog = {c} AND table_type IN ('BASE TABLE', 'VIEW')",
            "columns" => "SELECT table_catalog, table_schema, table_name, column_name, CAST(ordinal_position AS BIGINT) AS ordinal_position, column_default, "
                + "is_nullable, trino_type(data_type) AS data_type, COLUMN_COMMENT AS comment, CAST(NULL AS VARCHAR) AS extra_info "
                + $"FROM information_schema.columns WHERE table_catalog = {c}",
            _ => $"SELECT * FROM information_schema.{view} WHERE table_catalog = {c}",
        };
        Replace(r, sql, start, End(t[i + 2]), $"({subquery})");
    }

    private static void ColumnTypes(List<SqlToken> t, int i, string sql, SortedDictionary<int, (int End, string Text)> r)
    {
        var open = i + 1;
        while (open < t.Count && !t[open].IsSymbol("(") && !t[open].Is("as")) open++;
        if (open >= t.Count || !t[open].IsSymbol("(")) return;
        var close = Closing(t, open);
        for (var j = open + 1; j > 0 && j < close;)
        {
            var at = j + 1;
            if (TrinoTypeSyntax.TryParse(t, ref at, out var type))
            {
                Replace(r, sql, t[j + 1].Start, End(t[at - 1]), TrinoTypeSyntax.ToDuckDb(type));
            }
            var depth = 0;
            for (j = at; j < close && !(depth == 0 && t[j].IsSymbol(",")); j++)
            {
                if (t[j].IsSymbol("(")) depth++;
                else if (t[j].IsSymbol(")")) depth--;
            }
            j++;
        }
    }

    /// <summary>Trino allows <c>VALUES 1, 2</c> (one-column rows); DuckDB needs <c>VALUES (1), (2)</c>.</summary>
    private static void ParenthesizeValues(List<SqlToken> t, int i, string sql, SortedDictionary<int, (int End, string Text)> r)
    {
        var depth = 0;
        var start = i + 1;
        for (var j = i + 1; j <= t.Count; j++)
        {
            var end = j == t.Count || (depth == 0 && (t[j].IsSymbol(",") || t[j].IsSymbol(")") || t[j].IsSymbol(";") || (t[j].Kind == SqlTokenKind.Word && ClauseWords.Contains(t[j].Text))));
            if (!end)
            {
                if (t[j].IsSymbol("(") || t[j].IsSymbol("[")) depth++;
                else if (t[j].IsSymbol(")") || t[j].IsSymbol("]")) depth--;
                continue;
            }
            if (j > start && !(t[start].IsSymbol("(") && Closing(t, start) == j - 1))
            {
                r[t[start].Start] = (End(t[j - 1]), "(" + sql[t[start].Start..End(t[j - 1])] + ")");
            }
            if (j == t.Count || !t[j].IsSymbol(",")) return;
            start = j + 1;
        }
    }

    private static readonly HashSet<string> ClauseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "from", "where", "group", "having", "order", "limit", "offset", "fetch", "union", "except", "intersect", "window", "into",
    };

    private static readonly HashSet<string> NotAliases = new(StringComparer.OrdinalIgnoreCase) { "end", "null", "true", "false", "and", "or", "not" };

    /// <summary>The top-level select items up to the first <c>*</c>: the type a whole item states
    /// (<c>CAST(… AS t) [AS name]</c> or a typed literal), its alias, and whether it is an expression (Trino names
    /// those <c>_colN</c>).</summary>
    private static List<SelectItem> SelectListHints(List<SqlToken> t, Dictionary<int, (int EndToken, TrinoType Type)> stated)
    {
        var hints = new List<SelectItem>();
        var i = TopLevelSelect(t);
        if (i < 0) return hints;
        i++;
        if (i < t.Count && (t[i].Is("distinct") || t[i].Is("all"))) i++;
        var itemStart = i;
        var depth = 0;
        for (; i <= t.Count; i++)
        {
            var end = i == t.Count || (depth == 0 && (t[i].IsSymbol(",") || t[i].IsSymbol(";") || ClauseWords.Contains(t[i].Text) && t[i].Kind == SqlTokenKind.Word));
            if (!end)
            {
                if (t[i].IsSymbol("(") || t[i].IsSymbol("[")) depth++;
                else if (t[i].IsSymbol(")") || t[i].IsSymbol("]")) depth--;
                continue;
            }
            if (i == itemStart || t[i - 1].IsSymbol("*")) return hints;  // '*' expands to unknown columns
            hints.Add(Item(t, itemStart, i, stated));
            if (i == t.Count || !t[i].IsSymbol(",")) return hints;
            itemStart = i + 1;
        }
        return hints;
    }

    private static SelectItem Item(List<SqlToken> t, int start, int end, Dictionary<int, (int EndToken, TrinoType Type)> stated)
    {
        string? alias = null;
        var last = t[end - 1];
        var exprEnd = end;
        if (end - start >= 2 && last.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier && !NotAliases.Contains(last.Text))
        {
            var before = t[end - 2];
            if (before.Is("as")) { alias = last.Identifier; exprEnd = end - 2; }
            else if (before.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier or SqlTokenKind.Number or SqlTokenKind.String
                     || before.IsSymbol(")") || before.IsSymbol("]"))
            {
                alias = last.Identifier;
                exprEnd = end - 1;
            }
        }
        var type = stated.TryGetValue(start, out var s) && s.EndToken == exprEnd ? s.Type : null;
        var columnReference = true;
        for (var j = start; j < exprEnd; j++)
        {
            var identifier = t[j].Kind is SqlTokenKind.QuotedIdentifier || (t[j].Kind is SqlTokenKind.Word && !NotAliases.Contains(t[j].Text));
            if ((j - start) % 2 == 0 ? !identifier : !t[j].IsSymbol(".")) columnReference = false;
        }
        return new SelectItem(type, alias, Expression: alias is null && !columnReference);
    }

    private static int TopLevelSelect(List<SqlToken> t)
    {
        var depth = 0;
        for (var i = 0; i < t.Count; i++)
        {
            if (t[i].IsSymbol("(")) depth++;
            else if (t[i].IsSymbol(")")) depth--;
            else if (depth == 0 && t[i].Is("select")) return i;
            else if (depth == 0 && i == 0 && !t[i].Is("with")) return -1;
        }
        return -1;
    }

    private static ShimmedSql Build(string sql, SortedDictionary<int, (int End, string Text)> replacements, List<SelectItem> hints)
    {
        var sb = new StringBuilder(sql.Length + 64);
        var edits = new List<ShimmedSql.Edit>();
        var at = 0;
        foreach (var (start, (end, text)) in replacements)
        {
            if (start < at) continue;  // overlapping (already replaced)
            sb.Append(sql, at, start - at);
            var newStart = sb.Length;
            sb.Append(text);
            edits.Add(new ShimmedSql.Edit(start, end, newStart, sb.Length));
            at = end;
        }
        sb.Append(sql, at, sql.Length - at);
        return new ShimmedSql(sb.ToString(), hints, edits);
    }
}
