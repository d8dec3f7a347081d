using System.Collections;
using System.Numerics;

namespace KernelGateway.Formatting.Tabular;

/// <summary>A column: its name, its Frictionless Table Schema type, and the .NET type it came from.</summary>
/// <param name="Name">The column name (unique within a table).</param>
/// <param name="Type">One of <see cref="TableSchemaTypes"/>.</param>
/// <param name="ClrType">The .NET type of the values.</param>
/// <param name="EngineType">The engine's own type name (e.g. <c>DECIMAL(18,3)</c>), when known.</param>
public sealed record TableField(string Name, string Type, Type ClrType, string? EngineType = null);

/// <summary>The Frictionless Table Schema field types, and the mapping from .NET types.</summary>
public static class TableSchemaTypes
{
#pragma warning disable CS1591 // the names are the spec's
    public const string Integer = "integer";
    public const string Number = "number";
    public const string Boolean = "boolean";
    public const string String = "string";
    public const string Date = "date";
    public const string Time = "time";
    public const string DateTime = "datetime";
    public const string Duration = "duration";
    public const string Array = "array";
    public const string Object = "object";
    public const string Any = "any";
#pragma warning restore CS1591

    /// <summary>Every type the spec allows.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string> { Integer, Number, Boolean, String, Date, Time, DateTime, Duration, Array, Object, Any };

    /// <summary>The Table Schema type of a .NET type (nullable types map like their underlying type).</summary>
    public static string For(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(bool)) return Boolean;
        if (type == typeof(byte) || type == typeof(sbyte) || type == typeof(short) || type == typeof(ushort) || type == typeof(int) || type == typeof(uint)
            || type == typeof(long) || type == typeof(ulong) || type == typeof(BigInteger) || type == typeof(Int128) || type == typeof(UInt128))
            return Integer;
        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal) || type == typeof(Half)) return Number;
        if (type == typeof(string) || type == typeof(char) || type == typeof(Guid) || type == typeof(byte[]) || type.IsEnum) return String;
        if (type == typeof(DateOnly)) return Date;
        if (type == typeof(TimeOnly)) return Time;
        if (type == typeof(System.DateTime) || type == typeof(DateTimeOffset)) return DateTime;
        if (type == typeof(TimeSpan)) return Duration;
        if (typeof(IDictionary).IsAssignableFrom(type) || IsGenericDictionary(type)) return Object;
        if (type.IsArray || typeof(IEnumerable).IsAssignableFrom(type)) return Array;
        return Any;
    }

    private static bool IsGenericDictionary(Type type) =>
        type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d
            && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>)));
}
