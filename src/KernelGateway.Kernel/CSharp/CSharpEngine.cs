using KernelGateway.Kernel.CSharp.Intellisense;
using KernelGateway.Kernel.DotNetInteractive;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Extensions;
using KernelGateway.Kernel.Hosting;
using KernelGateway.Protocol.Messages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KernelGateway.Kernel.CSharp;

/// <summary>
/// The C# engine: cells are Roslyn scripting submissions chained one after the other (<see cref="SubmissionChain"/>),
/// run on a thread of their own so an interrupt always returns the kernel to the user. .NET Interactive is used only
/// for what it does well and only when a cell needs it: formatting rich values and restoring NuGet packages.
/// </summary>
public sealed class CSharpEngine : ILanguageEngine, IDirectiveProvider, IVariableStore, ICellPrelude
{
    private readonly ILogger _log;
    private readonly CellOptions _cellOptions = new();
    private readonly List<string> _declarations = [];
    private readonly HashSet<string> _published = new(StringComparer.Ordinal);
    private readonly List<SubmissionEnd.Abandoned> _abandoned = [];
    private readonly TimeSpan _stopWait;
    private readonly CSharpIntellisense _intellisense = new();
    private volatile SubmissionChain? _chain;
    private NuGetPackages? _packages;

    /// <summary>Creates the engine; an interrupted cell that has not stopped after <paramref name="stopWait"/> (500 ms) is abandoned.</summary>
    public CSharpEngine(ILogger? log = null, TimeSpan? stopWait = null)
    {
        _log = log ?? NullLogger.Instance;
        _stopWait = stopWait ?? TimeSpan.FromMilliseconds(500);
    }

    /// <inheritdoc />
    public LanguageInfo LanguageInfo { get; } = new()
    {
        Name = "C#",
        Version = "14.0",
        Mimetype = "text/x-csharp",
        FileExtension = ".cs",
        PygmentsLexer = "csharp",
        CodemirrorMode = "text/x-csharp",
        NbconvertExporter = "script",
    };

    /// <inheritdoc />
    public void Import(string assemblyPath, IReadOnlyList<string> namespaces) => _cellOptions.Import(assemblyPath, namespaces);

    /// <inheritdoc />
    public void Declare(string name, Type type)
    {
        _published.Add(name);
        var typeName = CSharpTypeNames.Of(type);
        _declarations.Add($"{typeName} {name} = global::KernelGateway.Kernel.Extensions.CellGlobals.Get<{typeName}>(\"{name}\");");
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> DirectiveNames { get; } = ["csharp"];

    /// <inheritdoc />
    public string FormatDirective(string name, string arguments) => arguments.Length == 0 ? $"#!{name}" : $"#!{name} {arguments}";

    /// <summary>
    /// Builds the cells' options and starts the chain's head in the background (<see cref="SubmissionChain.StartHead"/>):
    /// the compile the first cell needs anyway begins at once, and kernel_info is not held up by it.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_declarations)
        {
            if (_chain is not null) return Task.CompletedTask;
            Console.SetOut(ConsoleBridge.StandardOutput);
            Console.SetError(ConsoleBridge.StandardError);
            var chain = new SubmissionChain(_cellOptions.Build(), _stopWait)
            {
                RewriteFailed = errors => _log.LogWarning("a cell compiles as written but not as rewritten for interrupts; it runs as written ({Errors})",
                    string.Join("; ", errors.Take(3).Select(e => e.Id + " " + e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))),
            };
            chain.SetPrelude(string.Join('\n', _declarations));
            chain.StartHead();
            if (_log.IsEnabled(LogLevel.Debug))
                _ = chain.HeadAsync(CancellationToken.None).ContinueWith(_ => _log.LogDebug("the chain's head is ready {Ms} ms after the process started; {Methods} methods compiled by the JIT so far in {JitMs} ms",
                    (long)(DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds,
                    System.Runtime.JitInfo.GetCompiledMethodCount(), (long)System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds), TaskScheduler.Default);
            _chain = chain;
            return Task.CompletedTask;
        }
    }

    private SubmissionChain Chain => _chain ?? throw new InvalidOperationException("the engine has not started");

    /// <inheritdoc />
    public async Task<ExecutionOutcome> ExecuteAsync(string code, IExecutionSink sink, CancellationToken cancellationToken)
    {
        var cell = CellDirectives.Parse(code);
        if (cell.Packages.Count > 0 || cell.Sources.Count > 0)
        {
            var restored = await RestoreAsync(cell, sink).ConfigureAwait(false);
            if (restored is not null) return restored;
        }
        if (string.IsNullOrWhiteSpace(cell.Code))
        {
            // Nothing to run, but answered as a cell is: once the chain's head is ready (clients and tests send an
            // empty silent cell to learn that the engine is).
            await Chain.HeadAsync(cancellationToken).ConfigureAwait(false);
            return ExecutionOutcome.Ok();
        }
        using var console = ConsoleBridge.Enter(sink, cancellationToken);
        var cost = _log.IsEnabled(LogLevel.Debug) ? CellCost.Start() : null;
        var end = await Chain.RunAsync(cell.Code, cancellationToken).ConfigureAwait(false);
        if (cost is not null)
            _log.LogDebug("cell ended ({End}) in {Ms} ms; {Jitted} methods compiled by the JIT in {JitMs} ms; {Collections} gen0 collections",
                end.GetType().Name, cost.Milliseconds, cost.Jitted, cost.JitMilliseconds, cost.Collections);
        if (end is SubmissionEnd.Abandoned abandoned)
        {
            lock (_abandoned) _abandoned.Add(abandoned);
            _log.LogWarning("cell {Cell} did not stop after an interrupt and was abandoned", abandoned.Cell);
        }
        return Outcomes.From(end, Chain.StopWait);
    }

    private async Task<ExecutionOutcome?> RestoreAsync(CellDirectives cell, IExecutionSink sink)
    {
        _packages ??= new NuGetPackages();
        foreach (var source in cell.Sources) _packages.AddSource(source);
        if (cell.Packages.Count == 0) return null;
        var names = string.Join(", ", cell.Packages.Select(p => p.Version.Length == 0 ? p.Name : $"{p.Name}, {p.Version}"));
        var display = Guid.NewGuid().ToString("N");
        sink.Display(MimeBundle.Text($"Installing package {names}..."), display, update: false);
        var (assemblies, errors) = await _packages.RestoreAsync(cell.Packages).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            sink.Display(MimeBundle.Text($"Could not install package {names}"), display, update: true);
            return ExecutionOutcome.Failed("NuGetRestoreError", errors.First(), errors);
        }
        Chain.AddReferences(assemblies.Select(CellOptions.Reference));
        sink.Display(MimeBundle.Text($"Installed package {names}"), display, update: true);
        return null;
    }

