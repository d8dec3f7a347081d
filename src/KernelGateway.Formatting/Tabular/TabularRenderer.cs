using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace KernelGateway.Formatting.Tabular;

/// <summary>
/// Renders a <see cref="TabularResult"/> as the MIME types frontends show:
/// <c>application/vnd.dataresource+json</c> (nteract's Data Explorer, pandas' table schema), <c>text/html</c>
/// (JupyterLab, VS Code), <c>text/plain</c> (consoles) and optionally <c>text/csv</c>. Truncation is explicit:
/// html and text say "showing N of M rows".
/// </summary>
public static class TabularRenderer
{
    /// <summary>The data resource MIME type.</summary>
    public const string DataResourceMimeType = "application/vnd.dataresource+json";

    /// <summary>All representations, by MIME type; JSON ones as UTF-8 JSON bytes, text ones as strings.</summary>
    public static IReadOnlyDictionary<string, object> Render(TabularResult table, TabularLimits? limits = null)
    {
        limits = (limits ?? new TabularLimits()).Validated();
        var result = new Dictionary<string, object>
        {
            ["text/plain"] = PlainText(table, limits),
            ["text/html"] = Html(table, limits),
            [DataResourceMimeType] = DataResource(table, limits),
        };
        if (limits.IncludeCsv) result["text/csv"] = Csv(table, limits);
        return result;
    }

    // ------------------------------------------------------------------ data resource

    /// <summary>The Table Schema data resource as UTF-8 JSON: <c>{"schema": {"fields": [...]}, "data": [...]}</c>.</summary>
    public static byte[] DataResource(TabularResult table, TabularLimits? limits = null)
    {
        limits = (limits ?? new TabularLimits()).Validated();
        return DataResourceWriter.Write(table, Math.Min(table.Rows.Count, limits.DataResourceRows));
    }

