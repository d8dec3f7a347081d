using System.Collections;
using System.Globalization;
using System.Reflection;

namespace KernelGateway.Platform.Sql;

/// <summary>
/// The values of a statement's parameters as users give them: an object whose public properties are the names (an
/// anonymous object or a record), a dictionary, or a list of values for positional placeholders.
/// </summary>
internal static class SqlParameterValues
{
    /// <summary>
    /// Names (without a leading <c>@</c>, <c>$</c> or <c>:</c>; compared without case) and values of a dictionary or of
    /// an object's public properties; null for a list of values.
    /// </summary>
    /// <exception cref="ArgumentException">The parameters are a string.</exception>
    public static Dictionary<string, object?>? Named(object parameters)
    {
        switch (parameters)
        {
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                return pairs.ToDictionary(p => Name(p.Key), p => p.Value, StringComparer.OrdinalIgnoreCase);
            case IDictionary dictionary:
                var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (DictionaryEntry e in dictionary) result[Name(Convert.ToString(e.Key, CultureInfo.InvariantCulture)!)] = e.Value;
                return result;
            case string:
                throw new ArgumentException("parameters must be an object, a dictionary or a list of values, not a string");
            case IEnumerable:
                return null;
            default:
                return parameters.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
                    .ToDictionary(p => p.Name, p => p.GetValue(parameters), StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>The values of a list, in order.</summary>
    public static IReadOnlyList<object?> Positional(object parameters) => ((IEnumerable)parameters).Cast<object?>().ToList();

    private static string Name(string key) => key.TrimStart('@', '$', ':');
}
