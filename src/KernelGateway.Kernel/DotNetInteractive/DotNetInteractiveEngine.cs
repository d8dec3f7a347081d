using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Hosting;
using KernelGateway.Protocol.Messages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using DniKernel = Microsoft.DotNet.Interactive.Kernel;

namespace KernelGateway.Kernel.DotNetInteractive;

/// <summary>
/// The C# engine: .NET Interactive's CompositeKernel with a CSharpKernel (Roslyn scripting) behind the
/// small <see cref="ILanguageEngine"/> contract. .NET Interactive stays inside this folder (and the
/// extensions): it is frozen upstream, and nothing outside depends on its types.
/// </summary>
public sealed class DotNetInteractiveEngine : ILanguageEngine, IDirectiveProvider, IVariableStore, ICellPrelude
{
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<KernelCommand, IExecutionSink> _sinks = new();
    private readonly List<Action<CompositeKernel, CSharpKernel>> _configure = [];
    private readonly List<string> _preludeAssemblies = [];
    private readonly List<string> _prelude = [];
    private readonly List<string> _declarations = [];
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private CompositeKernel? _composite;
    private CSharpKernel? _csharp;
    private IReadOnlyCollection<string> _directives = [];
    private Task _engineFree = Task.CompletedTask;

    /// <summary>Creates the engine; nothing heavy happens until <see cref="StartAsync"/>.</summary>
    public DotNetInteractiveEngine(ILogger? log = null) => _log = log ?? NullLogger.Instance;

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

    /// <summary>Adds a step run on the kernels when the engine starts (extensions register kernels and directives here).</summary>
    public DotNetInteractiveEngine Configure(Action<CompositeKernel, CSharpKernel> configure)
    {
        _configure.Add(configure);
        return this;
    }

    /// <inheritdoc />
    public void Import(string assemblyPath, IReadOnlyList<string> namespaces)
    {
        if (!_preludeAssemblies.Contains(assemblyPath)) _preludeAssemblies.Add(assemblyPath);
        foreach (var ns in namespaces) _prelude.Add($"using {ns};");
    }

