namespace KernelGateway.Tests.Fixtures.Spark.Connect.Results;

/// <summary>How a result column's values come out of DuckDB: as DuckDB.NET values, as text (types .NET cannot hold or
/// Spark shows as strings), as JSON (nested types: DuckDB.NET cannot read lists holding NULLs), or as DuckDB intervals.</summary>
internal enum ReadAs { Value, Text, Json, Interval }

/// <summary>A DuckDB column type as the fixture serves it: the Spark type and how to read the values.</summary>
internal sealed record DuckColumnType(SparkType Type, ReadAs Read);

/// <summary>
/// Maps DuckDB type strings (as <c>DESCRIBE</c> prints them: <c>DECIMAL(10,2)</c>, <c>INTEGER[]</c>,
/// <c>STRUCT(a INTEGER, "b c" VARCHAR)</c>, <c>MAP(VARCHAR, INTEGER[])</c>, <c>TIMESTAMP WITH TIME ZONE</c>) to the
/// Spark type Spark would give the same values: integers by width (unsigned ones widened, HUGEINT — what DuckDB's
/// sum of integers returns — as Spark's bigint result of sum), TIMESTAMP as timestamp_ntz and TIMESTAMPTZ as
/// timestamp, INTERVAL as a day-time interval, LIST/ARRAY as array, STRUCT as struct, MAP as map; types Spark has no
/// counterpart for (UUID, JSON, TIME, ENUM, BIT, UNION…) as string.
/// </summary>
internal static class DuckDbTypes
{
    public static DuckColumnType Column(string duckType)
    {
        var pos = 0;
        var (type, name) = Parse(duckType, ref pos);
        var read = type.IsNested ? ReadAs.Json
            : name == "INTERVAL" ? ReadAs.Interval
            : type.Kind == SparkKind.Decimal && (type.Precision > 28 || name is "UBIGINT" or "UHUGEINT") ? ReadAs.Text
            : type.Kind == SparkKind.String && name != "VARCHAR" ? ReadAs.Text
            : ReadAs.Value;
        return new DuckColumnType(type, read);
    }

    public static SparkType Type(string duckType) => Column(duckType).Type;

    private static (SparkType Type, string Name) Parse(string s, ref int pos)
    {
        SkipSpaces(s, ref pos);
        var name = ReadWord(s, ref pos).ToUpperInvariant();
        SkipSpaces(s, ref pos);
        if (name is "TIMESTAMP" or "TIME" && s.AsSpan(pos).StartsWith("WITH TIME ZONE", StringComparison.OrdinalIgnoreCase))
        {
            pos += "WITH TIME ZONE".Length;
            name += "TZ";
        }
        SparkType type;
        if (pos < s.Length && s[pos] == '(')
        {
            pos++;
            type = name switch
            {
                "STRUCT" => SparkType.StructOf(ParseFields(s, ref pos)),
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
            type = SparkType.ArrayOf(type);
            name = "LIST";
            SkipSpaces(s, ref pos);
        }
        return (type, name);
    }

    private static SparkType Scalar(string name) => name switch
    {
        "BOOLEAN" or "BOOL" => SparkType.Of(SparkKind.Boolean),
        "TINYINT" => SparkType.Of(SparkKind.Byte),
        "SMALLINT" or "UTINYINT" => SparkType.Of(SparkKind.Short),
        "INTEGER" or "INT" or "USMALLINT" => SparkType.Of(SparkKind.Integer),
        "BIGINT" or "UINTEGER" or "HUGEINT" => SparkType.Of(SparkKind.Long),
        "UBIGINT" => SparkType.Decimal(20, 0),
        "UHUGEINT" => SparkType.Decimal(38, 0),
        "FLOAT" or "REAL" => SparkType.Of(SparkKind.Float),
        "DOUBLE" => SparkType.Of(SparkKind.Double),
        "BLOB" => SparkType.Of(SparkKind.Binary),
        "DATE" => SparkType.Of(SparkKind.Date),
        "TIMESTAMP" or "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_NS" => SparkType.Of(SparkKind.TimestampNtz),
        "TIMESTAMPTZ" => SparkType.Of(SparkKind.Timestamp),
        "INTERVAL" => SparkType.Of(SparkKind.DayTimeInterval),
        "NULL" => SparkType.Of(SparkKind.Null),
        _ => SparkType.Of(SparkKind.String),
    };

    private static List<SparkField> ParseFields(string s, ref int pos)
    {
        var fields = new List<SparkField>();
        while (true)
        {
            SkipSpaces(s, ref pos);
            var name = s[pos] == '"' ? ReadQuoted(s, ref pos) : ReadWord(s, ref pos);
            fields.Add(new SparkField(name, Parse(s, ref pos).Type));
            SkipSpaces(s, ref pos);
            if (s[pos++] == ')') return fields;
        }
    }

    private static SparkType ParseMap(string s, ref int pos)
    {
        var key = Parse(s, ref pos).Type;
        pos++;  // ','
        var value = Parse(s, ref pos).Type;
        SkipSpaces(s, ref pos);
        pos++;  // ')'
        return SparkType.MapOf(key, value);
    }

    private static SparkType ParseDecimal(string s, ref int pos)
    {
        var end = s.IndexOf(')', pos);
        var parts = s[pos..end].Split(',');
        pos = end + 1;
        return SparkType.Decimal(int.Parse(parts[0].Trim()), parts.Length > 1 ? int.Parse(parts[1].Trim()) : 0);
    }

    private static SparkType SkipArguments(string s, ref int pos)
    {
        var depth = 1;
        while (pos < s.Length && depth > 0)
        {
            if (s[pos] == '(') depth++;
            else if (s[pos] == ')') depth--;
            else if (s[pos] == '\'') pos = s.IndexOf('\'', pos + 1);
            pos++;
        }
        return SparkType.Of(SparkKind.String);  // VARCHAR(n), ENUM(...), UNION(...): text
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
}
