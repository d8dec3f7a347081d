using System.Globalization;

namespace KernelGateway.Extensions.Metastore.SqlCompletion;

/// <summary>
/// Splits SQL into tokens well enough to find names around a cursor: words (letters of any script, digits, <c>_</c>,
/// <c>$</c>), quoted identifiers (the dialect's quote, doubled to escape), string literals (<c>'…'</c> with
/// <c>''</c>), numbers, <c>--</c> and <c>/* */</c> comments, and one-character symbols. Text that is still being
/// typed is fine: an unterminated quote, string or comment runs to the end and is marked open.
/// </summary>
internal static class SqlLexer
{
    /// <summary>The tokens of <paramref name="sql"/>, whitespace left out.</summary>
    public static List<SqlToken> Tokenize(string sql, char identifierQuote)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            if (c == '-' && At(sql, i + 1) == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
                tokens.Add(new SqlToken(SqlTokenKind.Comment, sql[start..i], start, Open: end < 0));
            }
            else if (c == '/' && At(sql, i + 1) == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                tokens.Add(new SqlToken(SqlTokenKind.Comment, sql[start..i], start, Open: end < 0));
            }
            else if (c == '\'' || c == identifierQuote)
            {
                var open = !SkipQuoted(sql, ref i, c);
                tokens.Add(new SqlToken(c == '\'' ? SqlTokenKind.String : SqlTokenKind.Quoted, sql[start..i], start, open));
            }
            else if (IsWordStart(sql, i))
            {
                while (i < sql.Length && IsWordPart(sql, i)) i += char.IsSurrogatePair(sql, i) ? 2 : 1;
                tokens.Add(new SqlToken(SqlTokenKind.Word, sql[start..i], start));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < sql.Length && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] == '.' && char.IsAsciiDigit(At(sql, i + 1)))) i++;
                tokens.Add(new SqlToken(SqlTokenKind.Number, sql[start..i], start));
            }
            else
            {
                i++;
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, sql[start..i], start));
            }
        }
        return tokens;
    }

    /// <summary>Moves past a quoted run starting at <paramref name="i"/>; false when it never closes.</summary>
    private static bool SkipQuoted(string sql, ref int i, char quote)
    {
        i++;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (At(sql, i + 1) == quote) { i += 2; continue; }
                i++;
                return true;
            }
            i++;
        }
        return false;
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    private static bool IsWordStart(string s, int i) => s[i] == '_' || IsLetter(s, i);

    private static bool IsWordPart(string s, int i) => s[i] is '_' or '$' || char.IsAsciiDigit(s[i]) || IsLetter(s, i);

    private static bool IsLetter(string s, int i) =>
        CharUnicodeInfo.GetUnicodeCategory(s, i) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark;
}
