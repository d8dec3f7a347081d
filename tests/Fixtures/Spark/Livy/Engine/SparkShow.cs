using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>
/// <c>spark.sql("...").show()</c> (Scala or Python, <c>show(n)</c> too): runs the SQL on DuckDB and prints the table
/// as Spark's <c>Dataset.showString</c> does — columns at least 3 wide, values right-aligned and cut at 20
/// characters, <c>only showing top n rows</c> when there are more. Scala's output ends with show's newlines; Python's
/// is stripped (<c>fake_shell.py</c> rstrips what the code printed).
/// </summary>
internal static partial class SparkShow
{
    public static bool Matches(string code, string kind, out string sql, out int rows)
    {
        var m = Pattern().Match(code);
        sql = m.Success ? (m.Groups["triple"].Success ? m.Groups["triple"].Value : Regex.Unescape(m.Groups["plain"].Value)) : "";
        rows = m.Success && m.Groups["n"].Success ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) : 20;
        return m.Success && kind is "spark" or "pyspark";
    }

    public static async Task<LivyReply> RunAsync(DuckDbSql sql, string query, int rows, string kind, CancellationToken ct)
    {
        SqlRows result;
        try
        {
            result = await sql.RunAsync(query, rows, ct);
        }
        catch (DuckDBException e) when (!ct.IsCancellationRequested)
        {
            return kind == "pyspark"
                ? LivyReply.Error("AnalysisException", e.Message, "Traceback (most recent call last):\n", "pyspark.errors.exceptions.captured.AnalysisException: " + e.Message + "\n")
                : LivyReply.Error("Error", "org.apache.spark.sql.AnalysisException: " + e.Message, "  at org.apache.spark.sql.Dataset$.ofRows(Dataset.scala)");
        }
        var text = Render(result, rows);
        return LivyReply.Text(kind == "pyspark" ? text.TrimEnd() : text + "\n");
    }

    private static string Render(SqlRows result, int shown)
    {
        var cells = new List<string[]> { result.Columns.Select(c => c.Name).Select(Cut).ToArray() };
        cells.AddRange(result.Rows.Select(r => r.Select(v => Cut(Cell(v))).ToArray()));
        var widths = Enumerable.Range(0, result.Columns.Count).Select(i => Math.Max(3, cells.Max(r => r[i].Length))).ToArray();
        var sep = "+" + string.Join("+", widths.Select(w => new string('-', w))) + "+\n";
        var sb = new StringBuilder(sep);
        for (var r = 0; r < cells.Count; r++)
        {
            sb.Append('|').Append(string.Join("|", cells[r].Select((c, i) => c.PadLeft(widths[i])))).Append("|\n");
            if (r == 0) sb.Append(sep);
        }
        sb.Append(sep);
        if (result.More) sb.Append(CultureInfo.InvariantCulture, $"only showing top {shown} row{(shown == 1 ? "" : "s")}\n");
        return sb.ToString();
    }

    private static string Cut(string s) => s.Length > 20 ? s[..17] + "..." : s;

    /// <summary>A value as Spark casts it to a string for show().</summary>
    private static string Cell(object? v) => v switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => JavaDouble(d),
        float f => JavaDouble(f),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        byte[] bytes => "[" + string.Join(" ", bytes.Select(b => b.ToString("X2", CultureInfo.InvariantCulture))) + "]",
        System.Collections.IEnumerable list and not string => "[" + string.Join(", ", list.Cast<object?>().Select(Cell)) + "]",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Java's <c>Double.toString</c>: plain with at least one decimal in [1e-3, 1e7), else <c>d.dddE±n</c>.</summary>
    private static string JavaDouble(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsInfinity(d)) return d > 0 ? "Infinity" : "-Infinity";
        var a = Math.Abs(d);
        if (a == 0 || (a >= 1e-3 && a < 1e7))
        {
            var plain = d.ToString("0.0##################", CultureInfo.InvariantCulture);
            return plain;
        }
        var r = a.ToString("E16", CultureInfo.InvariantCulture);  // d.ddddddddddddddddE+xxx
        var shortest = a.ToString("R", CultureInfo.InvariantCulture);
        var exponent = int.Parse(r[(r.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
        var digits = shortest.Split('E')[0].Replace(".", "", StringComparison.Ordinal).TrimStart('0').TrimEnd('0');
        var mantissa = digits.Length <= 1 ? (digits.Length == 0 ? "0" : digits) + ".0" : digits[0] + "." + digits[1..];
        return (d < 0 ? "-" : "") + mantissa + "E" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^\s*spark\.sql\(\s*(?:(?:u|f)?\"\"\"(?<triple>[\s\S]*?)\"\"\"|(?:u|f)?"(?<plain>(?:[^"\\]|\\.)*)")\s*\)\.show\(\s*(?<n>\d+)?\s*\)\s*;?\s*$""")]
    private static partial Regex Pattern();
}
