using System.Globalization;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// One argument of a type signature, as both spellings carry them: a type (<c>TYPE</c>), a named field type
/// (<c>NAMED_TYPE</c>, a row field), a number (<c>LONG</c>: a length, precision or scale), or a variable name
/// (<c>VARIABLE</c>, seen only in calculated signatures).
/// </summary>
internal readonly record struct TrinoTypeArgument(TrinoType? Type, long? Number, string? FieldName, string? Variable)
{
    public static TrinoTypeArgument Of(long number) => new(null, number, null, null);

    public static TrinoTypeArgument Of(TrinoType type, string? fieldName = null) => new(type, null, fieldName, null);

    public static TrinoTypeArgument OfVariable(string name) => new(null, null, null, name);

    /// <summary>As it reads inside a type name: the type's name, the number, or the variable.</summary>
    public override string ToString() =>
        Type?.DisplayName ?? Number?.ToString(CultureInfo.InvariantCulture) ?? Variable ?? "";
}
