namespace KernelGateway.Tests.Fixtures.Trino.Types;

/// <summary>
/// Maps DuckDB type strings (as <c>DESCRIBE</c> prints them: <c>DECIMAL(10,2)</c>, <c>INTEGER[]</c>,
/// <c>STRUCT(a INTEGER, "b c" VARCHAR)</c>, <c>MAP(VARCHAR, INTEGER[])</c>) to the Trino type a Trino server
/// would report for the same values.
/// </summary>
internal static class DuckDbTypeMapper
{
    /// <summary>The Trino type of a DuckDB type string; unknown DuckDB types become varchar (the server casts them to text).</summary>
    public static TrinoType Map(string duckType)
    {
        var pos = 0;
        return Parse(duckType, ref pos);
    }

    private static TrinoType Parse(string s, ref int pos)
    {
        SkipSpaces(s, ref pos);
        var name = ReadWord(s, ref pos).ToUpperInvariant();
        SkipSpaces(s, ref pos);
        if (name is "TIMESTAMP" or "TIME" && Rest(s, pos).StartsWith("WITH TIME ZONE", StringComparison.OrdinalIgnoreCase))
        {
            pos += "WITH TIME ZONE".Length;
            name += " WITH TIME ZONE";
        }
        TrinoType type;
        if (pos < s.Length && s[pos] == '(')
        {
            pos++;
            type = name switch
            {
                "STRUCT" => TrinoType.Row(ParseFields(s, ref pos)),
                "MAP" => ParseMap(s, ref pos),
                "DECIMAL" or "NUMERIC" => ParseDecimal(s, ref pos),
                _ => SkipArguments(s, ref pos),
            };
        }
        else
        {
            type = Scalar(name);
        }
        while (pos < s.Length && s[pos] == '[')
        {
            pos = s.IndexOf(']', pos) + 1;
            type = TrinoType.Array(type);
            SkipSpaces(s, ref pos);
        }
        return type;
    }

    private static TrinoType Scalar(string name) => name switch
    {
        "BOOLEAN" or "BOOL" => TrinoType.Simple("boolean"),
        "TINYINT" => TrinoType.Simple("tinyint"),
        "SMALLINT" or "UTINYINT" => TrinoType.Simple("smallint"),
        "INTEGER" or "INT" or "USMALLINT" => TrinoType.Simple("integer"),
        "BIGINT" or "UINTEGER" => TrinoType.Simple("bigint"),
        "HUGEINT" => TrinoType.Simple("bigint"),  // DuckDB's sum/integer aggregates return HUGEINT where Trino's return bigint
        "UHUGEINT" => TrinoType.Decimal(38, 0),
        "UBIGINT" => TrinoType.Decimal(20, 0),
        "FLOAT" or "REAL" => TrinoType.Simple("real"),
        "DOUBLE" => TrinoType.Simple("double"),
        "VARCHAR" => TrinoType.Varchar(),
        "JSON" => TrinoType.Simple("json"),
        "BLOB" => TrinoType.Simple("varbinary"),
        "DATE" => TrinoType.Simple("date"),
        "TIME" => TrinoType.Time(6),
        "TIME_NS" => TrinoType.Time(9),
        "TIMETZ" or "TIME WITH TIME ZONE" => TrinoType.Time(6, zoned: true),
        "TIMESTAMP_S" => TrinoType.Timestamp(0),
        "TIMESTAMP_MS" => TrinoType.Timestamp(3),
        "TIMESTAMP" => TrinoType.Timestamp(6),
        "TIMESTAMP_NS" => TrinoType.Timestamp(9),
        "TIMESTAMPTZ" or "TIMESTAMP WITH TIME ZONE" => TrinoType.Timestamp(6, zoned: true),
        "INTERVAL" => TrinoType.Simple("interval day to second"),
        "UUID" => TrinoType.Simple("uuid"),
        "NULL" => TrinoType.Simple("unknown"),
        _ => TrinoType.Varchar(),
    };

    private static List<TrinoField> ParseFields(string s, ref int pos)
    {
        var fields = new List<TrinoField>();
        while (true)
        {
            SkipSpaces(s, ref pos);
            string? name = null;
            var save = pos;
            var first = s[pos] == '"' ? ReadQuoted(s, ref pos) : ReadWord(s, ref pos);
            SkipSpaces(s, ref pos);
            if (pos < s.Length && s[pos] is not (',' or ')' or '[' or '('))
            {
                name = first;  // "name TYPE"
            }
            else
            {
                pos = save;  // anonymous field: the word was the type
            }
            fields.Add(new TrinoField(name, Parse(s, ref pos)));
            SkipSpaces(s, ref pos);
            if (s[pos++] == ')') return fields;
        }
    }

    private static TrinoType ParseMap(string s, ref int pos)
    {
        var key = Parse(s, ref pos);
        pos++;  // ','
        var value = Parse(s, ref pos);
        SkipSpaces(s, ref pos);
        pos++;  // ')'
        return TrinoType.Map(key, value);
    }

    private static TrinoType ParseDecimal(string s, ref int pos)
    {
        var end = s.IndexOf(')', pos);
        var parts = s[pos..end].Split(',');
        pos = end + 1;
        return TrinoType.Decimal(long.Parse(parts[0].Trim()), parts.Length > 1 ? long.Parse(parts[1].Trim()) : 0);
    }

    private static TrinoType SkipArguments(string s, ref int pos)
    {
        var depth = 1;
        while (pos < s.Length && depth > 0)
        {
            if (s[pos] == '(') depth++;
            else if (s[pos] == ')') depth--;
            else if (s[pos] == '\'') pos = s.IndexOf('\'', pos + 1);
            pos++;
        }
        return TrinoType.Varchar();  // VARCHAR(n), ENUM(...), UNION(...), …: text
    }

    private static string ReadWord(string s, ref int pos)
    {
        var start = pos;
        while (pos < s.Length && (char.IsLetterOrDigit(s[pos]) || s[pos] == '_')) pos++;
        return s[start..pos];
    }

    private static string ReadQuoted(string s, ref int pos)
    {
        var sb = new System.Text.StringBuilder();
        pos++;
        while (pos < s.Length)
        {
            if (s[pos] == '"')
            {
                if (pos + 1 < s.Length && s[pos + 1] == '"') { sb.Append('"'); pos += 2; continue; }
                pos++;
                break;
            }
            sb.Append(s[pos++]);
        }
        return sb.ToString();
    }

    private static void SkipSpaces(string s, ref int pos)
    {
        while (pos < s.Length && s[pos] == ' ') pos++;
    }

    private static string Rest(string s, int pos) => pos < s.Length ? s[pos..] : "";
}
