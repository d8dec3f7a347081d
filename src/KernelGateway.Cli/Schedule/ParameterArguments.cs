using System.Text.Json.Nodes;
using KernelGateway.Jobs.Execution;
using KernelGateway.Notebooks.Parameters;

namespace KernelGateway.Cli.Schedule;

/// <summary>
/// Parameter options as <c>run</c> takes them (papermill's): <c>-p name value</c> typed, <c>-r name raw</c> as text,
/// <c>-f file.yaml</c> and <c>-y 'yaml'</c>; merged YAML first, then <c>-p</c>, then <c>-r</c>, later ones winning.
/// </summary>
internal sealed class ParameterArguments
{
    private readonly List<(string Name, string Value)> _typed = [];
    private readonly List<(string Name, string Value)> _raw = [];
    private readonly List<string> _files = [];
    private readonly List<string> _yamls = [];

    /// <summary>True when <paramref name="args"/>[<paramref name="i"/>] is a parameter option, consumed (moving <paramref name="i"/> past its values).</summary>
    public bool TryTake(string[] args, ref int i)
    {
        switch (args[i])
        {
            case "-p" or "--parameter": _typed.Add(Pair(args, ref i)); return true;
            case "-r" or "--parameter-raw": _raw.Add(Pair(args, ref i)); return true;
            case "-f" or "--parameters-file": _files.Add(Value(args, ref i)); return true;
            case "-y" or "--parameters-yaml": _yamls.Add(Value(args, ref i)); return true;
            default: return false;
        }
    }

    public bool Any => _typed.Count + _raw.Count + _files.Count + _yamls.Count > 0;

    /// <summary>The merged values as the jobs library stores them.</summary>
    /// <exception cref="UsageException">Bad YAML or an unreadable file.</exception>
    public JsonObject ToJson()
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        try
        {
            foreach (var yaml in _yamls) foreach (var (k, v) in YamlParameters.Parse(yaml, "-y")) values[k] = v;
            foreach (var file in _files) foreach (var (k, v) in YamlParameters.Parse(File.ReadAllText(file), file)) values[k] = v;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException(e.Message);
        }
        foreach (var (k, v) in _typed) values[k] = ParameterValues.FromCommandLine(v);
        foreach (var (k, v) in _raw) values[k] = v;
        return JobParameters.FromValues(values);
    }

    private static string Value(string[] args, ref int i) => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");

    private static (string, string) Pair(string[] args, ref int i) =>
        i + 2 < args.Length ? (args[++i], args[++i]) : throw new UsageException($"{args[i]} needs a name and a value");
}
