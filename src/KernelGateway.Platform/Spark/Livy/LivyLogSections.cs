using System.Text.RegularExpressions;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// Finds the lines a log has gained since it was last read. Livy's log is not append-only: it is the application's
/// output in sections (<c>stdout: </c>, <c>\nstderr: </c>, <c>\nYARN Diagnostics: </c> or
/// <c>\nKubernetes Diagnostics: </c>, Livy's <c>SparkApp.log()</c>), stdout grows in the middle once stderr has lines,
/// and each section keeps only its last <c>livy.cache-log.size</c> lines, so offsets shift when old lines drop out.
/// Each section is therefore compared with what was seen of it: the longest tail of the old lines that starts the
/// new ones is taken as already seen, the rest is new. Lines dropped between two reads are lost (Livy no longer has
/// them); a section of identical lines can hide repeats.
/// </summary>
internal sealed partial class LivyLogSections
{
    private readonly Dictionary<string, IReadOnlyList<string>> _seen = new(StringComparer.Ordinal);

    /// <summary>The new lines of a full read of the log, in order, with their section (empty before any header).</summary>
    public List<(string Source, string Line)> Update(IReadOnlyList<string> log)
    {
        var fresh = new List<(string, string)>();
        foreach (var (source, lines) in Split(log))
        {
            var before = _seen.GetValueOrDefault(source) ?? [];
            for (var i = Overlap(before, lines); i < lines.Count; i++) fresh.Add((source, lines[i]));
            _seen[source] = lines;
        }
        return fresh;
    }

    private static List<(string Source, List<string> Lines)> Split(IReadOnlyList<string> log)
    {
        var sections = new List<(string, List<string>)>();
        var current = ("", new List<string>());
        foreach (var line in log)
        {
            var header = Header().Match(line);
            if (header.Success)
            {
                if (current.Item1.Length > 0 || current.Item2.Count > 0) sections.Add(current);
                current = (header.Groups[1].Value, []);
            }
            else
            {
                current.Item2.Add(line);
            }
        }
        sections.Add(current);
        return sections;
    }

    /// <summary>The largest m such that the last m lines of <paramref name="before"/> are the first m of <paramref name="now"/>.</summary>
    private static int Overlap(IReadOnlyList<string> before, IReadOnlyList<string> now)
    {
        for (var m = Math.Min(before.Count, now.Count); m > 0; m--)
        {
            var offset = before.Count - m;
            var same = true;
            for (var i = 0; i < m && same; i++) same = string.Equals(before[offset + i], now[i], StringComparison.Ordinal);
            if (same) return m;
        }
        return 0;
    }

    [GeneratedRegex(@"^\n?(stdout|stderr|YARN Diagnostics|Kubernetes Diagnostics): $")]
    private static partial Regex Header();
}
