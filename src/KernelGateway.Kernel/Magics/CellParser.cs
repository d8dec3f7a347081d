using System.Text.RegularExpressions;

namespace KernelGateway.Kernel.Magics;

/// <summary>One piece of a cell: code, a line magic, or (first line only) a cell magic with its body.</summary>
public abstract record CellSegment
{
    /// <summary>Plain code (which may contain <c>#!</c> directives).</summary>
    public sealed record Code(string Text) : CellSegment;

    /// <summary><c>%name args</c>.</summary>
    public sealed record LineMagic(string Name, string Arguments, int Line) : CellSegment;

    /// <summary><c>%%name args</c> and the rest of the cell.</summary>
    public sealed record CellMagic(string Name, string Arguments, string Body) : CellSegment;
}

/// <summary>
/// Splits a cell into code and magics. A magic is <c>%</c> (or <c>%%</c> on the first non-blank line)
/// followed at once by a name, at the start of a line: <c>%</c> there is never the start of a C# statement,
/// so the two cannot be confused. <c>% 2</c> (a space after) is left to the language.
/// </summary>
public static partial class CellParser
{
    [GeneratedRegex(@"^%%(?<name>[A-Za-z_][\w.\-]*)(?:[ \t]+(?<args>.*))?$")]
    private static partial Regex CellMagicLine();

    [GeneratedRegex(@"^%(?<name>[A-Za-z_][\w.\-]*)(?:[ \t]+(?<args>.*))?$")]
    private static partial Regex LineMagicLine();

    /// <summary>Parses a cell.</summary>
    public static IReadOnlyList<CellSegment> Parse(string code)
    {
        var lines = code.Replace("\r\n", "\n").Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first >= 0)
        {
            var m = CellMagicLine().Match(lines[first].Trim());
            if (m.Success)
            {
                var body = string.Join('\n', lines.Skip(first + 1));
                return [new CellSegment.CellMagic(m.Groups["name"].Value, m.Groups["args"].Value.Trim(), body)];
            }
        }

        var segments = new List<CellSegment>();
        var pending = new List<string>();
        void FlushCode()
        {
            if (pending.Count > 0 && pending.Any(l => l.Trim().Length > 0)) segments.Add(new CellSegment.Code(string.Join('\n', pending)));
            pending.Clear();
        }
        for (var i = 0; i < lines.Length; i++)
        {
            var m = LineMagicLine().Match(lines[i].TrimEnd());
            if (m.Success && !lines[i].StartsWith("%%", StringComparison.Ordinal))
            {
                FlushCode();
                segments.Add(new CellSegment.LineMagic(m.Groups["name"].Value, m.Groups["args"].Value.Trim(), i));
            }
            else
            {
                pending.Add(lines[i]);
            }
        }
        FlushCode();
        return segments;
    }

    /// <summary>True when a cell uses any magic (so it cannot go to the language as is).</summary>
    public static bool HasMagic(string code) => code.Contains('%') && Parse(code).Any(s => s is not CellSegment.Code);
}