    /// <summary>One value as JSON: what the data resource writes for anything but its fast paths.</summary>
    internal static void WriteValue(Utf8JsonWriter w, object? value, int depth)
    {
        switch (value)
        {
            case null or DBNull: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case short s: w.WriteNumberValue(s); break;
            case byte b8: w.WriteNumberValue(b8); break;
            case sbyte sb: w.WriteNumberValue(sb); break;
            case ushort us: w.WriteNumberValue(us); break;
            case uint ui: w.WriteNumberValue(ui); break;
            case ulong ul: w.WriteNumberValue(ul); break;
            case BigInteger bi: w.WriteRawValue(bi.ToString(CultureInfo.InvariantCulture), skipInputValidation: true); break;
            case Int128 i128: w.WriteRawValue(i128.ToString(CultureInfo.InvariantCulture), skipInputValidation: true); break;
            case UInt128 u128: w.WriteRawValue(u128.ToString(CultureInfo.InvariantCulture), skipInputValidation: true); break;
            case double d: if (double.IsFinite(d)) w.WriteNumberValue(d); else w.WriteNullValue(); break; // JSON has no NaN/Infinity (pandas writes null too)
            case float f: if (float.IsFinite(f)) w.WriteNumberValue(f); else w.WriteNullValue(); break;
            case Half h: if (Half.IsFinite(h)) w.WriteNumberValue((double)h); else w.WriteNullValue(); break;
            case decimal m: w.WriteNumberValue(m); break;
            case string str: w.WriteStringValue(str); break;
            case char ch: w.WriteStringValue(ch.ToString()); break;
            case Guid g: w.WriteStringValue(g); break;
            case byte[] bytes: w.WriteBase64StringValue(bytes); break;
            case DateOnly date: w.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case TimeOnly time: w.WriteStringValue(time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.')); break;
            case DateTime dt: w.WriteStringValue(dt.ToString(dt.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF" : "O", CultureInfo.InvariantCulture).TrimEnd('.')); break;
            case DateTimeOffset dto: w.WriteStringValue(dto.ToString("O", CultureInfo.InvariantCulture)); break;
            case TimeSpan ts: w.WriteStringValue(IsoDuration(ts)); break;
            case IDictionary dict when depth < 32:
                w.WriteStartObject();
                foreach (DictionaryEntry e in dict)
                {
                    w.WritePropertyName(e.Key is null ? "" : Display(e.Key)); // a date key reads 2024-01-02, as its value would
                    WriteValue(w, e.Value, depth + 1);
                }
                w.WriteEndObject();
                break;
            case IEnumerable<KeyValuePair<string, object?>> fields when depth < 32: // a record of named fields (a Trino row)
                w.WriteStartObject();
                foreach (var (name, field) in fields)
                {
                    w.WritePropertyName(name);
                    WriteValue(w, field, depth + 1);
                }
                w.WriteEndObject();
                break;
            case IEnumerable items when depth < 32:
                w.WriteStartArray();
                foreach (var item in items) WriteValue(w, item, depth + 1);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(Display(value)); break;
        }
    }

    /// <summary>ISO 8601 duration, as Table Schema's <c>duration</c> type wants: <c>P1DT2H3M4.5S</c>.</summary>
    public static string IsoDuration(TimeSpan t)
    {
        var sb = new StringBuilder();
        if (t < TimeSpan.Zero) { sb.Append('-'); t = t.Duration(); }
        sb.Append('P');
        if (t.Days > 0) sb.Append(t.Days).Append('D');
        sb.Append('T').Append(t.Hours).Append('H').Append(t.Minutes).Append('M');
        var seconds = t.Seconds + t.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond;
        sb.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('S');
        return sb.ToString();
    }

    // ------------------------------------------------------------------ html

    /// <summary>An HTML table (every value escaped), the column types under the names, and a truncation footer.</summary>
    public static string Html(TabularResult table, TabularLimits? limits = null)
    {
        limits = (limits ?? new TabularLimits()).Validated();
        var shown = Math.Min(table.Rows.Count, limits.DisplayRows);
        var sb = new StringBuilder();
        sb.Append("<table class=\"dataframe kg-table\"><thead><tr>");
        foreach (var f in table.Fields)
            sb.Append("<th>").Append(WebUtility.HtmlEncode(f.Name)).Append("<br/><small>").Append(WebUtility.HtmlEncode(f.EngineType ?? f.Type)).Append("</small></th>");
        sb.Append("</tr></thead><tbody>");
        for (var r = 0; r < shown; r++)
        {
            sb.Append("<tr>");
            for (var c = 0; c < table.Fields.Count; c++)
            {
                var v = table.Rows[r][c];
                var numeric = table.Fields[c].Type is TableSchemaTypes.Integer or TableSchemaTypes.Number;
                sb.Append(numeric ? "<td style=\"text-align:right\">" : "<td>");
                sb.Append(v is null ? "<i>null</i>" : WebUtility.HtmlEncode(Display(v)));
                sb.Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        sb.Append("<p><small>").Append(WebUtility.HtmlEncode(Footer(table, shown))).Append("</small></p>");
        return sb.ToString();
    }

    // ------------------------------------------------------------------ plain text

    /// <summary>An aligned text table (numbers right-aligned, long cells cut), and a truncation footer.</summary>
    public static string PlainText(TabularResult table, TabularLimits? limits = null)
    {
        limits = (limits ?? new TabularLimits()).Validated();
        var shown = Math.Min(table.Rows.Count, limits.DisplayRows);
        var cells = new string[shown + 1][];
        cells[0] = table.Fields.Select(f => Cut(f.Name, limits.PlainCellWidth)).ToArray();
        for (var r = 0; r < shown; r++)
            cells[r + 1] = table.Rows[r].Select(v => Cut(v is null ? "null" : Display(v).ReplaceLineEndings("⏎"), limits.PlainCellWidth)).ToArray();
        var widths = Enumerable.Range(0, table.Fields.Count).Select(c => cells.Max(row => row[c].Length)).ToArray();
        var sb = new StringBuilder();
        var line = new StringBuilder();
        for (var r = 0; r < cells.Length; r++)
        {
            line.Clear();
            for (var c = 0; c < widths.Length; c++)
            {
                if (c > 0) line.Append("  ");
                var numeric = table.Fields[c].Type is TableSchemaTypes.Integer or TableSchemaTypes.Number;
                line.Append(numeric ? cells[r][c].PadLeft(widths[c]) : cells[r][c].PadRight(widths[c]));
            }
            sb.Append(line.ToString().TrimEnd()).Append('\n');
            if (r == 0) sb.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        }
        sb.Append(Footer(table, shown));
        return sb.ToString();
    }

    private static string Cut(string s, int width) => s.Length <= width ? s : s[..(width - 1)] + "…";

    // ------------------------------------------------------------------ csv

    /// <summary>RFC 4180 CSV of the displayed rows.</summary>
    public static string Csv(TabularResult table, TabularLimits? limits = null)
    {
        limits = (limits ?? new TabularLimits()).Validated();
        static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        var sb = new StringBuilder();
        sb.Append(string.Join(',', table.Fields.Select(f => Quote(f.Name)))).Append("\r\n");
        foreach (var row in table.Rows.Take(limits.DisplayRows))
            sb.Append(string.Join(',', row.Select(v => v is null ? "" : Quote(Display(v))))).Append("\r\n");
        return sb.ToString();
    }

    // ------------------------------------------------------------------ shared

    /// <summary>"5 rows", "showing 50 of 1,234 rows" or "showing the first 50 rows (more not counted)".</summary>
    public static string Footer(TabularResult table, int shown)
    {
        var total = table.TotalRows;
        if (total is { } t && t == shown) return $"{t.ToString("N0", CultureInfo.InvariantCulture)} row{(t == 1 ? "" : "s")}";
        if (total is { } known) return $"showing {shown.ToString("N0", CultureInfo.InvariantCulture)} of {known.ToString("N0", CultureInfo.InvariantCulture)} rows";
        return $"showing the first {shown.ToString("N0", CultureInfo.InvariantCulture)} rows (more rows not counted)";
    }

    /// <summary>How one value reads in html, text and csv.</summary>
    public static string Display(object value) => value switch
    {
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString(dt.TimeOfDay == TimeSpan.Zero && dt.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        byte[] bytes => bytes.Length <= 32 ? "0x" + Convert.ToHexString(bytes) : $"0x{Convert.ToHexString(bytes, 0, 32)}… ({bytes.Length} bytes)",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary or (IEnumerable and not string) => JsonSerializer.Serialize(AsJsonBytes(value)),
        _ => value.ToString() ?? "",
    };

    private static JsonElement AsJsonBytes(object value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) WriteValue(w, value, 0);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }
}
