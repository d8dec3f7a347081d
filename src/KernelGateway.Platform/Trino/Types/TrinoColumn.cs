using System.Text.Json;

namespace KernelGateway.Platform.Trino;

/// <summary>A result column: its name and its type.</summary>
/// <param name="Name">The column's name as the server sent it.</param>
/// <param name="Type">The column's type.</param>
public sealed record TrinoColumn(string Name, TrinoType Type)
{
    /// <summary>
    /// A column of a <c>QueryResults</c> page: <c>{"name", "type", "typeSignature"}</c>. The type comes from
    /// <c>typeSignature</c> when present (it is exact), else from the display string <c>type</c>.
    /// </summary>
    /// <exception cref="FormatException">The column has no name, or neither a readable signature nor type.</exception>
    public static TrinoColumn Parse(JsonElement column)
    {
        if (column.ValueKind != JsonValueKind.Object || !column.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            throw new FormatException("a column must be an object with a string \"name\"");
        if (column.TryGetProperty("typeSignature", out var signature) && signature.ValueKind == JsonValueKind.Object)
            return new TrinoColumn(name.GetString()!, TrinoType.Parse(signature));
        if (column.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            return new TrinoColumn(name.GetString()!, TrinoType.Parse(type.GetString()!));
        throw new FormatException($"column '{name.GetString()}' has neither a typeSignature nor a type");
    }
}