    /// <inheritdoc />
    public void Declare(string name, Type type)
    {
        _declared.Add(name);
        var typeName = CSharpTypeNames.Of(type);
        _declarations.Add($"{typeName} {name} = global::KernelGateway.Kernel.Extensions.CellGlobals.Get<{typeName}>(\"{name}\");");
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> DirectiveNames => _directives;

    /// <inheritdoc />
    public string FormatDirective(string name, string arguments) => arguments.Length == 0 ? $"#!{name}" : $"#!{name} {arguments}";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Roslyn's parse/bind/emit path is JIT-compiled on the other core while the kernels are built.
        var roslyn = Task.Factory.StartNew(WarmRoslyn, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Formatter.SetPreferredMimeTypesFor(typeof(object), "text/plain");
        // Not UseKernelHelpers: its display() publishes a display id that DisplayedValue.Update does not use,
        // so update_display_data would name a display that never existed. KernelServices.display does it right.
        var csharp = new CSharpKernel()
            .UseWho()
            .UseValueSharing()
            .UseNugetDirective((k, refs) =>
            {
                k.AddAssemblyReferences(refs.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            });
        _log.LogDebug("engine: CSharpKernel created at {Ms} ms", clock.ElapsedMilliseconds);
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        composite.KernelEvents.Subscribe(new EventObserver(this));
        foreach (var step in _configure) step(composite, csharp);
        csharp.AddAssemblyReferences([typeof(KernelServices).Assembly.Location, .. _preludeAssemblies]);
        _csharp = csharp;
        _composite = composite;
        _directives = composite.KernelInfo.SupportedDirectives.Concat(csharp.KernelInfo.SupportedDirectives)
            .Select(d => d.Name.TrimStart('#', '!'))
            .Where(n => n.Length > 0 && !n.StartsWith('r') || n == "r")
            .Distinct()
            .ToArray();

        // Warm Roslyn (parse, bind, emit, run) so the first user cell is fast, then load the prelude.
        var warm = "using System; using System.Collections.Generic; using System.Linq; using System.Threading.Tasks; using static KernelGateway.Kernel.Hosting.KernelServices;\n"
                   + string.Join('\n', _prelude.Distinct()) + "\n" + string.Join('\n', _declarations) + "\nvar __kg_warm = new List<int> { 1, 2 }.Sum(); __kg_warm";
        await roslyn.ConfigureAwait(false);
        _log.LogDebug("engine: Roslyn warm at {Ms} ms", clock.ElapsedMilliseconds);
        var result = await composite.SendAsync(new SubmitCode(warm, csharp.Name), cancellationToken).ConfigureAwait(false);
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
            _log.LogError("engine warm-up failed: {Message}", failed.Message);
        _log.LogDebug("engine: warm-up submission done at {Ms} ms", clock.ElapsedMilliseconds);
    }

    private void WarmRoslyn()
    {
        try
        {
            var options = Microsoft.CodeAnalysis.Scripting.ScriptOptions.Default
                .AddReferences(typeof(object).Assembly, typeof(Enumerable).Assembly)
                .AddImports("System", "System.Linq", "System.Collections.Generic");
            var state = Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript.RunAsync("var xs = new List<int> { 1, 2 }; xs.Sum()", options).GetAwaiter().GetResult();
            state.ContinueWithAsync("xs.Count + 1").GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            _log.LogDebug("Roslyn warm-up: {Error}", e.Message);
        }
    }

    private CompositeKernel Composite => _composite ?? throw new InvalidOperationException("the engine has not started");

    /// <inheritdoc />
    public async Task<ExecutionOutcome> ExecuteAsync(string code, IExecutionSink sink, CancellationToken cancellationToken)
    {
        if (await EngineStillBusyAsync(cancellationToken).ConfigureAwait(false)) return StillBusy();
        var command = new SubmitCode(ConsoleRewriter.Rewrite(code));
        _sinks[command] = sink;
        var console = ConsoleBridge.Enter(sink, cancellationToken);
        using var registration = cancellationToken.Register(() => _ = Task.Run(() => Composite.SendAsync(new Cancel(), CancellationToken.None)));
        try
        {
            // SendAsync can block its caller while the engine is busy, so it runs on a thread of its own and
            // an interrupt (the token) ends the wait whatever the engine does.
            var send = Task.Factory.StartNew(() => Composite.SendAsync(command, CancellationToken.None), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            KernelCommandResult result;
            try
            {
                result = await send.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                ProbeEngine(send);
                throw;
            }
            if (cancellationToken.IsCancellationRequested)
            {
                ProbeEngine(send);
                throw new OperationCanceledException(cancellationToken);
            }
            var failed = result.Events.OfType<CommandFailed>().FirstOrDefault(e => e.Command == command)
                         ?? result.Events.OfType<CommandFailed>().FirstOrDefault();
            if (failed is not null) return ToError(failed, result.Events.OfType<DiagnosticsProduced>());
            var value = result.Events.OfType<ReturnValueProduced>().LastOrDefault();
            if (value?.Value is DisplayedValue) value = null; // display(x) already showed it, like IPython's display() returning None
            return ExecutionOutcome.Ok(value is null ? null : MimeBundles.FromValue(value.Value, value.FormattedValues));
        }
        finally
        {
            console.Dispose();
            _sinks.TryRemove(command, out _);
        }
    }

    /// <summary>
    /// After an interrupt, .NET Interactive reports the cell cancelled at once, but code that never observes
    /// its token (a tight loop) keeps the engine's only thread. A trivial probe tells when it is free again.
    /// </summary>
    private void ProbeEngine(Task interrupted)
    {
        _engineFree = Task.Factory.StartNew(async () =>
        {
            try { await interrupted.ConfigureAwait(false); } catch (Exception) { }
            await Composite.SendAsync(new SubmitCode("", _csharp!.Name), CancellationToken.None).ConfigureAwait(false);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    private async Task<bool> EngineStillBusyAsync(CancellationToken cancellationToken)
    {
        if (_engineFree.IsCompleted) return false;
        try { await _engineFree.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false); }
        catch (TimeoutException) { }
        return !_engineFree.IsCompleted;
    }

    private static ExecutionOutcome StillBusy() => ExecutionOutcome.Failed("EngineBusy",
        "An interrupted cell is still running: it does not observe cancellation (for example a loop that never awaits or checks CellToken). Restart the kernel to continue.",
        ["EngineBusy: An interrupted cell is still running because it does not observe cancellation.",
         "Code that should be interruptible can check CellToken (e.g. CellToken.ThrowIfCancellationRequested()) or pass it to awaited calls.",
         "Restart the kernel to continue."]);

    /// <inheritdoc />
    public async Task<ExecutionOutcome> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        if (!_engineFree.IsCompleted) return StillBusy();
        var result = await Composite.SendAsync(new SubmitCode(expression, _csharp!.Name), cancellationToken).ConfigureAwait(false);
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed) return ToError(failed, []);
        var value = result.Events.OfType<ReturnValueProduced>().LastOrDefault();
        return ExecutionOutcome.Ok(value is null ? MimeBundle.Text("") : MimeBundles.FromValue(value.Value, value.FormattedValues));
    }

    private static ExecutionOutcome ToError(CommandFailed failed, IEnumerable<DiagnosticsProduced> diagnostics)
    {
        var exception = failed.Exception;
        if (exception is CodeSubmissionCompilationErrorException || exception?.InnerException is CodeSubmissionCompilationErrorException
            || (exception is null && failed.Message.Contains("error CS", StringComparison.Ordinal)))
        {
            var errors = diagnostics.SelectMany(d => d.Diagnostics)
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => $"({d.LinePositionSpan.Start.Line + 1},{d.LinePositionSpan.Start.Character + 1}): error {d.Code}: {d.Message}")
                .Distinct()
                .ToList();
            if (errors.Count == 0) errors = failed.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
            return ExecutionOutcome.Failed("CompilationError", errors[0], errors);
        }
        if (exception is OperationCanceledException || failed.Message == "Command cancelled.")
            return ExecutionOutcome.Failed(nameof(OperationCanceledException), "The execution was interrupted.", ["OperationCanceledException: The execution was interrupted."]);
        if (exception is null)
            return ExecutionOutcome.Failed("Error", failed.Message, [failed.Message]);
        var trace = exception.ToString().Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .TakeWhile(l => !l.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal))
            .ToList();
        return ExecutionOutcome.Failed(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, trace);
    }

    /// <inheritdoc />
    public async Task<CompletionResult> CompleteAsync(string code, int offset, CancellationToken cancellationToken)
    {
        var start = offset;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        var prefix = code[start..offset];
        if (!_engineFree.IsCompleted) return new CompletionResult([], start, offset);
        var result = await Composite.SendAsync(new RequestCompletions(code, ToLinePosition(code, offset), _csharp!.Name), cancellationToken).ConfigureAwait(false);
        var items = result.Events.OfType<CompletionsProduced>().SelectMany(c => c.Completions);
        var matches = items
            .Where(i => !string.Equals(i.Kind, "Snippet", StringComparison.OrdinalIgnoreCase) || prefix.Length > 0)
            .Select(i => (Item: i, Text: CompletionText(i)))
            .Where(x => x.Text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(x => x.Text.StartsWith(prefix, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(x => x.Item.SortText ?? x.Text, StringComparer.OrdinalIgnoreCase)
            .Select(x => new CompletionMatch(x.Text, x.Item.Kind?.ToLowerInvariant() ?? "", x.Item.Documentation))
            .DistinctBy(m => m.Text)
            .ToList();
        return new CompletionResult(matches, start, offset);
    }

    private static string CompletionText(CompletionItem item)
    {
        // InsertText may be a snippet ("WriteLine($1)"); Jupyter wants the plain name.
        var text = item.FilterText is { Length: > 0 } f ? f : item.DisplayText;
        var paren = text.IndexOf('(');
        return paren > 0 ? text[..paren] : text;
    }

    /// <inheritdoc />
    public async Task<MimeBundle?> InspectAsync(string code, int offset, int detailLevel, CancellationToken cancellationToken)
    {
        // Hover works on the identifier under or just before the cursor.
        if (!_engineFree.IsCompleted) return null;
        var at = offset;
        if (at > 0 && (at == code.Length || !char.IsLetterOrDigit(code[at])) && char.IsLetterOrDigit(code[at - 1])) at--;
        var result = await Composite.SendAsync(new RequestHoverText(code, ToLinePosition(code, at), _csharp!.Name), cancellationToken).ConfigureAwait(false);
        var hover = result.Events.OfType<HoverTextProduced>().FirstOrDefault();
        if (hover is null || hover.Content.Count == 0) return null;
        var markdown = hover.Content.FirstOrDefault(v => v.MimeType == "text/markdown")?.Value
                       ?? hover.Content.First().Value;
        var plain = hover.Content.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? StripMarkdown(markdown);
        return new MimeBundle(new JsonObject { ["text/plain"] = plain.ReplaceLineEndings("\n"), ["text/markdown"] = markdown.ReplaceLineEndings("\n") }, new JsonObject());
    }

    private static string StripMarkdown(string markdown) =>
        markdown.Replace("```csharp", "").Replace("```", "").Replace("\n> ", "\n").Replace("**", "").Trim();

    /// <inheritdoc />
    public IsCompleteReply IsComplete(string code) => CSharpCompleteness.Check(code);

    /// <inheritdoc />
    public async Task<IReadOnlyList<VariableInfo>> GetVariablesAsync(CancellationToken cancellationToken)
    {
        var state = _csharp?.ScriptState;
        if (state is null) return [];
        await Task.Yield();
        return state.Variables
            .Where(v => !v.Name.StartsWith("__kg_", StringComparison.Ordinal) && !v.Name.StartsWith('<') && !_declared.Contains(v.Name))
            .GroupBy(v => v.Name).Select(g => g.Last())
            .Select(v => new VariableInfo(v.Name, FriendlyTypeName(v.Type), SafeToString(v.Value)))
            .ToList();
    }

    /// <inheritdoc />
    public bool TryGetVariable(string name, out object? value)
    {
        value = null;
        var state = _csharp?.ScriptState;
        var variable = state?.Variables.LastOrDefault(v => v.Name == name);
        if (variable is null) return false;
        value = variable.Value;
        return true;
    }

    /// <inheritdoc />
    public async Task SetVariableAsync(string name, object? value, Type type, CancellationToken cancellationToken)
    {
        var csharp = _csharp ?? throw new InvalidOperationException("the engine has not started");
        await csharp.SetValueAsync(name, value!, type).ConfigureAwait(false);
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

    private static LinePosition ToLinePosition(string code, int offset)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < offset && i < code.Length; i++)
        {
            if (code[i] == '\n') { line++; lineStart = i + 1; }
        }
        return new LinePosition(line, offset - lineStart);
    }

    private void OnEvent(KernelEvent e)
    {
        var root = e.Command;
        while (root?.Parent is not null) root = root.Parent;
        if (root is null || !_sinks.TryGetValue(root, out var sink)) return;
        try
        {
            switch (e)
            {
                case CompleteCodeSubmissionReceived:
                    // .NET Interactive has just pointed Console.Out at its capture, which turns every Write into an
                    // event (about 50k lines/s). For our cells the console goes straight to the sink instead; it puts
                    // the original writers back when the submission ends.
                    Console.SetOut(ConsoleBridge.StandardOutput);
                    Console.SetError(ConsoleBridge.StandardError);
                    break;
                case StandardOutputValueProduced o:
                    sink.Stream("stdout", o.FormattedValues.FirstOrDefault()?.Value ?? "");
                    break;
                case StandardErrorValueProduced o:
                    sink.Stream("stderr", o.FormattedValues.FirstOrDefault()?.Value ?? "");
                    break;
                case DisplayedValueUpdated u:
                    sink.Display(MimeBundles.FromValue(u.Value, u.FormattedValues), u.ValueId, update: true);
                    break;
                case ReturnValueProduced:
                    break; // becomes execute_result when the command completes
                case DisplayedValueProduced d:
                    sink.Display(MimeBundles.FromValue(d.Value, d.FormattedValues), d.ValueId, update: false);
                    break;
            }
        }
        catch (Exception ex)
        {
            _log.LogWarning("output event {Event} failed: {Error}", e.GetType().Name, ex.Message);
        }
    }

    private sealed class EventObserver(DotNetInteractiveEngine engine) : IObserver<KernelEvent>
    {
        public void OnCompleted() { }
        public void OnError(Exception error) { }
        public void OnNext(KernelEvent value) => engine.OnEvent(value);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _composite?.Dispose();
        return ValueTask.CompletedTask;
    }
}
