using System.Collections;
using System.Globalization;
using System.Text;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Decoded values as Trino's clients print them: a row <c>{a=1, b=x}</c>, an array <c>[1, 2]</c>, a map
/// <c>{k=v}</c>, <c>null</c>, timestamps <c>2024-01-02 03:04:05.123</c>, binary as hex <c>0x0A0B</c>, numbers in the
/// invariant culture. Used for <see cref="TrinoRow.ToString"/>.
/// </summary>
internal static class TrinoValueText
{
    private const int MaxDepth = 64;

    public static string Format(object? value)
    {
        var text = new StringBuilder();
        Append(text, value, 0);
        return text.ToString();
    }

    private static void Append(StringBuilder text, object? value, int depth)
    {
        if (depth > MaxDepth) { text.Append('…'); return; }
        switch (value)
        {
            case null: text.Append("null"); break;
            case string s: text.Append(s); break;
            case bool b: text.Append(b ? "true" : "false"); break;
            case byte[] bytes: text.Append("0x").Append(Convert.ToHexString(bytes)); break;
            case DateOnly date: text.Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case TimeOnly time: text.Append(TrinoText.FormatTime(time)); break;
            case DateTime dt: text.Append(TrinoText.FormatTimestamp(dt)); break;
            case DateTimeOffset dto: text.Append(TrinoText.FormatTimestamp(dto.DateTime)).Append(' ').Append(TrinoText.FormatOffset(dto.Offset)); break;
            case TimeSpan span: text.Append(span < TimeSpan.Zero ? "-" : "").Append(TrinoText.FormatDayToSecondMagnitude(span)); break;
            case TrinoRow row: AppendRow(text, row, depth); break;
            case IDictionary map: AppendMap(text, map, depth); break;
            case IEnumerable items: AppendItems(text, items, depth); break;
            case IFormattable formattable: text.Append(formattable.ToString(null, CultureInfo.InvariantCulture)); break;
            default: text.Append(value); break;
        }
    }

    private static void AppendRow(StringBuilder text, TrinoRow row, int depth)
    {
        text.Append('{');
        for (var i = 0; i < row.Count; i++)
        {
            if (i > 0) text.Append(", ");
            if (row.IsNamed(i)) text.Append(row.Names[i]).Append('=');
            Append(text, row[i], depth + 1);
        }
        text.Append('}');
    }

    private static void AppendMap(StringBuilder text, IDictionary map, int depth)
    {
        text.Append('{');
        var first = true;
        foreach (DictionaryEntry e in map)
        {
            if (!first) text.Append(", ");
            first = false;
            Append(text, e.Key, depth + 1);
            text.Append('=');
            Append(text, e.Value, depth + 1);
        }
        text.Append('}');
    }

    private static void AppendItems(StringBuilder text, IEnumerable items, int depth)
    {
        text.Append('[');
        var first = true;
        foreach (var item in items)
        {
            if (!first) text.Append(", ");
            first = false;
            Append(text, item, depth + 1);
        }
        text.Append(']');
    }
}
