using System.Text;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

/// <summary>DuckDB SQL made from Spark SQL, and the way back from a position in it to one in the Spark SQL.</summary>
internal sealed class RewrittenSql(string duckDb, IReadOnlyList<(int Out, int Source)> segments)
{
    public string DuckDb { get; } = duckDb;

    /// <summary>The offset in the Spark SQL that produced <paramref name="duckOffset"/> of <see cref="DuckDb"/>.</summary>
    public int SourceOffset(int duckOffset)
    {
        var best = (Out: 0, Source: 0);
        foreach (var s in segments)
        {
            if (s.Out > duckOffset) break;
            best = s;
        }
        return best.Source + (duckOffset - best.Out);
    }
}

/// <summary>
/// Turns Spark SQL into DuckDB SQL where the two dialects differ in spelling, keeping everything else as written:
/// string literals (single or double quotes, backslash escapes, adjacent literals concatenated, <c>r'…'</c> raw) become
/// DuckDB literals; back-quoted identifiers become double-quoted ones; <c>default.</c> (a DuckDB keyword) is quoted;
/// <c>X'0A'</c> becomes <c>from_hex('0A')</c>; types after <c>::</c>, in <c>CAST(… AS type)</c> and typed literals
/// (<c>TIMESTAMP '…'</c>, <c>TIMESTAMP_NTZ '…'</c>) are spelled as DuckDB's (see <see cref="SparkTypeSyntax"/>);
/// Spark's null-safe <c>&lt;=&gt;</c> becomes IS NOT DISTINCT FROM (DuckDB's <c>&lt;=&gt;</c> is a vector distance);
/// comments become spaces. Parameter markers (<c>:name</c>, <c>?</c>) are replaced by what the caller supplies, so
/// values never enter the text.
/// </summary>
internal sealed class SparkSqlRewriter
{
    private readonly List<SqlToken> _tokens;
    private readonly Func<string, int, string> _named;
    private readonly Func<int, int, string> _positional;
    private readonly StringBuilder _out = new();
    private readonly List<(int Out, int Source)> _segments = [];
    private readonly Stack<bool> _parens = new();
    private int _positionalCount;

    private SparkSqlRewriter(string sql, Func<string, int, string> named, Func<int, int, string> positional)
    {
        _tokens = SqlTokenizer.Tokenize(sql);
        _named = named;
        _positional = positional;
    }

    /// <summary>Rewrites <paramref name="sparkSql"/>; <paramref name="named"/> gets a marker's name and source offset and
    /// returns the DuckDB SQL to put there; <paramref name="positional"/> gets the 0-based index of a <c>?</c>.</summary>
    public static RewrittenSql Rewrite(string sparkSql, Func<string, int, string>? named = null, Func<int, int, string>? positional = null)
    {
        var r = new SparkSqlRewriter(sparkSql,
            named ?? ((n, _) => throw new InvalidOperationException("no parameters here: :" + n)),
            positional ?? ((_, _) => throw new InvalidOperationException("no parameters here: ?")));
        r.Run();
        return new RewrittenSql(r._out.ToString(), r._segments);
    }

    private void Run() => EmitRange(0, _tokens.Count);

    private void EmitRange(int from, int to)
    {
        var i = from;
        while (i < to) i = Step(i);
    }

    private int Step(int i)
    {
        var t = _tokens[i];
        switch (t.Kind)
        {
            case TokenKind.Comment:
                Emit(new string(t.Text.Select(c => c == '\n' ? '\n' : ' ').ToArray()), t.Start);
                return i + 1;
            case TokenKind.String:
                return EmitStrings(i);
            case TokenKind.Backtick:
                Emit(QuoteIdentifier(t.Value), t.Start);
                return i + 1;
            case TokenKind.NamedMarker:
                Emit(_named(t.Value, t.Start), t.Start);
                return i + 1;
            case TokenKind.PositionalMarker:
                Emit(_positional(_positionalCount++, t.Start), t.Start);
                return i + 1;
            case TokenKind.Word:
                return Word(i);
            case TokenKind.Symbol:
                return Symbol(i);
            case TokenKind.Number:
                Emit(Number(t.Text), t.Start);
                return i + 1;
            default:
                Emit(t.Text, t.Start);
                return i + 1;
        }
    }

