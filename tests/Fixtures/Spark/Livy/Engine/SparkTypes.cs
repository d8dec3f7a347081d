using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>
/// DuckDB types as Spark reports them in a StructType's JSON (<c>integer</c>, <c>long</c>, <c>decimal(10,2)</c>,
/// <c>{"type": "array", ...}</c>), and values as Livy's SQLInterpreter writes them: json4s <c>Extraction.decompose</c>
/// of the Row values with <c>DefaultFormats</c> — decimals become doubles, dates <c>yyyy-MM-dd</c>, timestamps
/// <c>java.util.Date</c>'s <c>yyyy-MM-ddTHH:mm:ssZ</c> in UTC (seconds only), binary an array of signed bytes.
/// </summary>
internal static class SparkTypes
{
    /// <summary>The Spark type of a DuckDB type string as <c>DESCRIBE</c> prints it.</summary>
    public static JsonNode Map(string duckType)
    {
        var pos = 0;
        return Parse(duckType, ref pos);
    }

    /// <summary>A value of a column of Spark type <paramref name="type"/>, as json4s writes it.</summary>
    public static JsonNode? Value(JsonNode type, object? value)
    {
        if (value is null) return null;
        if (type is JsonObject complex) return Complex(complex, value);
        var name = (string)type!;
        return name switch
        {
            "integer" or "long" or "short" or "byte" => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            "float" or "double" => Double(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            "boolean" => JsonValue.Create((bool)value),
            "date" => Date(value),
            "timestamp" => Timestamp(value),
            "binary" => new JsonArray([.. ((byte[])value).Select(b => (JsonNode)unchecked((sbyte)b))]),
            _ when name.StartsWith("decimal", StringComparison.Ordinal) => Double(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            _ => Text(value),
        };
    }

    private static JsonNode? Complex(JsonObject type, object value) => (string?)type["type"] switch
    {
        "array" => new JsonArray([.. ((IEnumerable)value).Cast<object?>().Select(v => Value(type["elementType"]!, v))]),
        "map" => new JsonObject(((IDictionary)value).Cast<DictionaryEntry>().Select(e => KeyValuePair.Create(Text(e.Key)!.ToString(), Value(type["valueType"]!, e.Value)))),
        "struct" => Struct(type, (IDictionary)value),
        _ => Text(value),
    };

    private static JsonObject Struct(JsonObject type, IDictionary value) =>
        new(type["fields"]!.AsArray().Select(f => KeyValuePair.Create((string)f!["name"]!, Value(f["type"]!, value.Contains((string)f["name"]!) ? value[(string)f["name"]!] : null))));

    private static JsonNode Double(double d) => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture))!;

    private static JsonNode Date(object value) => value switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Text(value)!,
    };

    private static JsonNode Timestamp(object value) => value switch
    {
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        _ => Text(value)!,
    };

    private static JsonNode? Text(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

    private static JsonNode Parse(string s, ref int pos)
    {
        Skip(s, ref pos);
        var start = pos;
        while (pos < s.Length && (char.IsLetterOrDigit(s[pos]) || s[pos] == '_')) pos++;
        var name = s[start..pos].ToUpperInvariant();
        Skip(s, ref pos);
        if (name is "TIMESTAMP" && s.AsSpan(pos).StartsWith("WITH TIME ZONE", StringComparison.OrdinalIgnoreCase)) pos += "WITH TIME ZONE".Length;
        JsonNode type;
        if (pos < s.Length && s[pos] == '(')
        {
            pos++;
            type = name switch
            {
                "STRUCT" => StructType(s, ref pos),
                "MAP" => MapType(s, ref pos),
                "DECIMAL" or "NUMERIC" => DecimalType(s, ref pos),
                _ => SkipArguments(s, ref pos, Scalar(name)),
            };
        }
        else
        {
            type = Scalar(name);
        }
        Skip(s, ref pos);
        while (pos < s.Length && s[pos] == '[')
        {
            pos = s.IndexOf(']', pos) + 1;
            type = new JsonObject { ["type"] = "array", ["elementType"] = type, ["containsNull"] = true };
            Skip(s, ref pos);
        }
        return type;
    }

    private static JsonNode Scalar(string name) => name switch
    {
        "BOOLEAN" or "BOOL" => "boolean",
        "TINYINT" => "byte",
        "SMALLINT" or "UTINYINT" => "short",
        "INTEGER" or "INT" or "USMALLINT" => "integer",
        "BIGINT" or "UINTEGER" or "HUGEINT" => "long",  // DuckDB's sum of integers is HUGEINT where Spark's is bigint
        "UBIGINT" or "UHUGEINT" => "decimal(38,0)",
        "FLOAT" or "REAL" => "float",
        "DOUBLE" => "double",
        "BLOB" => "binary",
        "DATE" => "date",
        "TIMESTAMP" or "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_NS" or "TIMESTAMPTZ" => "timestamp",
        "NULL" => "null",
        _ => "string",
    };

    private static JsonObject StructType(string s, ref int pos)
    {
        var fields = new JsonArray();
        while (true)
        {
            Skip(s, ref pos);
            string name;
            if (s[pos] == '"')
            {
                var end = s.IndexOf('"', pos + 1);
                name = s[(pos + 1)..end];
                pos = end + 1;
            }
            else
            {
                var start = pos;
                while (pos < s.Length && !char.IsWhiteSpace(s[pos])) pos++;
                name = s[start..pos];
            }
            fields.Add(new JsonObject { ["name"] = name, ["type"] = Parse(s, ref pos), ["nullable"] = true, ["metadata"] = new JsonObject() });
            Skip(s, ref pos);
            if (s[pos++] == ')') return new JsonObject { ["type"] = "struct", ["fields"] = fields };
        }
    }

    private static JsonObject MapType(string s, ref int pos)
    {
        var key = Parse(s, ref pos);
        pos++;  // ','
        var value = Parse(s, ref pos);
        Skip(s, ref pos);
        pos++;  // ')'
        return new JsonObject { ["type"] = "map", ["keyType"] = key, ["valueType"] = value, ["valueContainsNull"] = true };
    }

    private static JsonNode DecimalType(string s, ref int pos)
    {
        var end = s.IndexOf(')', pos);
        var parts = s[pos..end].Split(',', StringSplitOptions.TrimEntries);
        pos = end + 1;
        return $"decimal({parts[0]},{(parts.Length > 1 ? parts[1] : "0")})";
    }

    private static JsonNode SkipArguments(string s, ref int pos, JsonNode type)
    {
        var depth = 1;
        while (depth > 0) depth += s[pos++] switch { '(' => 1, ')' => -1, _ => 0 };
        return type;
    }

    private static void Skip(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++;
    }
}