    /// <inheritdoc />
    public async Task<ExecutionOutcome> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var end = await Chain.EvaluateAsync(expression, cancellationToken).ConfigureAwait(false);
        return end is SubmissionEnd.Ran { State.Exception: null, State.ReturnValue: var value }
            ? ExecutionOutcome.Ok(Outcomes.Bundle(value))
            : Outcomes.From(end, Chain.StopWait);
    }

    /// <inheritdoc />
    public async Task<CompletionResult> CompleteAsync(string code, int offset, CancellationToken cancellationToken)
    {
        await Chain.HeadAsync(cancellationToken).ConfigureAwait(false); // then the published objects are known
        return await Task.Run(() => _intellisense.Complete(Chain.Last?.Script, Chain.OptionsForNext, null, code, offset, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<MimeBundle?> InspectAsync(string code, int offset, int detailLevel, CancellationToken cancellationToken)
    {
        await Chain.HeadAsync(cancellationToken).ConfigureAwait(false);
        return await Task.Run(() => _intellisense.Inspect(Chain.Last?.Script, Chain.OptionsForNext, null, code, offset, detailLevel, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IsCompleteReply IsComplete(string code) => CSharpCompleteness.Check(code);

    /// <inheritdoc />
    public Task<IReadOnlyList<VariableInfo>> GetVariablesAsync(CancellationToken cancellationToken)
    {
        var variables = new List<VariableInfo>();
        if (_chain?.Last is { } state)
        {
            variables.AddRange(state.Variables
                .Where(v => !v.Name.StartsWith("__kg_", StringComparison.Ordinal) && !v.Name.StartsWith('<') && !_published.Contains(v.Name))
                .GroupBy(v => v.Name).Select(g => g.Last())
                .Select(v => new VariableInfo(v.Name, FriendlyTypeName(v.Type), SafeToString(v.Value))));
        }
        var known = variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        lock (_abandoned)
        {
            foreach (var cell in _abandoned)
            {
                foreach (var name in cell.Declared.Where(known.Add))
                    variables.Add(new VariableInfo(name, "(lost)", "declared by a cell abandoned after an interrupt", Lost: true));
            }
        }
        return Task.FromResult<IReadOnlyList<VariableInfo>>(variables);
    }

    /// <inheritdoc />
    public bool TryGetVariable(string name, out object? value)
    {
        value = null;
        var variable = _chain?.Last?.Variables.LastOrDefault(v => v.Name == name);
        if (variable is null) return false;
        value = variable.Value;
        return true;
    }

    /// <inheritdoc />
    public async Task SetVariableAsync(string name, object? value, Type type, CancellationToken cancellationToken)
    {
        if (!Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name)) throw new ArgumentException($"'{name}' is not a C# identifier", nameof(name));
        var end = await Chain.AssignAsync(name, value, type, cancellationToken).ConfigureAwait(false);
        if (Outcomes.From(end, Chain.StopWait).Error is { } error) throw new InvalidOperationException($"could not set {name}: {error.Evalue}");
    }

    private static string SafeToString(object? value)
    {
        try { return value?.ToString() ?? "null"; }
        catch (Exception e) { return $"<{e.GetType().Name}>"; }
    }

    internal static string FriendlyTypeName(Type t)
    {
        if (!t.IsGenericType) return t.Name;
        var name = t.Name[..t.Name.IndexOf('`')];
        return $"{name}<{string.Join(", ", t.GetGenericArguments().Select(FriendlyTypeName))}>";
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _packages?.Dispose();
        return ValueTask.CompletedTask;
    }
}
