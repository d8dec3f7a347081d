using System.Globalization;
using System.Text;
using KernelGateway.Notebooks.Parameters;

namespace KernelGateway.Cli.Run;

/// <summary>One run of a grid: its parameters (the base ones with this combination on top) and its output path.</summary>
internal sealed record GridRun(int Index, IReadOnlyDictionary<string, object?> Parameters, IReadOnlyDictionary<string, object?> Combination, string Output);

/// <summary>
/// A parameter grid: a YAML mapping of names to lists of values (a single value counts as a list of one), expanded
/// to every combination, the first name varying slowest. Output paths come from a template with <c>{name}</c> (the
/// notebook's name), <c>{run_id}</c>, <c>{date}</c> (UTC, yyyyMMdd), <c>{index}</c> and any parameter, each value
/// made safe for a file name.
/// </summary>
internal static class GridPlan
{
    /// <exception cref="FormatException">The grid file is not a mapping of names to values, or a template names an unknown field.</exception>
    public static IReadOnlyList<GridRun> Expand(string gridYaml, string origin, IReadOnlyDictionary<string, object?> baseParameters, string input, string template, DateTimeOffset now)
    {
        var axes = YamlParameters.Parse(gridYaml, origin).Select(p => (p.Key, Values: p.Value is IReadOnlyList<object?> l ? l : [p.Value])).ToList();
        if (axes.Count == 0) throw new FormatException($"{origin}: the grid names no parameter");
        foreach (var (key, values) in axes) if (values.Count == 0) throw new FormatException($"{origin}: '{key}' has no values");
        IEnumerable<List<(string, object?)>> combinations = [[]];
        foreach (var (key, values) in axes) combinations = combinations.SelectMany(c => values.Select(v => new List<(string, object?)>(c) { (key, v) }));
        var runs = new List<GridRun>();
        foreach (var combination in combinations)
        {
            var parameters = new Dictionary<string, object?>(baseParameters, StringComparer.Ordinal);
            foreach (var (k, v) in combination) parameters[k] = v;
            var runId = Guid.NewGuid().ToString("N")[..8];
            var output = Format(template, Path.GetFileNameWithoutExtension(input), runId, now, runs.Count + 1, parameters);
            runs.Add(new GridRun(runs.Count + 1, parameters, combination.ToDictionary(c => c.Item1, c => c.Item2), output));
        }
        var clash = runs.GroupBy(r => Path.GetFullPath(r.Output)).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null) throw new FormatException($"the output template gives several runs the same path ({clash.Key}): add {{run_id}}, {{index}} or the varying parameters");
        return runs;
    }

    /// <summary>The template with its fields filled in.</summary>
    public static string Format(string template, string name, string runId, DateTimeOffset now, int index, IReadOnlyDictionary<string, object?> parameters)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '{') { sb.Append(template[i]); continue; }
            var end = template.IndexOf('}', i);
            if (end < 0) throw new FormatException($"the output template has an unclosed '{{' at {i}");
            var field = template[(i + 1)..end];
            sb.Append(field switch
            {
                "name" => name,
                "run_id" => runId,
                "date" => now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                "index" => index.ToString(CultureInfo.InvariantCulture),
                _ when parameters.TryGetValue(field, out var v) => Safe(v is string s ? s : ParameterValues.Display(v)),
                _ => throw new FormatException($"the output template names '{{{field}}}', which is neither name, run_id, date, index nor a parameter"),
            });
            i = end;
        }
        return sb.ToString();
    }

    private static readonly HashSet<char> NotInFileNames = [.. Path.GetInvalidFileNameChars(), '\\', ':', '*', '?', '"', '<', '>', '|'];

    /// <summary>A value as part of a file name: path separators, NUL and other characters a file name should not hold become '_'.</summary>
    private static string Safe(string value)
    {
        var safe = new string(value.Select(c => NotInFileNames.Contains(c) || char.IsControl(c) ? '_' : c).ToArray());
        return safe is "." or ".." ? "_" : safe;
    }
}
