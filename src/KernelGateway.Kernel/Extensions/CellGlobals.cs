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

    private static readonly ConcurrentDictionary<int, object?> Handed = new();
    private static int _handed;

    /// <summary>Keeps a value for a cell to take once (how the kernel sets a variable: the cell reads it back by number).</summary>
    internal static int Hand(object? value)
    {
        var id = Interlocked.Increment(ref _handed);
        Handed[id] = value;
        return id;
    }

    /// <summary>The value handed over as <paramref name="id"/>; it is forgotten.</summary>
    public static object? Take(int id) => Handed.TryRemove(id, out var value) ? value : throw new KeyNotFoundException($"nothing was handed over as {id}");
}
