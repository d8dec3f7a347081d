using System.Text;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

internal enum TokenKind { Space, Comment, String, Backtick, Number, Word, NamedMarker, PositionalMarker, Symbol }

/// <summary>A token of Spark SQL text: its kind, where it starts and its text; <see cref="Value"/> is the decoded
/// content of a string literal (escapes applied) or a back-quoted identifier, or a marker's name.</summary>
internal sealed record SqlToken(TokenKind Kind, int Start, string Text, string Value)
{
    public bool Is(string word) => Kind is TokenKind.Word or TokenKind.Symbol && Text.Equals(word, StringComparison.OrdinalIgnoreCase);

    public bool Significant => Kind is not (TokenKind.Space or TokenKind.Comment);
}

/// <summary>
/// Splits Spark SQL into tokens as Spark's lexer sees them (SqlBaseLexer.g4): <c>--</c> and nested <c>/* */</c>
/// comments; string literals in single or double quotes with backslash escapes (<c>\'</c>, <c>\n</c>, <c>\u0041</c>…),
/// raw <c>r'…'</c> strings; back-quoted identifiers (<c>``</c> is a back quote); named parameter markers
/// <c>:name</c> (not <c>::</c>) and positional <c>?</c>.
/// </summary>
internal static class SqlTokenizer
{
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var pos = 0;
        while (pos < sql.Length)
        {
            var start = pos;
            var (kind, value) = Next(sql, ref pos);
            tokens.Add(new SqlToken(kind, start, sql[start..pos], value));
        }
        return tokens;
    }

    private static (TokenKind, string) Next(string s, ref int pos)
    {
        var c = s[pos];
        if (char.IsWhiteSpace(c)) { while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++; return (TokenKind.Space, ""); }
        if (c == '-' && At(s, pos + 1) == '-') { pos = s.IndexOf('\n', pos) is var nl and >= 0 ? nl : s.Length; return (TokenKind.Comment, ""); }
        if (c == '/' && At(s, pos + 1) == '*') { SkipBlockComment(s, ref pos); return (TokenKind.Comment, ""); }
        if (c is 'r' or 'R' && At(s, pos + 1) is '\'' or '"') { pos++; return (TokenKind.String, ReadQuoted(s, ref pos, raw: true)); }
        if (c is '\'' or '"') return (TokenKind.String, ReadQuoted(s, ref pos, raw: false));
        if (c == '`') return (TokenKind.Backtick, ReadBacktick(s, ref pos));
        if (c == ':' && At(s, pos + 1) != ':' && IsIdentStart(At(s, pos + 1)) && (pos == 0 || s[pos - 1] != ':'))
        {
            pos++;
            var name = ReadWord(s, ref pos);
            return (TokenKind.NamedMarker, name);
        }
        if (c == '?') { pos++; return (TokenKind.PositionalMarker, ""); }
        if (char.IsDigit(c) || (c == '.' && char.IsDigit(At(s, pos + 1)))) { ReadNumber(s, ref pos); return (TokenKind.Number, ""); }
        if (IsIdentStart(c)) { ReadWord(s, ref pos); return (TokenKind.Word, ""); }
        pos += SymbolLength(s, pos);
        return (TokenKind.Symbol, "");
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    private static bool IsIdentStart(char c) => char.IsLetter(c) || c == '_';

    private static string ReadWord(string s, ref int pos)
    {
        var start = pos;
        while (pos < s.Length && (char.IsLetterOrDigit(s[pos]) || s[pos] == '_')) pos++;
        return s[start..pos];
    }

    private static void ReadNumber(string s, ref int pos)
    {
        while (pos < s.Length && (char.IsLetterOrDigit(s[pos]) || s[pos] == '.'
            || (s[pos] is '+' or '-' && s[pos - 1] is 'e' or 'E' && char.IsDigit(s[pos - 2])))) pos++;
    }

    private static int SymbolLength(string s, int pos)
    {
        foreach (var op in new[] { "<=>", "::", "<=", ">=", "<>", "!=", "==", "||", "->", "=>" })
        {
            if (string.CompareOrdinal(s, pos, op, 0, op.Length) == 0) return op.Length;
        }
        return 1;
    }

    private static void SkipBlockComment(string s, ref int pos)
    {
        var depth = 0;
        do
        {
            if (At(s, pos) == '/' && At(s, pos + 1) == '*') { depth++; pos += 2; }
            else if (At(s, pos) == '*' && At(s, pos + 1) == '/') { depth--; pos += 2; }
            else pos++;
        }
        while (depth > 0 && pos < s.Length);
    }

    private static string ReadQuoted(string s, ref int pos, bool raw)
    {
        var quote = s[pos++];
        var sb = new StringBuilder();
        while (pos < s.Length && s[pos] != quote)
        {
            if (s[pos] == '\\' && !raw && pos + 1 < s.Length) sb.Append(Unescape(s, ref pos));
            else sb.Append(s[pos++]);
        }
        pos = Math.Min(pos + 1, s.Length);
        return sb.ToString();
    }

    /// <summary>One backslash escape, as Spark's ParserUtils.unescapeSQLString reads it.</summary>
    private static string Unescape(string s, ref int pos)
    {
        var c = s[pos + 1];
        pos += 2;
        switch (c)
        {
            case 'u' when pos + 4 <= s.Length:
                pos += 4;
                return ((char)Convert.ToInt32(s.Substring(pos - 4, 4), 16)).ToString();
            case '0': return "\0";
            case 'b': return "\b";
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case 'Z': return "\u001A";
            case '%': return "\\%";
            case '_': return "\\_";
            default: return c.ToString();
        }
    }

    private static string ReadBacktick(string s, ref int pos)
    {
        var sb = new StringBuilder();
        pos++;
        while (pos < s.Length)
        {
            if (s[pos] == '`')
            {
                if (At(s, pos + 1) == '`') { sb.Append('`'); pos += 2; continue; }
                pos++;
                return sb.ToString();
            }
            sb.Append(s[pos++]);
        }
        return sb.ToString();
    }
}
