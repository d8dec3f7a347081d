using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelGateway.Jobs.Execution;

/// <summary>
/// Parameters as schedules and runs store them (a JSON object) and as the runner injects them (the values of
/// <see cref="KernelGateway.Notebooks.Parameters.ParameterValues"/>).
/// </summary>
public static class JobParameters
{
    /// <summary>Values (e.g. from <c>-p name value</c>) as a JSON object.</summary>
    public static JsonObject FromValues(IReadOnlyDictionary<string, object?> values)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in values) obj[k] = Json(v);
        return obj;
    }

    /// <summary>A value as JSON; NaN and the infinities (not JSON) as the strings <c>nan</c>, <c>inf</c>, <c>-inf</c>.</summary>
    private static JsonNode? Json(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        BigInteger big => JsonNode.Parse(big.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        double d => JsonValue.Create(KernelGateway.Notebooks.Parameters.ParameterValues.Display(d)),
        string s => JsonValue.Create(s),
        IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, Json(p.Value)))),
        IReadOnlyList<object?> list => new JsonArray(list.Select(Json).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>A JSON object's members as parameter values: numbers without a fraction become integers, the rest as JSON reads.</summary>
    public static IReadOnlyDictionary<string, object?> ToValues(JsonObject parameters) =>
        parameters.ToDictionary(p => p.Key, p => Value(p.Value), StringComparer.Ordinal);

    private static object? Value(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => (IReadOnlyDictionary<string, object?>)o.ToDictionary(p => p.Key, p => Value(p.Value), StringComparer.Ordinal),
        JsonArray a => (IReadOnlyList<object?>)a.Select(Value).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => Number(v.ToJsonString()),
            _ => null,
        },
        _ => null,
    };

    private static object Number(string text)
    {
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l)) return l;
        if (BigInteger.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var b)) return b;
        return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
