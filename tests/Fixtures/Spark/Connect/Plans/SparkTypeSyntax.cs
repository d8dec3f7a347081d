using System.Text;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

/// <summary>
/// Reads a Spark SQL data type (<c>STRING</c>, <c>DECIMAL(10,2)</c>, <c>ARRAY&lt;INT&gt;</c>,
/// <c>MAP&lt;STRING, BIGINT&gt;</c>, <c>STRUCT&lt;a: INT, b STRING&gt;</c>, <c>TIMESTAMP_NTZ</c>…) from tokens and writes
/// the DuckDB type with the same values: STRING/VARCHAR(n)/CHAR(n) → VARCHAR, BINARY → BLOB, BYTE → TINYINT,
/// LONG → BIGINT, DECIMAL without arguments → DECIMAL(10,0) (Spark's default), TIMESTAMP and TIMESTAMP_LTZ →
/// TIMESTAMPTZ (Spark's TIMESTAMP is zoned), TIMESTAMP_NTZ → TIMESTAMP, INTERVAL … → INTERVAL.
/// </summary>
internal static class SparkTypeSyntax
{
    /// <summary>The DuckDB spelling of a Spark type string (Cast.type_str).</summary>
    public static string ToDuckDb(string sparkType)
    {
        var tokens = SqlTokenizer.Tokenize(sparkType).Where(t => t.Significant).ToList();
        var i = 0;
        var duck = Read(tokens, ref i);
        return i == tokens.Count ? duck : throw new FormatException($"not a Spark type: {sparkType}");
    }

    /// <summary>Reads a type starting at significant token <paramref name="i"/> of <paramref name="tokens"/>.</summary>
    public static string Read(IReadOnlyList<SqlToken> tokens, ref int i)
    {
        var name = Name(tokens[i++]).ToUpperInvariant();
        switch (name)
        {
            case "ARRAY":
                Expect(tokens, ref i, "<");
                var element = Read(tokens, ref i);
                Expect(tokens, ref i, ">");
                return element + "[]";
            case "MAP":
                Expect(tokens, ref i, "<");
                var key = Read(tokens, ref i);
                Expect(tokens, ref i, ",");
                var value = Read(tokens, ref i);
                Expect(tokens, ref i, ">");
                return $"MAP({key}, {value})";
            case "STRUCT":
                return ReadStruct(tokens, ref i);
            case "INTERVAL":
                while (i < tokens.Count && tokens[i].Kind == TokenKind.Word && IsIntervalWord(tokens[i].Text)) i++;
                return "INTERVAL";
            default:
                return Scalar(name, Arguments(tokens, ref i));
        }
    }

    private static string Scalar(string name, string? args) => name switch
    {
        "STRING" or "VARCHAR" or "CHAR" or "CHARACTER" => "VARCHAR",
        "BINARY" => "BLOB",
        "BYTE" or "TINYINT" => "TINYINT",
        "SHORT" or "SMALLINT" => "SMALLINT",
        "INT" or "INTEGER" => "INTEGER",
        "LONG" or "BIGINT" => "BIGINT",
        "FLOAT" or "REAL" => "FLOAT",
        "DOUBLE" => "DOUBLE",
        "DECIMAL" or "DEC" or "NUMERIC" => "DECIMAL" + (args ?? "(10,0)"),
        "TIMESTAMP" or "TIMESTAMP_LTZ" => "TIMESTAMPTZ",
        "TIMESTAMP_NTZ" => "TIMESTAMP",
        "BOOLEAN" or "DATE" => name,
        _ => name + args,
    };

    private static string? Arguments(IReadOnlyList<SqlToken> tokens, ref int i)
    {
        if (i >= tokens.Count || !tokens[i].Is("(")) return null;
        var sb = new StringBuilder();
        while (i < tokens.Count && !tokens[i].Is(")")) sb.Append(tokens[i++].Text);
        i++;
        return sb.Append(')').ToString();
    }

    private static string ReadStruct(IReadOnlyList<SqlToken> tokens, ref int i)
    {
        Expect(tokens, ref i, "<");
        var fields = new List<string>();
        while (!tokens[i].Is(">"))
        {
            var name = Name(tokens[i++]);
            if (tokens[i].Is(":")) i++;
            var type = tokens[i].Kind == TokenKind.NamedMarker ? ReadAfterMarker(tokens, ref i) : Read(tokens, ref i);
            SkipFieldOptions(tokens, ref i);
            fields.Add($"\"{name.Replace("\"", "\"\"")}\" {type}");
            if (tokens[i].Is(",")) i++;
        }
        i++;
        return $"STRUCT({string.Join(", ", fields)})";
    }

    /// <summary><c>a:INT</c> lexes as a name and the marker <c>:INT</c>; the marker's name is the type.</summary>
    private static string ReadAfterMarker(IReadOnlyList<SqlToken> tokens, ref int i)
    {
        var marker = tokens[i];
        var list = tokens.ToList();
        list[i] = marker with { Kind = TokenKind.Word, Text = marker.Value };
        return Read(list, ref i);
    }

    private static void SkipFieldOptions(IReadOnlyList<SqlToken> tokens, ref int i)
    {
        while (i < tokens.Count && (tokens[i].Is("NOT") || tokens[i].Is("NULL") || tokens[i].Is("COMMENT") || tokens[i].Kind == TokenKind.String)) i++;
    }

    private static bool IsIntervalWord(string w) =>
        w.ToUpperInvariant() is "YEAR" or "MONTH" or "DAY" or "HOUR" or "MINUTE" or "SECOND" or "TO";

    private static string Name(SqlToken t) => t.Kind == TokenKind.Backtick ? t.Value : t.Text;

    private static void Expect(IReadOnlyList<SqlToken> tokens, ref int i, string symbol)
    {
        if (i >= tokens.Count || !tokens[i].Is(symbol)) throw new FormatException($"expected {symbol} in a Spark type");
        i++;
    }
}
