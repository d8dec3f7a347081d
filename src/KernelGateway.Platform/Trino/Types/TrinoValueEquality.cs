using System.Collections;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Equality of decoded values by content, for <see cref="TrinoRow"/>: binary values by their bytes, arrays element
/// by element, maps by their entries (in any order), everything else by its own <see cref="object.Equals(object?)"/>
/// (so NaN equals NaN, as <see cref="double.Equals(double)"/> has it).
/// </summary>
internal static class TrinoValueEquality
{
    private const int MaxDepth = 64;

    public static bool Equal(object? a, object? b) => Equal(a, b, 0);

    private static bool Equal(object? a, object? b, int depth)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || depth > MaxDepth) return false;
        return (a, b) switch
        {
            (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
            (object?[] x, object?[] y) => SameItems(x, y, depth),
            (IDictionary x, IDictionary y) => SameEntries(x, y, depth),
            _ => a.Equals(b),
        };
    }

    private static bool SameItems(object?[] x, object?[] y, int depth)
    {
        if (x.Length != y.Length) return false;
        for (var i = 0; i < x.Length; i++)
            if (!Equal(x[i], y[i], depth + 1)) return false;
        return true;
    }

    private static bool SameEntries(IDictionary x, IDictionary y, int depth)
    {
        if (x.Count != y.Count) return false;
        foreach (DictionaryEntry e in x)
            if (!y.Contains(e.Key) || !Equal(e.Value, y[e.Key], depth + 1)) return false;
        return true;
    }

    /// <summary>A hash consistent with <see cref="Equal(object?, object?)"/>.</summary>
    public static int Hash(object? value) => Hash(value, 0);

    private static int Hash(object? value, int depth)
    {
        if (value is null || depth > MaxDepth) return 0;
        var hash = new HashCode();
        switch (value)
        {
            case byte[] bytes:
                hash.AddBytes(bytes);
                break;
            case object?[] items:
                foreach (var item in items) hash.Add(Hash(item, depth + 1));
                break;
            case IDictionary map:
                var entries = 0;
                foreach (DictionaryEntry e in map) entries ^= HashCode.Combine(e.Key, Hash(e.Value, depth + 1)); // any order
                hash.Add(entries);
                break;
            default:
                return value.GetHashCode();
        }
        return hash.ToHashCode();
    }
}
