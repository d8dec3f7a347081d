using KernelGateway.Notebooks.Parameters;
using static KernelGateway.Cli.Commands;

namespace KernelGateway.Cli.Run;

/// <summary>
/// The arguments of <c>kernelgateway run</c>, parsed and merged: parameters from <c>-y</c>, <c>-f</c>, <c>-p</c>
/// (typed) and <c>-r</c> (raw) in papermill's order, later ones winning; a grid and its output path template.
/// </summary>
internal sealed record RunArguments
{
    public required string Input { get; init; }
    public string? Output { get; init; }
    public string? OutTemplate { get; init; }
    public string? GridFile { get; init; }
    public int Jobs { get; init; } = 1;
    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();
    public string? Kernel { get; init; }
    public string? Language { get; init; }
    public IReadOnlyList<string> RecordEnv { get; init; } = [];
    public bool AllowErrors { get; init; }
    public bool LogOutput { get; init; }
    public bool ReportMode { get; init; }
    public TimeSpan? CellTimeout { get; init; }
    public TimeSpan? RunTimeout { get; init; }
    public Uri? GatewayUrl { get; init; }
    public string? GatewayToken { get; init; }

    /// <summary>Parses the arguments after <c>run</c>.</summary>
    /// <exception cref="UsageException">An unknown option, a missing value, bad YAML, a bad number.</exception>
    public static RunArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) throw new UsageException("run needs a notebook path");
        var typed = new List<(string Name, string Value)>();
        var raw = new List<(string Name, string Value)>();
        var yamls = new List<string>();
        var files = new List<string>();
        var recordEnv = new List<string>();
        var a = new RunArguments { Input = args[0] };
        for (var i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            (string, string) Pair() => i + 2 < args.Length ? (args[++i], args[++i]) : throw new UsageException($"{args[i]} needs a name and a value");
            switch (args[i])
            {
                case "-o" or "--output": a = a with { Output = Next() }; break;
                case "--out": a = a with { OutTemplate = Next() }; break;
                case "--grid": a = a with { GridFile = Next() }; break;
                case "-j" or "--jobs": a = a with { Jobs = int.TryParse(Next(), out var j) && j > 0 ? j : throw new UsageException("-j needs a positive number") }; break;
                case "-p" or "--parameter": typed.Add(Pair()); break;
                case "-r" or "--parameter-raw": raw.Add(Pair()); break;
                case "-f" or "--parameters-file": files.Add(Next()); break;
                case "-y" or "--parameters-yaml": yamls.Add(Next()); break;
                case "-k" or "--kernel": a = a with { Kernel = Next() }; break;
                case "-l" or "--language": a = a with { Language = Next() }; break;
                case "--record-env": recordEnv.Add(Next()); break;
                case "--allow-errors": a = a with { AllowErrors = true }; break;
                case "--log-output": a = a with { LogOutput = true }; break;
                case "--report-mode": a = a with { ReportMode = true }; break;
                case "--execution-timeout": a = a with { CellTimeout = Seconds("--execution-timeout", Next()) }; break;
                case "--run-timeout": a = a with { RunTimeout = Seconds("--run-timeout", Next()) }; break;
                case "--gateway-url": a = a with { GatewayUrl = Uri.TryCreate(Next(), UriKind.Absolute, out var g) && g.Scheme is "http" or "https" ? g : throw new UsageException("--gateway-url needs an http(s) URL") }; break;
                case "--gateway-token": a = a with { GatewayToken = Next() }; break;
                default: throw new UsageException($"run: unexpected '{args[i]}'");
            }
        }
        if (a.Output is not null && a.GridFile is not null) throw new UsageException("a grid writes one notebook per combination: give --out with a template, not -o");
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        try
        {
            foreach (var yaml in yamls) foreach (var (k, v) in YamlParameters.Parse(yaml, "-y")) parameters[k] = v;
            foreach (var file in files) foreach (var (k, v) in YamlParameters.Parse(File.ReadAllText(file), file)) parameters[k] = v;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException(e.Message);
        }
        foreach (var (k, v) in typed) parameters[k] = ParameterValues.FromCommandLine(v);
        foreach (var (k, v) in raw) parameters[k] = v;
        // As Jupyter Server's --gateway-url takes it: the token from the environment when not given (never from a log line).
        var token = a.GatewayToken ?? Environment.GetEnvironmentVariable("KG_GATEWAY_TOKEN") ?? Environment.GetEnvironmentVariable("JUPYTER_GATEWAY_AUTH_TOKEN");
        return a with { Parameters = parameters, RecordEnv = recordEnv.Distinct().ToList(), GatewayToken = a.GatewayUrl is null ? null : token };
    }

    private static TimeSpan Seconds(string option, string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 && double.IsFinite(s)
            ? TimeSpan.FromSeconds(s) : throw new UsageException($"{option} needs a positive number of seconds, not '{text}'");
}
