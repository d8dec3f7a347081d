using System.Text.Json.Nodes;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>Seeding columns as the spec's Schema JSON: a struct of fields with ids, list and map types as objects with element, key and value ids.</summary>
internal static class IcebergSchemaJson
{
    public static (JsonObject Schema, int LastId) Schema(int schemaId, IReadOnlyList<IcebergColumn> columns)
    {
        var nextId = columns.Count + 1; // field ids 1..n, nested ids after them
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
        if (t.StartsWith("list<", StringComparison.Ordinal) && t.EndsWith('>'))
        {
            return new JsonObject { ["type"] = "list", ["element-id"] = nextId++, ["element"] = Type(t[5..^1], ref nextId), ["element-required"] = false };
        }
        if (t.StartsWith("map<", StringComparison.Ordinal) && t.EndsWith('>'))
        {
            var parts = t[4..^1].Split(',', 2);
            var keyId = nextId++;
            var valueId = nextId++;
            return new JsonObject
            {
                ["type"] = "map", ["key-id"] = keyId, ["key"] = Type(parts[0], ref nextId), ["value-id"] = valueId,
                ["value"] = Type(parts[1], ref nextId), ["value-required"] = false,
            };
        }
        return JsonValue.Create(t)!;
    }
}
