using System.Text.Json;

namespace KernelGateway.Platform.Iceberg;

/// <summary>
/// Iceberg types as text, the way Iceberg writes them (<c>Types.*.toString()</c>): primitives by name
/// (<c>long</c>, <c>decimal(10,2)</c>, <c>fixed[16]</c>, <c>timestamptz</c>), nested types as
/// <c>struct&lt;a: int, b: string&gt;</c>, <c>list&lt;string&gt;</c>, <c>map&lt;string, int&gt;</c>; and the
/// Table Schema type of each.
/// </summary>
internal static class IcebergTypes
{
    public static string Text(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => type.GetString()!,
        JsonValueKind.Object => Nested(type),
        _ => "unknown",
    };

    private static string Nested(JsonElement type)
    {
        var kind = type.TryGetProperty("type", out var k) ? k.GetString() : null;
        return kind switch
        {
            "struct" => "struct<" + string.Join(", ", type.GetProperty("fields").EnumerateArray()
                .Select(f => $"{f.GetProperty("name").GetString()}: {Text(f.GetProperty("type"))}")) + ">",
            "list" => $"list<{Text(type.GetProperty("element"))}>",
            "map" => $"map<{Text(type.GetProperty("key"))}, {Text(type.GetProperty("value"))}>",
            _ => kind ?? "unknown",
        };
    }

    /// <summary>The Frictionless Table Schema type of an Iceberg type's text.</summary>
    public static string TableSchemaType(string text)
    {
        var t = text.ToLowerInvariant();
        if (t.StartsWith("list<", StringComparison.Ordinal)) return "array";
        if (t.StartsWith("struct<", StringComparison.Ordinal) || t.StartsWith("map<", StringComparison.Ordinal) || t == "variant") return "object";
        if (t.StartsWith("decimal(", StringComparison.Ordinal)) return "number";
        return t switch
        {
            "boolean" => "boolean",
            "int" or "long" => "integer",
            "float" or "double" => "number",
            "date" => "date",
            "time" => "time",
            "timestamp" or "timestamptz" or "timestamp_ns" or "timestamptz_ns" => "datetime",
            _ => "string", // string, uuid, fixed[L], binary, geometry, geography, unknown
        };
    }
}