    private int Word(int i)
    {
        var t = _tokens[i];
        var next = NextSignificant(i);
        if (t.Is("default") && next is { } n && _tokens[n].Is(".")) { Emit("\"default\"", t.Start); return i + 1; }
        if (t.Is("X") && i + 1 < _tokens.Count && _tokens[i + 1].Kind == TokenKind.String)
        {
            Emit($"from_hex({Literal(_tokens[i + 1].Value)})", t.Start);
            return i + 2;
        }
        if ((t.Is("TIMESTAMP") || t.Is("TIMESTAMP_NTZ") || t.Is("TIMESTAMP_LTZ")) && next is { } s && _tokens[s].Kind == TokenKind.String)
        {
            Emit(t.Is("TIMESTAMP_NTZ") ? "TIMESTAMP" : "TIMESTAMPTZ", t.Start);
            return i + 1;
        }
        if (next is { } call && _tokens[call].Is("(") && (t.Is("named_struct") || t.Is("map") || t.Is("array")))
        {
            return Constructor(i, call);
        }
        if (t.Is("INTERVAL") && next is { } v && _tokens[v].Kind == TokenKind.String && IntervalQualifier(v) is { } q)
        {
            Emit("INTERVAL " + Literal(IntervalText(_tokens[v].Value, q.From)), t.Start);
            return q.End;
        }
        if ((t.Is("CAST") || t.Is("TRY_CAST")) && next is { } p && _tokens[p].Is("("))
        {
            Emit(t.Text, t.Start);
            EmitGap(i + 1, p);
            Emit("(", _tokens[p].Start);
            _parens.Push(true);
            return p + 1;
        }
        Emit(t.Text, t.Start);
        return t.Is("AS") && _parens.TryPeek(out var inCast) && inCast ? EmitType(i + 1) : i + 1;
    }

    private int Symbol(int i)
    {
        var t = _tokens[i];
        Emit(t.Is("<=>") ? "IS NOT DISTINCT FROM" : t.Text, t.Start);
        if (t.Is("(")) _parens.Push(false);
        else if (t.Is(")")) _parens.TryPop(out _);
        return t.Is("::") ? EmitType(i + 1) : i + 1;
    }

