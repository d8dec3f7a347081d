using System.Text.Json.Nodes;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// Seeding columns as the spec's Schema JSON: a struct of fields with ids (1..n for the columns, then the ids of
/// nested fields, list elements and map keys and values), primitives as their names, and <c>struct</c>,
/// <c>list</c> and <c>map</c> types as objects. Nested fields, elements and values are optional.
/// </summary>
internal static class IcebergSchemaJson
{
    public static (JsonObject Schema, int LastId) Schema(int schemaId, IReadOnlyList<IcebergColumn> columns)
    {
        var nextId = columns.Count + 1;
        var fields = new JsonArray();
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            var field = new JsonObject { ["id"] = i + 1, ["name"] = c.Name, ["required"] = c.Required, ["type"] = Type(c.Type, ref nextId) };
            if (c.Doc is not null) field["doc"] = c.Doc;
            fields.Add(field);
        }
        return (new JsonObject { ["type"] = "struct", ["schema-id"] = schemaId, ["fields"] = fields }, nextId - 1);
    }

    private static JsonNode Type(string text, ref int nextId)
    {
        var t = text.Trim();
        if (Nested(t, "list") is { } element)
            return new JsonObject { ["type"] = "list", ["element-id"] = nextId++, ["element"] = Type(element, ref nextId), ["element-required"] = false };
        if (Nested(t, "map") is { } kv)
        {
            var parts = TopLevel(kv, ',');
            if (parts.Count != 2) throw new ArgumentException($"a map type is map<key, value>, not {t}");
            var keyId = nextId++;
            var valueId = nextId++;
            return new JsonObject
            {
                ["type"] = "map", ["key-id"] = keyId, ["key"] = Type(parts[0], ref nextId), ["value-id"] = valueId,
                ["value"] = Type(parts[1], ref nextId), ["value-required"] = false,
            };
        }
        if (Nested(t, "struct") is { } members)
        {
            var fields = new JsonArray();
            foreach (var member in TopLevel(members, ','))
            {
                var colon = member.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) throw new ArgumentException($"a struct member is name: type, not {member}");
                var id = nextId++;
                fields.Add(new JsonObject { ["id"] = id, ["name"] = member[..colon].Trim(), ["required"] = false, ["type"] = Type(member[(colon + 1)..], ref nextId) });
            }
            return new JsonObject { ["type"] = "struct", ["fields"] = fields };
        }
        return JsonValue.Create(t)!;
    }

    /// <summary>The text between <c>kind&lt;</c> and the closing <c>&gt;</c>, or null when the type is not of that kind.</summary>
    private static string? Nested(string t, string kind) =>
        t.StartsWith(kind + "<", StringComparison.Ordinal) && t.EndsWith('>') ? t[(kind.Length + 1)..^1] : null;

    /// <summary>Splits at separators outside any <c>&lt;&gt;</c> or <c>()</c> (<c>decimal(10,2)</c> stays whole).</summary>
    private static List<string> TopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '<' or '(': depth++; break;
                case '>' or ')': depth--; break;
                default:
                    if (text[i] == separator && depth == 0)
                    {
                        parts.Add(text[start..i].Trim());
                        start = i + 1;
                    }
                    break;
            }
        }
        parts.Add(text[start..].Trim());
        return parts;
    }
}
