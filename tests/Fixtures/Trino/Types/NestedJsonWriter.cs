using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KernelGateway.Tests.Fixtures.Trino.Types;

/// <summary>
/// Writes an array, map or row value from DuckDB's <c>to_json</c> text of it (DuckDB.NET cannot read lists with
/// nulls, nor every element type): each element is re-encoded the way Trino encodes its type.
/// </summary>
internal sealed class NestedJsonWriter(TrinoValueWriter scalars)
{
    public void Write(Utf8JsonWriter w, TrinoType type, string duckJson)
    {
        using var doc = JsonDocument.Parse(QuoteNonFinite(duckJson));
        Write(w, type, doc.RootElement);
    }

    private void Write(Utf8JsonWriter w, TrinoType type, JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null)
        {
            w.WriteNullValue();
            return;
        }
        switch (type.Base)
        {
            case "array":
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray()) Write(w, type.Fields[0].Type, item);
                w.WriteEndArray();
                break;
            case "map":
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject())
                {
                    w.WritePropertyName(p.Name);
                    Write(w, type.Fields[1].Type, p.Value);
                }
                w.WriteEndObject();
                break;
            case "row":
                w.WriteStartArray();
                var i = 0;
                foreach (var p in e.EnumerateObject()) Write(w, type.Fields[Math.Min(i++, type.Fields.Count - 1)].Type, p.Value);
                w.WriteEndArray();
                break;
            case "json":
                w.WriteStringValue(e.GetRawText());
                break;
            case "varbinary":
                w.WriteBase64StringValue(Unescape(e.GetString() ?? ""));
                break;
            default:
                scalars.Write(w, type, Scalar(type, e));
                break;
        }
    }

    private static object Scalar(TrinoType type, JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when type.Base is "tinyint" or "smallint" or "integer" or "bigint" => e.GetInt64(),
        JsonValueKind.Number when type.Base is "real" or "double" => e.GetDouble(),
        JsonValueKind.Number when type.Base == "decimal" => decimal.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.String when type.Base is "real" or "double" => double.Parse(e.GetString()!, CultureInfo.InvariantCulture),
        JsonValueKind.String when type.Base == "timestamp with time zone" => DateTimeOffset.Parse(e.GetString()!, CultureInfo.InvariantCulture),
        _ => e.GetString() ?? e.GetRawText(),
    };

    /// <summary>DuckDB writes blobs as text with <c>\xHH</c> escapes for bytes outside printable ASCII.</summary>
    private static byte[] Unescape(string s)
    {
        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s[i + 1] == 'x')
            {
                bytes.Add(byte.Parse(s.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
            }
        }
        return bytes.ToArray();
    }

    /// <summary>DuckDB's to_json writes NaN and ±Infinity bare, which is not JSON: quotes them.</summary>
    private static string QuoteNonFinite(string json)
    {
        if (!json.Contains("NaN", StringComparison.Ordinal) && !json.Contains("Infinity", StringComparison.Ordinal)) return json;
        var sb = new StringBuilder(json.Length + 8);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\') sb.Append(json[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') inString = true;
            var word = c == 'N' && string.CompareOrdinal(json, i, "NaN", 0, 3) == 0 ? "NaN"
                : c == 'I' && string.CompareOrdinal(json, i, "Infinity", 0, 8) == 0 ? "Infinity"
                : c == '-' && string.CompareOrdinal(json, i, "-Infinity", 0, 9) == 0 ? "-Infinity" : null;
            if (word is null) { sb.Append(c); continue; }
            sb.Append('"').Append(word).Append('"');
            i += word.Length - 1;
        }
        return sb.ToString();
    }
}
