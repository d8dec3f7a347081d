using System.Text;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Type names as text, both ways. <see cref="Parse"/> reads what Trino and Presto print (<c>decimal(10,2)</c>,
/// <c>timestamp(3) with time zone</c>, <c>interval day to second</c>, <c>double precision</c>,
/// <c>row(a integer, "b c" array(varchar))</c>, legacy <c>array&lt;bigint&gt;</c>); <see cref="Display"/> writes
/// Trino's spelling. In a row, a word followed by another word is a field name, unless the two begin a type of
/// several words (<c>timestamp with</c>, <c>double precision</c>, <c>interval day</c>).
/// </summary>
internal static class TrinoTypeNames
{
    private const int MaxDepth = 64;

    public static TrinoType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        var type = parser.Type(0);
        parser.ExpectEnd();
        return type;
    }

    /// <summary>The types Trino spells in mixed case (<c>ClientStandardTypes</c>); the others are lower case.</summary>
    private static readonly Dictionary<string, string> MixedCase = new[]
    {
        "HyperLogLog", "P4HyperLogLog", "SetDigest", "Geometry", "SphericalGeography", "BingTile", "KdbTree",
    }.ToDictionary(n => n.ToLowerInvariant());

    /// <summary>Trino's spelling of a type whose name and arguments are read.</summary>
    public static string Display(TrinoType type, string spelling, IReadOnlyList<TrinoTypeArgument> arguments)
    {
        var name = MixedCase.TryGetValue(type.RawType, out var mixed) ? mixed : type.Kind == TrinoKind.Unknown ? spelling : type.RawType;
        return type.RawType switch
        {
            "row" => "row(" + string.Join(", ", type.Fields.Select(f => f.Name is { Length: > 0 } n ? Quoted(n) + " " + f.Type.DisplayName : f.Type.DisplayName)) + ")",
            "map" => $"map({type.KeyType!.DisplayName}, {type.ValueType!.DisplayName})",
            "varchar" when type.Length is null => "varchar",
            "time with time zone" or "timestamp with time zone" when arguments.Count > 0 => $"{name[..name.IndexOf(' ')]}({string.Join(",", arguments)}) with time zone",
            _ when arguments.Count == 0 => name,
            _ => $"{name}({string.Join(",", arguments)})",
        };
    }

    /// <summary>A field name as is when it is a plain identifier, else double-quoted (quotes doubled).</summary>
    private static string Quoted(string name) =>
        IsIdentifier(name) ? name : "\"" + name.Replace("\"", "\"\"") + "\"";

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private enum TokenKind : byte { Word, Number, Quoted, Open, Close, Comma, End }

    private readonly record struct Token(TokenKind Kind, string Text);

    /// <summary>Recursive descent over the tokens of one type name.</summary>
    private sealed class Parser
    {
        private readonly string _text;
        private readonly List<Token> _tokens;
        private int _next;

        public Parser(string text)
        {
            _text = text;
            _tokens = Tokenize(text);
        }

        public TrinoType Type(int depth)
        {
            if (depth > MaxDepth) throw Bad("is nested too deeply");
            var spelling = Take(TokenKind.Word).Text;
            return spelling.ToLowerInvariant() switch
            {
                "row" => Row(depth),
                "double" when IsWord(0, "precision") => Skip(1, new TrinoType("double", [])),
                "interval" => Interval(),
                "time" or "timestamp" => DateTime(spelling.ToLowerInvariant()),
                _ => new TrinoType(spelling, Arguments(depth)),
            };
        }

        public void ExpectEnd()
        {
            if (Peek(0).Kind != TokenKind.End) throw Bad($"has '{Peek(0).Text}' after the type");
        }

        private TrinoType Row(int depth)
        {
            var fields = new List<TrinoTypeArgument>();
            Take(TokenKind.Open);
            do
            {
                string? name = null;
                if (Peek(0).Kind == TokenKind.Quoted || StartsNamedField()) name = Take(Peek(0).Kind).Text;
                fields.Add(TrinoTypeArgument.Of(Type(depth + 1), name));
            }
            while (TakeIf(TokenKind.Comma));
            Take(TokenKind.Close);
            return new TrinoType("row", fields);
        }

        /// <summary>A word then another word, other than the start of a type of several words.</summary>
        private bool StartsNamedField()
        {
            if (Peek(0).Kind != TokenKind.Word || Peek(1).Kind != TokenKind.Word) return false;
            var first = Peek(0).Text.ToLowerInvariant();
            var second = Peek(1).Text.ToLowerInvariant();
            var startsType = (first == "double" && second == "precision")
                || (first is "time" or "timestamp" && second is "with" or "without")
                || (first == "interval" && second is "year" or "month" or "day" or "hour" or "minute" or "second");
            return !startsType;
        }

        /// <summary><c>interval day to second</c>, <c>interval year to month</c> (any fields, as written).</summary>
        private TrinoType Interval()
        {
            var name = new StringBuilder("interval ").Append(Take(TokenKind.Word).Text.ToLowerInvariant());
            if (IsWord(0, "to")) name.Append(" to ").Append(Take(TokenKind.Word, ahead: 1).Text.ToLowerInvariant());
            return new TrinoType(name.ToString(), Arguments(0));
        }

        /// <summary><c>time</c>/<c>timestamp</c>, an optional precision, then optionally <c>with</c>/<c>without time zone</c>.</summary>
        private TrinoType DateTime(string baseName)
        {
            var arguments = Arguments(0);
            var name = baseName;
            if (IsWord(0, "with") || IsWord(0, "without"))
            {
                var with = Take(TokenKind.Word).Text.Equals("with", StringComparison.OrdinalIgnoreCase);
                if (!IsWord(0, "time") || !IsWord(1, "zone")) throw Bad("has 'with' without 'time zone'");
                _next += 2;
                if (with) name += " with time zone";
            }
            return new TrinoType(name, arguments);
        }

        /// <summary>An optional parenthesized list of numbers and types.</summary>
        private List<TrinoTypeArgument> Arguments(int depth)
        {
            var arguments = new List<TrinoTypeArgument>();
            if (!TakeIf(TokenKind.Open)) return arguments;
            do
            {
                arguments.Add(Peek(0).Kind == TokenKind.Number
                    ? TrinoTypeArgument.Of(long.Parse(Take(TokenKind.Number).Text, System.Globalization.CultureInfo.InvariantCulture))
                    : TrinoTypeArgument.Of(Type(depth + 1)));
            }
            while (TakeIf(TokenKind.Comma));
            Take(TokenKind.Close);
            return arguments;
        }

        private Token Peek(int ahead) => _tokens[Math.Min(_next + ahead, _tokens.Count - 1)];

        private bool IsWord(int ahead, string word) =>
            Peek(ahead).Kind == TokenKind.Word && Peek(ahead).Text.Equals(word, StringComparison.OrdinalIgnoreCase);

        private Token Take(TokenKind kind, int ahead = 0)
        {
            _next += ahead;
            var token = Peek(0);
            if (token.Kind != kind) throw Bad(token.Kind == TokenKind.End ? $"ends where a {kind} was expected" : $"has '{token.Text}' where a {kind} was expected");
            _next++;
            return token;
        }

        private bool TakeIf(TokenKind kind)
        {
            if (Peek(0).Kind != kind) return false;
            _next++;
            return true;
        }

        private T Skip<T>(int tokens, T result)
        {
            _next += tokens;
            return result;
        }

        private FormatException Bad(string what) => new($"'{_text}' is not a type name: it {what}");

        private static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            for (var i = 0; i < text.Length;)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c)) { i++; continue; }
                var start = i;
                if (c is '(' or '<') { tokens.Add(new Token(TokenKind.Open, c.ToString())); i++; }
                else if (c is ')' or '>') { tokens.Add(new Token(TokenKind.Close, c.ToString())); i++; }
                else if (c == ',') { tokens.Add(new Token(TokenKind.Comma, ",")); i++; }
                else if (char.IsAsciiDigit(c))
                {
                    while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                    tokens.Add(new Token(TokenKind.Number, text[start..i]));
                }
                else if (char.IsAsciiLetter(c) || c == '_')
                {
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                    tokens.Add(new Token(TokenKind.Word, text[start..i]));
                }
                else if (c == '"') tokens.Add(new Token(TokenKind.Quoted, QuotedName(text, ref i)));
                else throw new FormatException($"'{text}' is not a type name: it has '{c}' at {i}");
            }
            tokens.Add(new Token(TokenKind.End, ""));
            return tokens;
        }

        /// <summary>A double-quoted name starting at <paramref name="i"/> (<c>""</c> is a quote); moves past it.</summary>
        private static string QuotedName(string text, ref int i)
        {
            var name = new StringBuilder();
            for (i++; i < text.Length; i++)
            {
                if (text[i] != '"') { name.Append(text[i]); continue; }
                if (i + 1 < text.Length && text[i + 1] == '"') { name.Append('"'); i++; continue; }
                i++;
                return name.ToString();
            }
            throw new FormatException($"'{text}' is not a type name: a quoted name is not closed");
        }
    }
}
