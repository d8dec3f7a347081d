using System.Globalization;
using System.Text.Json;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// A column type as Livy names it, with the .NET type of its values and how a JSON value is read as one. Values are
/// written by json4s (Scala) or Python's json: dates as <c>yyyy-MM-dd</c>, timestamps as json4s writes a
/// <c>java.util.Date</c> (<c>yyyy-MM-ddTHH:mm:ssZ</c>, UTC) or as Python's <c>str(datetime)</c>, decimals as numbers
/// (json4s writes them as doubles) or strings (Python), binary as an array of signed bytes.
/// </summary>
internal sealed record LivyValueType(Type ClrType, string EngineType, Func<JsonElement, object?> Read)
{
    /// <summary>The value of a cell, null for JSON null.</summary>
    public object? Convert(JsonElement value) => value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : Read(value);

    /// <summary>A column read as text.</summary>
    public static LivyValueType Text(string engineType) => new(typeof(string), engineType, v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText());

    /// <summary>A <c>%table</c> header type: <c>INT_TYPE</c>, <c>BIGINT_TYPE</c>, <c>DOUBLE_TYPE</c>, <c>DECIMAL_TYPE</c>, ...; unknown names read as text.</summary>
    public static LivyValueType FromTableType(string name) => name switch
    {
        "INT_TYPE" => new(typeof(int), name, v => Number(v).GetInt32()),
        "BIGINT_TYPE" or "LONG_TYPE" => new(typeof(long), name, v => Number(v).GetInt64()),
        "SMALLINT_TYPE" => new(typeof(short), name, v => Number(v).GetInt16()),
        "TINYINT_TYPE" => new(typeof(sbyte), name, v => Number(v).GetSByte()),
        "DOUBLE_TYPE" => new(typeof(double), name, v => ReadDouble(v)),
        "FLOAT_TYPE" => new(typeof(float), name, v => (float)ReadDouble(v)),
        "DECIMAL_TYPE" => new(typeof(decimal), name, ReadDecimal),
        "BOOLEAN_TYPE" => new(typeof(bool), name, v => v.GetBoolean()),
        "DATE_TYPE" => new(typeof(DateOnly), name, ReadDate),
        "TIMESTAMP_TYPE" => new(typeof(DateTime), name, ReadTimestamp),
        "BINARY_TYPE" => new(typeof(byte[]), name, ReadBinary),
        "ARRAY_TYPE" => new(typeof(object?[]), name, v => Plain(v)),
        "MAP_TYPE" or "STRUCT_TYPE" => new(typeof(IReadOnlyDictionary<string, object?>), name, v => Plain(v)),
        "NULL_TYPE" => new(typeof(object), name, Plain),
        _ => Text(name),
    };

    /// <summary>A Spark StructType field type: <c>"integer"</c>, <c>"decimal(10,2)"</c>, or an object for arrays, maps and structs; unknown names read as text.</summary>
    public static LivyValueType FromSparkType(JsonElement type)
    {
        if (type.ValueKind == JsonValueKind.Object)
        {
            var kind = type.TryGetProperty("type", out var k) ? k.GetString() : null;
            return kind switch
            {
                "array" => new(typeof(object?[]), SparkName(type), v => Plain(v)),
                "map" or "struct" => new(typeof(IReadOnlyDictionary<string, object?>), SparkName(type), v => Plain(v)),
                _ => new(typeof(object), SparkName(type), Plain),
            };
        }
        var name = type.ValueKind == JsonValueKind.String ? type.GetString()! : "string";
        return name switch
        {
            "integer" => new(typeof(int), name, v => Number(v).GetInt32()),
            "long" => new(typeof(long), name, v => Number(v).GetInt64()),
            "short" => new(typeof(short), name, v => Number(v).GetInt16()),
            "byte" => new(typeof(sbyte), name, v => Number(v).GetSByte()),
            "double" => new(typeof(double), name, v => ReadDouble(v)),
            "float" => new(typeof(float), name, v => (float)ReadDouble(v)),
            "boolean" => new(typeof(bool), name, v => v.GetBoolean()),
            "date" => new(typeof(DateOnly), name, ReadDate),
            "timestamp" or "timestamp_ntz" or "timestamp_ltz" => new(typeof(DateTime), name, ReadTimestamp),
            "binary" => new(typeof(byte[]), name, ReadBinary),
            "null" or "void" => new(typeof(object), name, Plain),
            _ when name == "decimal" || name.StartsWith("decimal(", StringComparison.Ordinal) => new(typeof(decimal), name, ReadDecimal),
            _ => Text(name),
        };
    }

