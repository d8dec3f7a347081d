using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using KernelGateway.Notebooks.Parameters;

namespace KernelGateway.Cli;

/// <summary>Typed options shared by several commands, with their validation (a bad value is a usage error naming the option).</summary>
internal static class CliOptions
{
    /// <summary>A positive number of seconds.</summary>
    public static Option<TimeSpan?> Seconds(string name, string description, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        HelpName = "S",
        CustomParser = r =>
        {
            var text = r.Tokens.Single().Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && double.IsFinite(s)) return TimeSpan.FromSeconds(s);
            r.AddError($"{Typed(r, name)} needs a positive number of seconds, not '{text}'");
            return null;
        },
    };

    /// <summary>An integer of at least <paramref name="min"/>.</summary>
    public static Option<int?> AtLeast(int min, string name, string description, params string[] aliases) => AtLeast(min, name, description, int.MaxValue, aliases);

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int?> AtLeast(int min, string name, string description, int max, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        HelpName = "N",
        CustomParser = r =>
        {
            var text = r.Tokens.Single().Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
            r.AddError(max < int.MaxValue ? $"{Typed(r, name)} needs a whole number from {min} to {max}, not '{text}'"
                : $"{Typed(r, name)} needs a {(min > 0 ? "positive " : "")}whole number{(min > 1 ? $" of at least {min}" : "")}, not '{text}'");
            return null;
        },
    };

    /// <summary>The option's name as the user typed it (an alias such as <c>--MappingKernelManager.cull_interval</c>).</summary>
    private static string Typed(ArgumentResult r, string name) => (r.Parent as OptionResult)?.IdentifierToken?.Value ?? name;

    /// <summary>A repeatable option with one value per occurrence.</summary>
    public static Option<string[]> Repeated(string name, string description, string helpName, params string[] aliases) => new(name, aliases)
    {
        Description = description, HelpName = helpName, Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false,
    };
}

/// <summary>
/// Parameters as papermill takes them: <c>-p name value</c> (typed: True/False/None, integers, floats, else text),
/// <c>-r name raw</c> (text), <c>-f params.yaml</c>, <c>-y 'yaml'</c>; merged YAML first (-y, then -f), then -p, then
/// -r, later ones winning.
/// </summary>
internal sealed class ParameterOptions
{
    private readonly Option<string[]> _typed = new("--parameter", "-p")
    {
        Description = "A parameter, typed as papermill types it (True/False/None, integers, floats, else text); repeatable",
        HelpName = "name value", Arity = new ArgumentArity(2, 2), AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string[]> _raw = new("--parameter-raw", "-r")
    {
        Description = "A parameter taken as text; repeatable", HelpName = "name raw", Arity = new ArgumentArity(2, 2), AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string[]> _files = CliOptions.Repeated("--parameters-file", "Parameters from a YAML file; repeatable", "params.yaml", "-f");

    private readonly Option<string[]> _yamls = CliOptions.Repeated("--parameters-yaml", "Parameters as YAML text; repeatable", "yaml", "-y");

    public void AddTo(Command command)
    {
        command.Options.Add(_typed);
        command.Options.Add(_raw);
        command.Options.Add(_files);
        command.Options.Add(_yamls);
    }

    /// <summary>Whether any parameter option was given.</summary>
    public bool Given(ParseResult parse) => new Option[] { _typed, _raw, _files, _yamls }.Any(o => parse.GetResult(o) is not null);

    /// <summary>The merged values.</summary>
    /// <exception cref="UsageException">Bad YAML or an unreadable file.</exception>
    public Dictionary<string, object?> Read(ParseResult parse)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        try
        {
            foreach (var yaml in parse.GetValue(_yamls) ?? []) foreach (var (k, v) in YamlParameters.Parse(yaml, "-y")) values[k] = v;
            foreach (var file in parse.GetValue(_files) ?? []) foreach (var (k, v) in YamlParameters.Parse(File.ReadAllText(file), file)) values[k] = v;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException(e.Message);
        }
        foreach (var (k, v) in Pairs(parse.GetValue(_typed))) values[k] = ParameterValues.FromCommandLine(v);
        foreach (var (k, v) in Pairs(parse.GetValue(_raw))) values[k] = v;
        return values;
    }

    private static IEnumerable<(string, string)> Pairs(string[]? tokens)
    {
        for (var i = 0; i + 1 < (tokens?.Length ?? 0); i += 2) yield return (tokens![i], tokens[i + 1]);
    }
}
