using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using KernelGateway.Formatting.Tabular;

namespace KernelGateway.Kernel.Engine;

/// <summary>
/// Turns values a cell returns or displays into tables: <see cref="TabularResult"/> as is, types registered by
/// extensions (a DataFrame, say), and sequences of records, tuples-free POCOs or anonymous objects (one column per
/// property). Anything else is not tabular.
/// </summary>
public static class TabularConverters
{
    private static readonly ConcurrentDictionary<Type, Func<object, TabularResult>> Converters = new();

    /// <summary>Registers a conversion for values of <typeparamref name="T"/> (and subclasses).</summary>
    public static void Register<T>(Func<T, TabularResult> convert) where T : notnull => Converters[typeof(T)] = v => convert((T)v);

    /// <summary>The table of a value, or null when it is not tabular.</summary>
    public static TabularResult? TryConvert(object? value)
    {
        switch (value)
        {
            case null: return null;
            case TabularResult t: return t;
            case string: return null;
        }
        var type = value.GetType();
        foreach (var (target, convert) in Converters)
            if (target.IsAssignableFrom(type)) return convert(value);
        if (value is IEnumerable sequence && ElementType(type) is { } element && IsRecordLike(element))
        {
            var method = typeof(TabularResult).GetMethod(nameof(TabularResult.FromObjects))!.MakeGenericMethod(element);
            return (TabularResult)method.Invoke(null, [sequence, null, null])!;
        }
        return null;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static bool IsRecordLike(Type element) =>
        !element.IsPrimitive && element != typeof(string) && element != typeof(decimal) && !element.IsEnum
        && !typeof(IEnumerable).IsAssignableFrom(element)
        && element.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.GetIndexParameters().Length == 0);
}
