using System.Collections;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// A value of a Trino <c>row</c> type: the field values in order, reached by index or by field name (an anonymous
/// field is named <c>field0</c>, <c>field1</c>, ... by its position). Enumerates as name/value pairs in field
/// order. Immutable; equal to another row with the same names and equal values (arrays, maps, binary and nested
/// rows compared by content). Reads as Trino prints a row: <c>{a=1, b=x}</c>.
/// </summary>
public sealed class TrinoRow : IReadOnlyDictionary<string, object?>, IEquatable<TrinoRow>
{
    private readonly TrinoRowShape _shape;
    private readonly object?[] _values;
    private ReadOnlyCollection<object?>? _readOnlyValues;

    /// <summary>A row of these field names (null or empty for an anonymous field) and values.</summary>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public TrinoRow(IReadOnlyList<string?> names, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Count != values.Count) throw new ArgumentException($"{names.Count} names for {values.Count} values", nameof(values));
        _shape = new TrinoRowShape(names);
        _values = [.. values];
    }

    /// <summary>A decoded row: the shape is its type's, the array is owned by the row from now on.</summary>
    internal TrinoRow(TrinoRowShape shape, object?[] values)
    {
        _shape = shape;
        _values = values;
    }

    /// <summary>The number of fields.</summary>
    public int Count => _values.Length;

    /// <summary>The value of the field at <paramref name="index"/>.</summary>
    /// <exception cref="IndexOutOfRangeException">No field there.</exception>
    public object? this[int index] => _values[index];

    /// <summary>The value of the (first) field named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No field of that name.</exception>
    public object? this[string name] => _shape.IndexOf(name) is >= 0 and var i ? _values[i] : throw new KeyNotFoundException($"the row has no field '{name}' (it has {string.Join(", ", _shape.Names)})");

    /// <summary>The field names in order.</summary>
    public IReadOnlyList<string> Names => _shape.ReadOnlyNames;

    /// <summary>The field values in order.</summary>
    public IReadOnlyList<object?> Values => _readOnlyValues ??= _values.AsReadOnly();

    /// <summary>Whether the field at <paramref name="index"/> has a name of its own (not <c>field</c><i>index</i>).</summary>
    public bool IsNamed(int index) => _shape.Named[index];

    IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => _shape.Names;

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => Values;

    /// <summary>Whether a field has this name.</summary>
    public bool ContainsKey(string key) => _shape.IndexOf(key) >= 0;

    /// <summary>The value of the (first) field named <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var i = _shape.IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    /// <summary>Name/value pairs in field order.</summary>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++) yield return new KeyValuePair<string, object?>(_shape.Names[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Same names, same anonymous fields, and equal values by content.</summary>
    public bool Equals(TrinoRow? other)
    {
        if (other is null || other._values.Length != _values.Length || !_shape.SameAs(other._shape)) return false;
        for (var i = 0; i < _values.Length; i++)
            if (!TrinoValueEquality.Equal(_values[i], other._values[i])) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TrinoRow);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < _values.Length; i++)
        {
            hash.Add(_shape.Names[i], StringComparer.Ordinal);
            hash.Add(TrinoValueEquality.Hash(_values[i]));
        }
        return hash.ToHashCode();
    }

    /// <summary>As Trino prints a row: <c>{a=1, b=x}</c>, an anonymous field by its value alone.</summary>
    public override string ToString() => TrinoValueText.Format(this);
}