    /// <summary>Spark's short spelling of a complex type: <c>array&lt;int&gt;</c>, <c>map&lt;string,int&gt;</c>, <c>struct&lt;a:int&gt;</c>.</summary>
    private static string SparkName(JsonElement type)
    {
        if (type.ValueKind == JsonValueKind.String) return type.GetString() switch { "integer" => "int", "long" => "bigint", "short" => "smallint", "byte" => "tinyint", var s => s! };
        if (type.ValueKind != JsonValueKind.Object || !type.TryGetProperty("type", out var kind)) return type.GetRawText();
        return kind.GetString() switch
        {
            "array" => $"array<{SparkName(type.GetProperty("elementType"))}>",
            "map" => $"map<{SparkName(type.GetProperty("keyType"))},{SparkName(type.GetProperty("valueType"))}>",
            "struct" => $"struct<{string.Join(',', type.GetProperty("fields").EnumerateArray().Select(f => $"{f.GetProperty("name").GetString()}:{SparkName(f.GetProperty("type"))}"))}>",
            var other => other ?? type.GetRawText(),
        };
    }

    private static JsonElement Number(JsonElement v) =>
        v.ValueKind == JsonValueKind.Number ? v : throw new FormatException($"expected a number, not {v.GetRawText()}");

    private static double ReadDouble(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.String => double.Parse(v.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"expected a number, not {v.GetRawText()}"),
    };

    /// <summary>From the number's text, so no digit is lost to a double on the way (json4s writes decimals as doubles; Python as strings).</summary>
    private static object ReadDecimal(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.String => decimal.Parse(v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"expected a decimal, not {v.GetRawText()}"),
    };

    private static object ReadDate(JsonElement v)
    {
        var s = v.GetString() ?? throw new FormatException("expected a date");
        return DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : DateOnly.FromDateTime((DateTime)ReadTimestamp(v));
    }

    /// <summary>UTC (Kind Utc) when the text has a zone (<c>Z</c>, <c>+02:00</c>), else as written (Kind Unspecified); a number is epoch milliseconds.</summary>
    private static object ReadTimestamp(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Number) return DateTimeOffset.FromUnixTimeMilliseconds(v.GetInt64()).UtcDateTime;
        var parsed = DateTime.Parse(v.GetString() ?? throw new FormatException("expected a timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return parsed.Kind == DateTimeKind.Local ? parsed.ToUniversalTime() : parsed;
    }

    private static object ReadBinary(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => System.Convert.FromBase64String(v.GetString()!),
        JsonValueKind.Array => v.EnumerateArray().Select(b => unchecked((byte)b.GetInt32())).ToArray(),
        _ => throw new FormatException($"expected bytes, not {v.GetRawText()}"),
    };

    /// <summary>A JSON value as plain .NET: long, decimal or double, string, bool, object?[], IReadOnlyDictionary&lt;string, object?&gt;.</summary>
    private static object? Plain(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => v.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => v.TryGetInt64(out var l) ? l : v.TryGetDecimal(out var m) ? m : v.GetDouble(),
        JsonValueKind.Array => v.EnumerateArray().Select(Plain).ToArray(),
        _ => (IReadOnlyDictionary<string, object?>)v.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value)),
    };
}
