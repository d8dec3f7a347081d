namespace KernelGateway.Extensions.Metastore.SqlCompletion;

/// <summary>What a piece of SQL text is.</summary>
internal enum SqlTokenKind
{
    /// <summary>A keyword or plain identifier.</summary>
    Word,
    /// <summary>A quoted identifier (<c>"x"</c>, or <c>`x`</c> in Spark).</summary>
    Quoted,
    /// <summary>A string literal.</summary>
    String,
    /// <summary>A number.</summary>
    Number,
    /// <summary>A line or block comment.</summary>
    Comment,
    /// <summary>Punctuation or an operator, one character.</summary>
    Symbol,
}

/// <summary>One token of SQL text: its kind, its span (UTF-16, end exclusive), and whether a quote or comment was left open.</summary>
internal sealed record SqlToken(SqlTokenKind Kind, string Text, int Start, bool Open = false)
{
    /// <summary>The index just after the token.</summary>
    public int End => Start + Text.Length;

    /// <summary>Whether the token names something (a word or quoted identifier).</summary>
    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.Quoted;

    /// <summary>The name it stands for: a word as written, a quoted identifier without its quotes and with doubled quotes undone.</summary>
    public string Name
    {
        get
        {
            if (Kind != SqlTokenKind.Quoted) return Text;
            var quote = Text[0];
            var inner = Open ? Text[1..] : Text[1..^1];
            return inner.Replace(new string(quote, 2), quote.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>Whether the token is the word <paramref name="keyword"/> (any case).</summary>
    public bool Is(string keyword) => Kind == SqlTokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the token is the symbol <paramref name="symbol"/>.</summary>
    public bool IsSymbol(char symbol) => Kind == SqlTokenKind.Symbol && Text[0] == symbol;
}