    /// <summary>Spark's typed number literals (<c>10L</c>, <c>2S</c>, <c>1Y</c>, <c>1.5D</c>, <c>1.5F</c>, <c>2.5BD</c>) as casts.</summary>
    private static string Number(string text)
    {
        (string Suffix, string Type)[] suffixes = [("BD", "DECIMAL"), ("L", "BIGINT"), ("S", "SMALLINT"), ("Y", "TINYINT"), ("D", "DOUBLE"), ("F", "FLOAT")];
        foreach (var (suffix, type) in suffixes)
        {
            if (!text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) || text.Length == suffix.Length) continue;
            var digits = text[..^suffix.Length];
            if (!digits.All(c => char.IsDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')) continue;
            if (type != "DECIMAL") return $"CAST({digits} AS {type})";
            var scale = digits.Contains('.') ? digits.Length - digits.IndexOf('.') - 1 : 0;
            return $"CAST({digits} AS DECIMAL({Math.Max(digits.Count(char.IsDigit), 1)},{scale}))";
        }
        return text;
    }

    /// <summary>Spark's collection constructors as DuckDB's: <c>array(a, b)</c> → <c>list_value(a, b)</c>,
    /// <c>map(k1, v1, k2, v2)</c> → <c>MAP([k1, k2], [v1, v2])</c>, <c>named_struct('x', 1)</c> → <c>struct_pack("x" := 1)</c>.</summary>
    private int Constructor(int nameIndex, int open)
    {
        var name = _tokens[nameIndex];
        var close = Matching(open);
        var args = Arguments(open + 1, close);
        if (name.Is("array"))
        {
            Emit("list_value", name.Start);
            EmitGap(nameIndex + 1, open);
            EmitRange(open, close + 1);
            return close + 1;
        }
        Emit(name.Is("map") ? "MAP([" : "struct_pack(", name.Start);
        for (var k = 0; k < args.Count; k++)
        {
            if (name.Is("named_struct") && k % 2 == 0)
            {
                var key = _tokens[args[k].From..args[k].To].FirstOrDefault(x => x.Significant);
                Emit((k > 0 ? ", " : "") + QuoteIdentifier(key?.Value ?? "") + " := ", key?.Start ?? name.Start);
                continue;
            }
            if (name.Is("map") && k % 2 == 1) continue;
            if (name.Is("map") && k > 0) Emit(", ", _tokens[args[k].From].Start);
            EmitRange(args[k].From, args[k].To);
        }
        if (name.Is("map"))
        {
            Emit("], [", _tokens[close].Start);
            for (var k = 1; k < args.Count; k += 2)
            {
                if (k > 1) Emit(", ", _tokens[args[k].From].Start);
                EmitRange(args[k].From, args[k].To);
            }
            Emit("]", _tokens[close].Start);
        }
        Emit(")", _tokens[close].Start);
        return close + 1;
    }

    private int Matching(int open)
    {
        var depth = 0;
        for (var k = open; k < _tokens.Count; k++)
        {
            if (_tokens[k].Is("(")) depth++;
            else if (_tokens[k].Is(")") && --depth == 0) return k;
        }
        return _tokens.Count - 1;
    }

    /// <summary>The token ranges of the comma-separated arguments between <paramref name="from"/> and <paramref name="to"/>.</summary>
    private List<(int From, int To)> Arguments(int from, int to)
    {
        var args = new List<(int, int)>();
        var depth = 0;
        var start = from;
        for (var k = from; k < to; k++)
        {
            if (_tokens[k].Is("(")) depth++;
            else if (_tokens[k].Is(")")) depth--;
            else if (depth == 0 && _tokens[k].Is(","))
            {
                args.Add((start, k));
                start = k + 1;
            }
        }
        if (_tokens[from..to].Any(x => x.Significant)) args.Add((start, to));
        return args;
    }

    /// <summary><c>INTERVAL '…' DAY TO SECOND</c> (or another <c>unit TO unit</c>): the first unit and the token after the qualifier.</summary>
    private (string From, int End)? IntervalQualifier(int value)
    {
        var words = new List<int>();
        for (var k = value + 1; k < _tokens.Count && words.Count < 3; k++) if (_tokens[k].Significant) words.Add(k);
        if (words.Count < 3 || !_tokens[words[1]].Is("TO")) return null;
        return (_tokens[words[0]].Text.ToUpperInvariant(), words[2] + 1);
    }

    /// <summary>Spark's interval text for a <c>unit TO unit</c> qualifier in DuckDB's words: <c>1 02:00:00</c> (DAY TO …) is
    /// <c>1 days 02:00:00</c>, <c>1-2</c> (YEAR TO MONTH) is <c>1 years 2 months</c>.</summary>
    private static string IntervalText(string value, string from)
    {
        var v = value.Trim();
        var sign = v.StartsWith('-') ? "-" : "";
        v = v.TrimStart('-', '+');
        return from switch
        {
            "YEAR" when v.Split('-') is [var y, var m] => $"{sign}{y} years {sign}{m} months",
            "DAY" when v.Split(' ', 2) is [var d, var time] => $"{sign}{d} days {sign}{time}",
            "DAY" => $"{sign}{v} days",
            _ => sign + v,
        };
    }

    /// <summary>Writes the Spark type starting at the next significant token as DuckDB's; returns the token after it.</summary>
    private int EmitType(int i)
    {
        var significant = new List<int>();
        for (var k = i; k < _tokens.Count; k++) if (_tokens[k].Significant) significant.Add(k);
        if (significant.Count == 0) return i;
        EmitGap(i, significant[0]);
        var list = significant.Select(k => _tokens[k]).ToList();
        var consumed = 0;
        var duck = SparkTypeSyntax.Read(list, ref consumed);
        Emit(duck, list[0].Start);
        return significant[consumed - 1] + 1;
    }

    /// <summary>Adjacent string literals are one literal in Spark (<c>'a' 'b'</c> is <c>'ab'</c>).</summary>
    private int EmitStrings(int i)
    {
        var start = _tokens[i].Start;
        var value = new StringBuilder(_tokens[i].Value);
        var last = i;
        for (var k = i + 1; k < _tokens.Count; k++)
        {
            if (_tokens[k].Kind == TokenKind.String)
            {
                value.Append(_tokens[k].Value);
                last = k;
            }
            else if (_tokens[k].Significant)
            {
                break;
            }
        }
        Emit(Literal(value.ToString()), start);
        return last + 1;
    }

    private void EmitGap(int from, int to)
    {
        for (var k = from; k < to; k++) Emit(_tokens[k].Kind == TokenKind.Comment ? " " : _tokens[k].Text, _tokens[k].Start);
    }

    private int? NextSignificant(int i)
    {
        for (var k = i + 1; k < _tokens.Count; k++) if (_tokens[k].Significant) return k;
        return null;
    }

    private void Emit(string text, int sourceStart)
    {
        _segments.Add((_out.Length, sourceStart));
        _out.Append(text);
    }

    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
