namespace KernelGateway.Platform.Trino;

/// <summary>
/// The field names of a row type, built once and shared by its every value: the name each field is reached by
/// (its own, or <c>field0</c>, <c>field1</c>, ... when anonymous), whether it had one, and a name-to-index lookup
/// (the first field of a name wins, as Trino resolves a duplicated name).
/// </summary>
internal sealed class TrinoRowShape
{
    private readonly Dictionary<string, int> _index;

    public TrinoRowShape(IReadOnlyList<string?> names)
    {
        Names = new string[names.Count];
        Named = new bool[names.Count];
        _index = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            Named[i] = !string.IsNullOrEmpty(names[i]);
            Names[i] = Named[i] ? names[i]! : $"field{i}";
            _index.TryAdd(Names[i], i);
        }
        ReadOnlyNames = Names.AsReadOnly();
    }

    /// <summary>The name of each field, in order.</summary>
    public string[] Names { get; }

    /// <summary><see cref="Names"/>, for handing out.</summary>
    public IReadOnlyList<string> ReadOnlyNames { get; }

    /// <summary>Whether each field had a name of its own.</summary>
    public bool[] Named { get; }

    /// <summary>The index of the first field of that name, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Same names in the same order (and the same ones anonymous).</summary>
    public bool SameAs(TrinoRowShape other) =>
        ReferenceEquals(this, other) || (Names.AsSpan().SequenceEqual(other.Names) && Named.AsSpan().SequenceEqual(other.Named));
}
