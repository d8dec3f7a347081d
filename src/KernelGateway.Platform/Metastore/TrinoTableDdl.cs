using System.Text;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// What a Trino <c>SHOW CREATE TABLE</c> statement says beyond the columns: the table's <c>COMMENT '...'</c> and
/// its <c>WITH (name = value, ...)</c> properties, as connectors write them (Hive: <c>format = 'ORC'</c>,
/// <c>partitioned_by = ARRAY['ds']</c>, <c>external_location = '...'</c>; Iceberg: <c>partitioning =
/// ARRAY['day(ts)']</c>, <c>location = '...'</c>). String literals are unquoted; an <c>ARRAY[...]</c> also gives
/// its items.
/// </summary>
/// <param name="Comment">The table comment, or null.</param>
/// <param name="Properties">The properties in the order written.</param>
internal sealed record TrinoTableDdl(string? Comment, IReadOnlyList<TrinoTableProperty> Properties)
{
    /// <summary>Reads the statement text; a text without a column list gives no comment and no properties.</summary>
    public static TrinoTableDdl Parse(string ddl)
    {
        var top = Scanner.Split(ddl, 0, ddl.Length, splitOnComma: false);
        var columns = top.FindIndex(p => p.StartsWith('('));
        string? comment = null;
        var properties = new List<TrinoTableProperty>();
        for (var i = columns + 1; columns >= 0 && i < top.Count; i++)
        {
            if (top[i].Equals("COMMENT", StringComparison.OrdinalIgnoreCase) && i + 1 < top.Count && Scanner.Unquote(top[i + 1]) is { } text)
            {
                comment = text;
                i++;
            }
            else if (top[i].Equals("WITH", StringComparison.OrdinalIgnoreCase) && i + 1 < top.Count && top[i + 1].StartsWith('('))
            {
                var list = top[i + 1];
                foreach (var entry in Scanner.Split(list, 1, list.Length - 1, splitOnComma: true).Where(e => e.Length > 0))
                {
                    if (Property(entry) is { } property) properties.Add(property);
                }
                i++;
            }
        }
        return new TrinoTableDdl(comment, properties);
    }

    private static TrinoTableProperty? Property(string entry)
    {
        var eq = Scanner.TopLevelEquals(entry);
        if (eq <= 0) return null;
        var key = entry[..eq].Trim();
        key = key.StartsWith('"') ? key[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : key;
        var value = entry[(eq + 1)..].Trim();
        if (value.StartsWith("ARRAY", StringComparison.OrdinalIgnoreCase) && value.EndsWith(']'))
        {
            var open = value.IndexOf('[');
            var items = Scanner.Split(value, open + 1, value.Length - 1, splitOnComma: true).Where(s => s.Length > 0).Select(s => Scanner.Unquote(s) ?? s).ToList();
            return new TrinoTableProperty(key, string.Join(", ", items), items);
        }
        return new TrinoTableProperty(key, Scanner.Unquote(value) ?? value, null);
    }

    /// <summary>Splits SQL text into top-level pieces, keeping strings, quoted names and bracketed groups whole.</summary>
    private static class Scanner
    {
        /// <summary>
        /// With <paramref name="splitOnComma"/>: the comma-separated items of <c>text[start..end]</c>; without: its words,
        /// literals and bracketed groups (a group is one piece, brackets included).
        /// </summary>
        public static List<string> Split(string text, int start, int end, bool splitOnComma)
        {
            var pieces = new List<string>();
            var piece = new StringBuilder();
            var depth = 0;
            void Flush()
            {
                var s = piece.ToString().Trim();
                if (s.Length > 0 || splitOnComma) pieces.Add(s);
                piece.Clear();
            }
            for (var i = start; i < end; i++)
            {
                var c = text[i];
                if (c is '\'' or '"')
                {
                    var close = Closing(text, i, end);
                    piece.Append(text, i, close - i);
                    i = close - 1;
                    continue;
                }
                if (c is '(' or '[')
                {
                    if (depth == 0 && !splitOnComma) Flush();
                    depth++;
                }
                else if (c is ')' or ']') depth--;
                if (depth == 0 && (splitOnComma ? c == ',' : char.IsWhiteSpace(c)))
                {
                    Flush();
                    continue;
                }
                piece.Append(c);
                if (depth == 0 && c is ')' or ']' && !splitOnComma) Flush();
            }
            if (piece.Length > 0 || (splitOnComma && pieces.Count > 0)) Flush();
            return pieces;
        }

        /// <summary>The index just past the quote that closes the one at <paramref name="open"/> (a doubled quote is an escaped one).</summary>
        private static int Closing(string text, int open, int end)
        {
            var quote = text[open];
            for (var i = open + 1; i < end; i++)
            {
                if (text[i] != quote) continue;
                if (i + 1 < end && text[i + 1] == quote) i++;
                else return i + 1;
            }
            return end;
        }

        /// <summary>The position of the first <c>=</c> outside quotes, or -1.</summary>
        public static int TopLevelEquals(string entry)
        {
            for (var i = 0; i < entry.Length; i++)
            {
                if (entry[i] is '\'' or '"') i = Closing(entry, i, entry.Length) - 1;
                else if (entry[i] == '=') return i;
            }
            return -1;
        }

        /// <summary>The text of a whole string literal (<c>'it''s'</c> → <c>it's</c>), or null when it is not one.</summary>
        public static string? Unquote(string piece) =>
            piece.Length >= 2 && piece[0] == '\'' && piece[^1] == '\'' && Closing(piece, 0, piece.Length) == piece.Length
                ? piece[1..^1].Replace("''", "'", StringComparison.Ordinal)
                : null;
    }
}

/// <summary>One <c>name = value</c> of a <c>WITH (...)</c> clause.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Value">The value: a string literal's text, an array's items joined by <c>", "</c>, or the SQL as written.</param>
/// <param name="Items">For an <c>ARRAY[...]</c> value, its items (string literals unquoted); else null.</param>
internal sealed record TrinoTableProperty(string Name, string Value, IReadOnlyList<string>? Items);
