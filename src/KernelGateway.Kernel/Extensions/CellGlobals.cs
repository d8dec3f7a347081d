using System.Collections.Concurrent;
using System.ComponentModel;

namespace KernelGateway.Kernel.Extensions;

/// <summary>
/// The objects extensions publish into cells, by name. Cells read them through the declarations the engine adds
/// to its prelude; user code has no need to call this.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CellGlobals
{
    private static readonly ConcurrentDictionary<string, object> Values = new(StringComparer.Ordinal);

    /// <summary>The object published as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Nothing is published under that name.</exception>
    public static T Get<T>(string name) where T : class =>
        Values.TryGetValue(name, out var value) ? (T)value : throw new KeyNotFoundException($"nothing is published as '{name}'");

    internal static bool TryAdd(string name, object value) => Values.TryAdd(name, value);
}
