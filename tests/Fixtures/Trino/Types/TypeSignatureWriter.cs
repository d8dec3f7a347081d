using System.Text.Json;

namespace KernelGateway.Tests.Fixtures.Trino.Types;

/// <summary>
/// Writes a column's <c>typeSignature</c>: <c>{rawType, arguments:[{kind, value}]}</c> with kinds TYPE,
/// NAMED_TYPE, LONG (ClientTypeSignatureParameter.java); in the Presto dialect the kinds are spelled
/// TYPE_SIGNATURE, NAMED_TYPE_SIGNATURE, LONG_LITERAL and the deprecated <c>typeArguments</c> and
/// <c>literalArguments</c> arrays follow (prestodb ClientTypeSignature).
/// </summary>
internal static class TypeSignatureWriter
{
    public static void Write(Utf8JsonWriter w, TrinoType type, bool presto)
    {
        w.WriteStartObject();
        w.WriteString("rawType", type.Base);
        w.WriteStartArray("arguments");
        foreach (var n in type.Numbers)
        {
            w.WriteStartObject();
            w.WriteString("kind", presto ? "LONG_LITERAL" : "LONG");
            w.WriteNumber("value", n);
            w.WriteEndObject();
        }
        foreach (var f in type.Fields)
        {
            w.WriteStartObject();
            if (type.Base == "row")
            {
                w.WriteString("kind", presto ? "NAMED_TYPE_SIGNATURE" : "NAMED_TYPE");
                w.WriteStartObject("value");
                if (f.Name is { } name)
                {
                    w.WriteStartObject("fieldName");
                    w.WriteString("name", name);
                    if (presto) w.WriteBoolean("delimited", false);
                    w.WriteEndObject();
                }
                w.WritePropertyName("typeSignature");
                Write(w, f.Type, presto);
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("kind", presto ? "TYPE_SIGNATURE" : "TYPE");
                w.WritePropertyName("value");
                Write(w, f.Type, presto);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (presto) WriteDeprecated(w, type);
        w.WriteEndObject();
    }

    private static void WriteDeprecated(Utf8JsonWriter w, TrinoType type)
    {
        w.WriteStartArray("typeArguments");
        if (type.Numbers.Count == 0)
        {
            foreach (var f in type.Fields) Write(w, f.Type, presto: true);
        }
        w.WriteEndArray();
        w.WriteStartArray("literalArguments");
        if (type.Base == "row")
        {
            foreach (var f in type.Fields) w.WriteStringValue(f.Name ?? "");
        }
        w.WriteEndArray();
    }
}
