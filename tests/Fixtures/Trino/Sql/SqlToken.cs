namespace KernelGateway.Tests.Fixtures.Trino.Sql;

/// <summary>The kinds of token the shim tells apart.</summary>
internal enum SqlTokenKind { Word, QuotedIdentifier, String, Number, Symbol, Comment, Whitespace }

/// <summary>One token of SQL text: its kind and where it is (<paramref name="Start"/>, <paramref name="Length"/>).</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length, string Text)
{
    /// <summary>Whether this is the word <paramref name="word"/> (case-insensitive).</summary>
    public bool Is(string word) => Kind == SqlTokenKind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this is the symbol <paramref name="symbol"/>.</summary>
    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Text == symbol;

    /// <summary>The value of a string literal (quotes removed, doubled quotes undone).</summary>
    public string StringValue => Text[1..^1].Replace("''", "'");

    /// <summary>The name of an identifier, quoted or not (bare names compare case-insensitively, so they are lowered).</summary>
    public string Identifier => Kind == SqlTokenKind.QuotedIdentifier ? Text[1..^1].Replace("\"\"", "\"") : Text.ToLowerInvariant();
}

/// <summary>Splits SQL into tokens; never fails (an unterminated literal runs to the end).</summary>
internal static class SqlLexer
{
    /// <summary>All tokens, whitespace and comments included, so the text can be rebuilt exactly.</summary>
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var start = i;
            var kind = Next(sql, ref i);
            tokens.Add(new SqlToken(kind, start, i - start, sql[start..i]));
        }
        return tokens;
    }

    /// <summary>The tokens that carry meaning (no whitespace, no comments).</summary>
    public static List<SqlToken> Significant(string sql) =>
        Tokenize(sql).Where(t => t.Kind is not (SqlTokenKind.Whitespace or SqlTokenKind.Comment)).ToList();

    private static SqlTokenKind Next(string s, ref int i)
    {
        var c = s[i];
        if (char.IsWhiteSpace(c))
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            return SqlTokenKind.Whitespace;
        }
        if (c == '-' && At(s, i + 1) == '-')
        {
            while (i < s.Length && s[i] != '\n') i++;
            return SqlTokenKind.Comment;
        }
        if (c == '/' && At(s, i + 1) == '*')
        {
            var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
            i = end < 0 ? s.Length : end + 2;
            return SqlTokenKind.Comment;
        }
        if (c is '\'' or '"')
        {
            Quoted(s, ref i, c);
            return c == '\'' ? SqlTokenKind.String : SqlTokenKind.QuotedIdentifier;
        }
        if (char.IsDigit(c) || (c == '.' && char.IsDigit(At(s, i + 1))))
        {
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '.' || ((s[i] is '+' or '-') && s[i - 1] is 'e' or 'E'))) i++;
            return SqlTokenKind.Number;
        }
        if (char.IsLetter(c) || c == '_')
        {
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '$')) i++;
            return SqlTokenKind.Word;
        }
        i += c switch
        {
            '|' when At(s, i + 1) == '|' => 2,
            '<' when At(s, i + 1) is '=' or '>' => 2,
            '>' or '!' when At(s, i + 1) == '=' => 2,
            '-' when At(s, i + 1) == '>' => 2,
            ':' when At(s, i + 1) == ':' => 2,
            _ => 1,
        };
        return SqlTokenKind.Symbol;
    }

    private static void Quoted(string s, ref int i, char quote)
    {
        i++;
        while (i < s.Length)
        {
            if (s[i] == quote)
            {
                if (At(s, i + 1) == quote) { i += 2; continue; }
                i++;
                return;
            }
            i++;
        }
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';
}
