namespace KernelGateway.Extensions.Metastore.SqlCompletion;

/// <summary>What the position at the cursor expects.</summary>
internal enum SqlExpected
{
    /// <summary>Nothing: the cursor is in a string literal or a comment.</summary>
    Nothing,
    /// <summary>A keyword (start of a statement, after a table reference, …).</summary>
    Keyword,
    /// <summary>A table, or a catalog or schema on the way to one (after FROM, JOIN, INTO, …).</summary>
    Table,
    /// <summary>A column of the statement's tables (SELECT list, WHERE, ON, GROUP BY, …).</summary>
    Column,
}

/// <summary>A table the statement reads: its name as written (one to three parts) and its alias, if any.</summary>
internal sealed record SqlTableReference(IReadOnlyList<string> Parts, string? Alias)
{
    /// <summary>Whether <paramref name="name"/> is how the statement refers to it: its alias, else its own name.</summary>
    public bool IsCalled(string name) => string.Equals(Alias ?? Parts[^1], name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The SQL around a cursor: what the position expects, the dotted names before it (<c>schema.</c>, <c>t.</c>), the
/// name being typed and the span a completion replaces, and the tables the statement reads (from FROM and JOIN,
/// anywhere in the statement, with their aliases).
/// </summary>
internal sealed record SqlCursor
{
    /// <summary>What the position expects.</summary>
    public required SqlExpected Expected { get; init; }

    /// <summary>The names before the cursor joined by dots (<c>a.b.</c>|), outermost first; empty when none.</summary>
    public required IReadOnlyList<string> Qualifier { get; init; }

    /// <summary>The part of the name typed so far, without its opening quote.</summary>
    public required string Prefix { get; init; }

    /// <summary>Whether the name being typed opened with a quote: it then matches names exactly, case included.</summary>
    public bool PrefixQuoted { get; init; }

    /// <summary>Where the replaced span starts (the opening quote, when one was typed) and ends (the cursor).</summary>
    public required int Start { get; init; }

    /// <summary>The end of the replaced span: the cursor.</summary>
    public required int End { get; init; }

    /// <summary>The tables the cursor's statement reads.</summary>
    public required IReadOnlyList<SqlTableReference> Tables { get; init; }

    /// <summary>Reads the SQL at <paramref name="offset"/> (a UTF-16 index into <paramref name="sql"/>).</summary>
    public static SqlCursor At(string sql, int offset, SqlDialect dialect)
    {
        offset = Math.Clamp(offset, 0, sql.Length);
        // Before and after the cursor are read apart: a quote still open at the cursor must not swallow the rest.
        var tokens = SqlLexer.Tokenize(sql[..offset], dialect.Quote);
        tokens.AddRange(SqlLexer.Tokenize(sql[offset..], dialect.Quote).Select(t => t with { Start = t.Start + offset }));
        var statement = Statement(tokens, offset);
        var before = statement.Where(t => t.Start < offset).ToList();
        var tables = TableReferences(statement.Where(t => t.Kind != SqlTokenKind.Comment).ToList());
        var last = before.Count > 0 ? before[^1] : null;
        if (last is { Kind: SqlTokenKind.String or SqlTokenKind.Comment } && (last.End > offset || last.Open || last.Text.StartsWith("--", StringComparison.Ordinal) && last.End == offset))
            return new SqlCursor { Expected = SqlExpected.Nothing, Qualifier = [], Prefix = "", Start = offset, End = offset, Tables = tables };
        if (last is { IsName: true } && last.End > offset) // the cursor is inside a name: what is before it is the prefix
            before[^1] = last with { Text = last.Text[..(offset - last.Start)], Open = last.Kind == SqlTokenKind.Quoted };

        var significant = before.Where(t => t.Kind != SqlTokenKind.Comment).ToList();
        var typing = significant.Count > 0 && significant[^1] is { IsName: true } t && t.End == offset ? t : null;
        var at = significant.Count - (typing is null ? 1 : 2);
        var qualifier = new List<string>();
        while (at >= 1 && significant[at].IsSymbol('.') && significant[at - 1].IsName)
        {
            qualifier.Insert(0, significant[at - 1].Name);
            at -= 2;
        }
        return new SqlCursor
        {
            Expected = Expect(significant, at),
            Qualifier = qualifier,
            Prefix = typing?.Name ?? "",
            PrefixQuoted = typing?.Kind == SqlTokenKind.Quoted,
            Start = typing?.Start ?? offset,
            End = offset,
            Tables = tables,
        };
    }

    /// <summary>The tokens of the statement holding the offset (statements end at <c>;</c>).</summary>
    private static List<SqlToken> Statement(List<SqlToken> tokens, int offset)
    {
        var start = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].IsSymbol(';')) continue;
            if (tokens[i].End <= offset) start = i + 1;
            else return tokens[start..i];
        }
        return tokens[start..];
    }

    /// <summary>What the token at <paramref name="at"/> (the last one before the name at the cursor) makes the cursor expect.</summary>
    private static SqlExpected Expect(List<SqlToken> tokens, int at)
    {
        if (at < 0) return SqlExpected.Keyword;
        var previous = tokens[at];
        if (previous.Kind == SqlTokenKind.Word && SqlKeywords.BeforeTable.Contains(previous.Text)) return SqlExpected.Table;
        var clause = Clause(tokens, at);
        if (previous.IsSymbol(',') && clause is "FROM" or "JOIN") return SqlExpected.Table;
        if (clause is null) return SqlExpected.Keyword;
        if (SqlKeywords.BeforeTable.Contains(clause)) return SqlExpected.Keyword; // after a table name or alias
        // A name just typed in a column clause (SELECT a |) is followed by a keyword or an alias, not another column.
        if (previous.IsName && !SqlKeywords.ColumnClauses.Contains(previous.Text)) return SqlExpected.Keyword;
        return SqlKeywords.ColumnClauses.Contains(clause) ? SqlExpected.Column : SqlExpected.Keyword;
    }

    /// <summary>The nearest clause word at or before <paramref name="at"/> at the same parenthesis depth, upper case; null when none.</summary>
    private static string? Clause(List<SqlToken> tokens, int at)
    {
        var depth = 0;
        for (var i = at; i >= 0; i--)
        {
            var t = tokens[i];
            if (t.IsSymbol(')')) depth++;
            else if (t.IsSymbol('(')) { if (depth == 0) continue; depth--; }
            else if (depth == 0 && t.Kind == SqlTokenKind.Word && (SqlKeywords.BeforeTable.Contains(t.Text) || SqlKeywords.ColumnClauses.Contains(t.Text)))
                return t.Text.ToUpperInvariant();
        }
        return null;
    }

    /// <summary>Every <c>FROM a.b.c [AS] x, d</c> and <c>JOIN e f</c> of the statement.</summary>
    private static List<SqlTableReference> TableReferences(List<SqlToken> tokens)
    {
        var found = new List<SqlTableReference>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!(tokens[i].Is("FROM") || tokens[i].Is("JOIN"))) continue;
            var at = i + 1;
            while (Reference(tokens, ref at) is { } reference)
            {
                found.Add(reference);
                if (at < tokens.Count && tokens[at].IsSymbol(',')) at++;
                else break;
            }
        }
        return found;
    }

    /// <summary>A dotted name and an optional alias at <paramref name="at"/>, moving past them; null when there is none.</summary>
    private static SqlTableReference? Reference(List<SqlToken> tokens, ref int at)
    {
        var parts = new List<string>();
        while (at < tokens.Count && tokens[at].IsName && !(tokens[at].Kind == SqlTokenKind.Word && SqlKeywords.IsReserved(tokens[at].Text)))
        {
            parts.Add(tokens[at].Name);
            at++;
            if (at + 1 < tokens.Count && tokens[at].IsSymbol('.') && tokens[at + 1].IsName) at++;
            else break;
        }
        if (parts.Count == 0) return null;
        if (at < tokens.Count && tokens[at].Is("AS")) at++;
        string? alias = null;
        if (at < tokens.Count && tokens[at].IsName && !(tokens[at].Kind == SqlTokenKind.Word && SqlKeywords.IsReserved(tokens[at].Text)))
            alias = tokens[at++].Name;
        return new SqlTableReference(parts.TakeLast(3).ToList(), alias);
    }
}
