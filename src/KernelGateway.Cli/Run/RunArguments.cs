using System.CommandLine;

namespace KernelGateway.Cli.Run;

/// <summary>
/// The arguments of <c>kernelgateway run</c>, parsed and merged: parameters from <c>-y</c>, <c>-f</c>, <c>-p</c>
/// (typed) and <c>-r</c> (raw) in papermill's order, later ones winning (<see cref="ParameterOptions"/>); a grid and
/// its output path template.
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

    /// <summary>The options of <c>run</c>, added to its command; <see cref="Read"/> turns a parse into <see cref="RunArguments"/>.</summary>
    internal sealed class Options
    {
        private readonly Argument<string> _input = new("notebook") { Description = "The notebook to run (.ipynb)" };
        private readonly Option<string> _output = new("--output", "-o") { Description = "The output notebook (default: under ~/.kernelgateway/runs/); never overwritten", HelpName = "out.ipynb" };
        private readonly Option<string> _outTemplate = new("--out") { Description = "With --grid: each run's output path, with {name}, {run_id}, {date}, {index} and any parameter filled in", HelpName = "TEMPLATE" };
        private readonly Option<string> _grid = new("--grid") { Description = "A YAML grid (name: [values]): one run per combination", HelpName = "grid.yaml" };
        private readonly Option<int?> _jobs = CliOptions.AtLeast(1, "--jobs", "With --grid: runs at once (1)", "-j");
        private readonly ParameterOptions _parameters = new();
        private readonly Option<string> _kernel = new("--kernel", "-k") { Description = "The kernelspec (default: the notebook's)", HelpName = "kernel" };
        private readonly Option<string> _language = new("--language", "-l") { Description = "The language parameters are written in (default: the notebook's)", HelpName = "language" };
        private readonly Option<string[]> _recordEnv = CliOptions.Repeated("--record-env", "Record this environment variable in metadata.papermill; repeatable", "NAME");
        private readonly Option<bool> _allowErrors = new("--allow-errors") { Description = "Go on after a failing cell" };
        private readonly Option<bool> _logOutput = new("--log-output") { Description = "Stream the cells' outputs to stderr" };
        private readonly Option<bool> _reportMode = new("--report-mode") { Description = "Hide the inputs in the output notebook (as papermill's --report-mode)" };
        private readonly Option<TimeSpan?> _cellTimeout = CliOptions.Seconds("--execution-timeout", "Fail a cell that runs longer (600)");
        private readonly Option<TimeSpan?> _runTimeout = CliOptions.Seconds("--run-timeout", "Fail the run when it takes longer (no limit)");
        private readonly Option<Uri> _gatewayUrl = new("--gateway-url")
        {
            Description = "Take kernels from this Kernel Gateway instead of starting them here", HelpName = "URL",
            CustomParser = r =>
            {
                var text = r.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var g) && g.Scheme is "http" or "https") return g;
                r.AddError($"--gateway-url needs an http(s) URL, not '{text}'");
                return null;
            },
        };
        private readonly Option<string> _gatewayToken = new("--gateway-token") { Description = "The gateway's token (or KG_GATEWAY_TOKEN / JUPYTER_GATEWAY_AUTH_TOKEN)", HelpName = "T" };

        public void AddTo(Command command)
        {
            command.Arguments.Add(_input);
            foreach (var o in new Option[] { _output, _outTemplate, _grid, _jobs }) command.Options.Add(o);
            _parameters.AddTo(command);
            foreach (var o in new Option[] { _kernel, _language, _recordEnv, _allowErrors, _logOutput, _reportMode, _cellTimeout, _runTimeout, _gatewayUrl, _gatewayToken })
                command.Options.Add(o);
        }

        /// <exception cref="UsageException">Options that do not go together, bad YAML.</exception>
        public RunArguments Read(ParseResult parse)
        {
            var a = new RunArguments
            {
                Input = parse.GetValue(_input)!, Output = parse.GetValue(_output), OutTemplate = parse.GetValue(_outTemplate), GridFile = parse.GetValue(_grid),
                Jobs = parse.GetValue(_jobs) ?? 1, Kernel = parse.GetValue(_kernel), Language = parse.GetValue(_language),
                RecordEnv = (parse.GetValue(_recordEnv) ?? []).Distinct().ToList(), AllowErrors = parse.GetValue(_allowErrors), LogOutput = parse.GetValue(_logOutput),
                ReportMode = parse.GetValue(_reportMode), CellTimeout = parse.GetValue(_cellTimeout), RunTimeout = parse.GetValue(_runTimeout),
                GatewayUrl = parse.GetValue(_gatewayUrl), GatewayToken = parse.GetValue(_gatewayToken),
            };
            if (a.Output is not null && a.GridFile is not null) throw new UsageException("a grid writes one notebook per combination: give --out with a template, not -o");
            // As Jupyter Server's --gateway-url takes it: the token from the environment when not given (never from a log line).
            var token = a.GatewayToken ?? Environment.GetEnvironmentVariable("KG_GATEWAY_TOKEN") ?? Environment.GetEnvironmentVariable("JUPYTER_GATEWAY_AUTH_TOKEN");
            return a with { Parameters = _parameters.Read(parse), GatewayToken = a.GatewayUrl is null ? null : token };
        }
    }
}
