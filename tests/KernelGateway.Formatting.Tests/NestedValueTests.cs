using System.Collections;
using System.Text.Json;
using KernelGateway.Formatting.Tabular;

namespace KernelGateway.Formatting.Tests;

/// <summary>Nested cell values in the data resource: records of named fields are objects, map keys read as their values do.</summary>
public sealed class NestedValueTests
{
    /// <summary>A record known only as name/value pairs (as a Trino row is), not an <see cref="IDictionary"/>.</summary>
    private sealed class Fields(params (string Name, object? Value)[] fields) : IReadOnlyDictionary<string, object?>
    {
        public object? this[string key] => fields.First(f => f.Name == key).Value;
        public IEnumerable<string> Keys => fields.Select(f => f.Name);
        public IEnumerable<object?> Values => fields.Select(f => f.Value);
        public int Count => fields.Length;
        public bool ContainsKey(string key) => fields.Any(f => f.Name == key);
        public bool TryGetValue(string key, out object? value)
        {
            value = ContainsKey(key) ? this[key] : null;
            return ContainsKey(key);
        }
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.Select(f => new KeyValuePair<string, object?>(f.Name, f.Value)).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static JsonElement Cell(object? value)
    {
        var table = TabularResult.FromRows([("v", typeof(object))], [[value]]);
        using var doc = JsonDocument.Parse(TabularRenderer.DataResource(table));
        return doc.RootElement.GetProperty("data")[0].GetProperty("v").Clone();
    }

    [Fact]
    public void A_record_of_named_fields_is_a_JSON_object_at_any_depth()
    {
        var record = new Fields(("id", 7L), ("tags", new object?[] { "a", null }), ("inner", new Fields(("x", 1.5))));
        Assert.Equal("""{"id":7,"tags":["a",null],"inner":{"x":1.5}}""", Cell(record).GetRawText());
        Assert.Equal("""[{"id":7,"tags":["a",null],"inner":{"x":1.5}}]""", Cell(new object[] { record }).GetRawText());
        Assert.Equal("""{"id":7,"tags":["a",null],"inner":{"x":1.5}}""", TabularRenderer.Display(record));
    }

    [Fact]
    public void Map_keys_read_as_the_values_would()
    {
        var map = new Dictionary<object, object?> { [new DateOnly(2024, 1, 2)] = 1, [2.5] = 2, ["s"] = 3, [true] = 4 };
        Assert.Equal("""{"2024-01-02":1,"2.5":2,"s":3,"true":4}""", Cell(map).GetRawText());
    }
}
