using System.Text.Json;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Reads a <c>typeSignature</c> as Trino and Presto send them (<c>ClientTypeSignature</c> in both clients):
/// <c>{"rawType": "decimal", "arguments": [{"kind": "LONG", "value": 10}, ...]}</c>, with either spelling of the
/// argument kinds, a row field's signature as an object (Trino) or a type name (Presto's <c>TypeSignature</c> is
/// serialized as its string), and Presto's deprecated <c>typeArguments</c>/<c>literalArguments</c>.
/// </summary>
internal static class TrinoTypeSignatures
{
    private const int MaxDepth = 64;

    public static TrinoType Parse(JsonElement signature) => Parse(signature, 0);

    private static TrinoType Parse(JsonElement signature, int depth)
    {
        if (depth > MaxDepth) throw new FormatException("the type signature is nested too deeply");
        if (signature.ValueKind == JsonValueKind.String) return TrinoTypeNames.Parse(signature.GetString()!);
        if (signature.ValueKind != JsonValueKind.Object || !signature.TryGetProperty("rawType", out var raw) || raw.ValueKind != JsonValueKind.String)
            throw new FormatException($"a type signature must be an object with a string \"rawType\", not {Shown(signature)}");
        var rawType = raw.GetString()!;
        if (signature.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.Array)
            return new TrinoType(rawType, [.. arguments.EnumerateArray().Select(a => Argument(a, depth))]);
        return Legacy(rawType, signature, depth);
    }

    private static TrinoTypeArgument Argument(JsonElement argument, int depth)
    {
        if (argument.ValueKind != JsonValueKind.Object || !argument.TryGetProperty("kind", out var kind) || !argument.TryGetProperty("value", out var value))
            throw new FormatException($"a type signature argument must be {{\"kind\", \"value\"}}, not {Shown(argument)}");
        return (kind.ValueKind == JsonValueKind.String ? kind.GetString() : null) switch
        {
            "TYPE" or "TYPE_SIGNATURE" => TrinoTypeArgument.Of(Parse(value, depth + 1)),
            "NAMED_TYPE" or "NAMED_TYPE_SIGNATURE" => Named(value, depth),
            "LONG" or "LONG_LITERAL" => TrinoTypeArgument.Of(Long(value)),
            "VARIABLE" => TrinoTypeArgument.OfVariable(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()),
            _ => throw new FormatException($"unknown type signature argument kind {Shown(kind)}"),
        };
    }

    /// <summary><c>{"fieldName": {"name": "a"}, "typeSignature": ...}</c>; the field name is absent or null for an anonymous field.</summary>
    private static TrinoTypeArgument Named(JsonElement value, int depth)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("typeSignature", out var type))
            throw new FormatException($"a named type must carry a \"typeSignature\", not {Shown(value)}");
        string? name = null;
        if (value.TryGetProperty("fieldName", out var fieldName))
        {
            if (fieldName.ValueKind == JsonValueKind.Object && fieldName.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String) name = n.GetString();
            else if (fieldName.ValueKind == JsonValueKind.String) name = fieldName.GetString();
        }
        return TrinoTypeArgument.Of(Parse(type, depth + 1), name);
    }

    private static long Long(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)) return n;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out n)) return n;
        throw new FormatException($"a LONG type argument must be a whole number, not {Shown(value)}");
    }

    /// <summary>
    /// Presto before <c>arguments</c> (and its deprecated copies since): <c>typeArguments</c> are the types;
    /// for a row, <c>literalArguments</c> are the field names; otherwise numbers are numbers.
    /// </summary>
    private static TrinoType Legacy(string rawType, JsonElement signature, int depth)
    {
        List<TrinoType> types = signature.TryGetProperty("typeArguments", out var t) && t.ValueKind == JsonValueKind.Array
            ? [.. t.EnumerateArray().Select(e => Parse(e, depth + 1))]
            : [];
        List<JsonElement> literals = signature.TryGetProperty("literalArguments", out var l) && l.ValueKind == JsonValueKind.Array ? [.. l.EnumerateArray()] : [];
        if (string.Equals(rawType, "row", StringComparison.OrdinalIgnoreCase) && literals.Count == types.Count)
            return new TrinoType(rawType, [.. types.Select((type, i) => TrinoTypeArgument.Of(type, literals[i].ValueKind == JsonValueKind.String ? literals[i].GetString() : null))]);
        var arguments = types.Select(type => TrinoTypeArgument.Of(type)).ToList();
        foreach (var literal in literals)
            arguments.Add(literal.ValueKind == JsonValueKind.Number ? TrinoTypeArgument.Of(Long(literal)) : TrinoTypeArgument.OfVariable(literal.ToString()));
        return new TrinoType(rawType, arguments);
    }

    private static string Shown(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 80 ? text : text[..80] + "…";
    }
}
