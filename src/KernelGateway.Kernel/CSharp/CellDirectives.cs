using System.Text.RegularExpressions;

namespace KernelGateway.Kernel.CSharp;

/// <summary>
/// The lines of a C# cell that are for the kernel rather than the compiler: <c>#r "nuget: Name, Version"</c>,
/// <c>#i "nuget: source"</c>, and a leading <c>#!csharp</c>. They are blanked (not removed), so line numbers stay.
/// </summary>
internal sealed partial record CellDirectives(string Code, IReadOnlyList<(string Name, string Version)> Packages, IReadOnlyList<string> Sources)
{
    [GeneratedRegex(@"^\s*#r\s+""nuget:\s*(?<name>[^,""\s]+)\s*(?:,\s*(?<version>[^""]*?))?\s*""\s*$")]
    private static partial Regex PackageLine();

    [GeneratedRegex(@"^\s*#i\s+""nuget:\s*(?<source>[^""]+?)\s*""\s*$")]
    private static partial Regex SourceLine();

    /// <summary>Splits the directives from the code.</summary>
    public static CellDirectives Parse(string code)
    {
        if (!code.Contains('#')) return new CellDirectives(code, [], []);
        var lines = code.Split('\n');
        var packages = new List<(string, string)>();
        var sources = new List<string>();
        var first = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (first && line.Trim() == "#!csharp") { lines[i] = ""; first = false; continue; }
            if (line.Trim().Length > 0) first = false;
            if (PackageLine().Match(line) is { Success: true } p)
            {
                packages.Add((p.Groups["name"].Value, p.Groups["version"].Value.Trim()));
                lines[i] = "";
            }
            else if (SourceLine().Match(line) is { Success: true } s)
            {
                sources.Add(s.Groups["source"].Value);
                lines[i] = "";
            }
        }
        return new CellDirectives(string.Join('\n', lines), packages, sources);
    }
}
