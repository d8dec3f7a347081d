using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace KernelGateway.Kernel.CSharp;

/// <summary>How one submission ended.</summary>
internal abstract record SubmissionEnd
{
    /// <summary>It ran to the end, or its code threw (<see cref="Exception"/>); the chain continues from it.</summary>
    public sealed record Ran(ScriptState<object> State, bool HasValue, bool Interrupted) : SubmissionEnd;

    /// <summary>It did not compile; the chain is unchanged.</summary>
    public sealed record CompileErrors(IReadOnlyList<Diagnostic> Errors) : SubmissionEnd;

    /// <summary>Running it failed outside the cell's code (e.g. an interrupt while it was compiled).</summary>
    public sealed record Crashed(Exception Error) : SubmissionEnd;

    /// <summary>It was interrupted and did not stop: left running on its thread; the chain is unchanged.</summary>
    public sealed record Abandoned(int Cell, IReadOnlyList<string> Declared) : SubmissionEnd;
}

/// <summary>
/// The chain of C# submissions of a kernel, on Roslyn scripting: each cell is compiled as a continuation of the last
/// one that ran, and run on a <see cref="CellThread"/> of its own. On interrupt the cell's token is cancelled and its
/// thread woken; a cell that has not stopped after <see cref="StopWait"/> is abandoned, and the chain goes on from the
/// last cell that ended.
/// </summary>
internal sealed class SubmissionChain(ScriptOptions options, TimeSpan stopWait)
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);
    private readonly List<MetadataReference> _added = [];
    private ScriptState<object>? _last;
    private string? _prelude;
    private Task _head = Task.CompletedTask;
    private int _cells;

    /// <summary>The options of the first submission: every reference and import cells start with.</summary>
    public ScriptOptions Options { get; private set; } = options;

    /// <summary>
    /// The options a submission continuing the chain is compiled with: only references added since the last one that
    /// ran (Roslyn adds a continuation's references and imports to those it inherits, so passing them all again would
    /// rebind every reference in every cell), or null.
    /// </summary>
    public ScriptOptions? ContinuationOptions
    {
        get
        {
            lock (_added)
                return _added.Count == 0 ? null : Options.WithReferences(_added).WithImports(Array.Empty<string>());
        }
    }

    /// <summary>The options of the next submission: <see cref="Options"/> for the first, <see cref="ContinuationOptions"/> after.</summary>
    public ScriptOptions? OptionsForNext => _last is null ? Options : ContinuationOptions;

    /// <summary>Adds references (a restored package, a variable's type) for the next submissions.</summary>
    public void AddReferences(IEnumerable<MetadataReference> references)
    {
        lock (_added)
        {
            foreach (var reference in references)
            {
                var path = (reference as PortableExecutableReference)?.FilePath;
                if (path is not null && (Known(Options, path) || _added.OfType<PortableExecutableReference>().Any(r => r.FilePath == path))) continue;
                _added.Add(reference);
            }
        }
    }

    private static bool Known(ScriptOptions options, string path) =>
        options.MetadataReferences.OfType<PortableExecutableReference>().Any(r => r.FilePath == path);

    /// <summary>How long an interrupted cell may take to stop before it is abandoned.</summary>
    public TimeSpan StopWait { get; } = stopWait;

    /// <summary>The state after the last cell that ended, or null before the first.</summary>
    public ScriptState<object>? Last => _last;

    /// <summary>Code run at the head of the first submission that compiles (usings and published objects).</summary>
    public void SetPrelude(string prelude) => _prelude = prelude.Length == 0 ? null : prelude;

    /// <summary>
    /// Starts the chain's head in the background: the prelude (the published objects) as a submission of its own,
    /// compiled and run before any cell asks. The first cell needs exactly this work done (the compiler's code
    /// loaded and jitted, the references bound, the published objects declared), so it begins while the kernel
    /// answers kernel_info and the user reads the notebook; cells wait for it. If the head fails, the prelude stays
    /// at the head of the first cell, whose error then says what went wrong.
    /// </summary>
    public void StartHead()
    {
        var head = _prelude ?? "";
        _head = Task.Run(async () =>
        {
            var end = await RunOnCellThreadAsync(CSharpScript.Create(head, Options), null, head, 0, CancellationToken.None).ConfigureAwait(false);
            if (end is not SubmissionEnd.Ran { State.Exception: null } ran) return; // the first cell carries the prelude and its error
            _last = ran.State;
            _prelude = null;
        });
    }

    /// <summary>Completes when the head (<see cref="StartHead"/>) has ended; at once if it was not started.</summary>
    public Task HeadAsync(CancellationToken cancellationToken) => _head.WaitAsync(cancellationToken);

    /// <summary>Called with the errors when a cell compiles as written but not as rewritten for interrupts (a bug of ours).</summary>
    public Action<IReadOnlyList<Diagnostic>>? RewriteFailed { get; set; }

    /// <summary>Compiles and runs a cell on a thread of its own; the execution context (console, cell token) flows to it.</summary>
    public async Task<SubmissionEnd> RunAsync(string code, CancellationToken cancellationToken)
    {
        await HeadAsync(cancellationToken).ConfigureAwait(false);
        var rewritten = CellRewriter.Rewrite(code, ParseOptions);
        var end = await RunTextAsync(code, rewritten, cancellationToken).ConfigureAwait(false);
        if (end is not SubmissionEnd.CompileErrors failed || ReferenceEquals(rewritten, code)) return end;
        var own = Diagnose(_last, code); // positions of the user's own text
        if (own.Count > 0) return new SubmissionEnd.CompileErrors(own);
        RewriteFailed?.Invoke(failed.Errors);
        return await RunTextAsync(code, code, cancellationToken).ConfigureAwait(false); // as written: interrupt can only abandon it
    }

    /// <summary>Runs <paramref name="text"/> (the cell <paramref name="code"/>, maybe rewritten) after the last cell; the chain goes on from it if it ran.</summary>
    private async Task<SubmissionEnd> RunTextAsync(string code, string text, CancellationToken cancellationToken)
    {
        var previous = _last;
        var end = await RunOnCellThreadAsync(Create(previous, text), previous, code, Interlocked.Increment(ref _cells), cancellationToken).ConfigureAwait(false);
        if (end is SubmissionEnd.Ran ran)
        {
            _last = ran.State;
            _prelude = null;
            AcceptAdded();
            end = ran with { Interrupted = cancellationToken.IsCancellationRequested };
        }
        return end;
    }

    /// <summary>
    /// Compiles and runs <paramref name="script"/> on a cell thread of its own; on interrupt, waits <see cref="StopWait"/>
    /// for it to stop and otherwise abandons it (<paramref name="code"/> says what it declared). The chain is not touched.
    /// </summary>
    private async Task<SubmissionEnd> RunOnCellThreadAsync(Script<object> script, ScriptState<object>? previous, string code, int number, CancellationToken cancellationToken)
    {
        SubmissionEnd? end = null;
        var cell = CellThread.Start(async () =>
        {
            CellInterrupt.Enter(cancellationToken);
            try
            {
                end = await RunScriptAsync(script, previous, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                end = new SubmissionEnd.Crashed(e);
            }
        }, $"cell {number}");

        var interrupt = new InterruptLatch(cell);
        using (cancellationToken.Register(interrupt.Fire))
        {
            try
            {
                await cell.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                var ended = await Task.WhenAny(cell.Completion, Task.Delay(StopWait, CancellationToken.None)).ConfigureAwait(false);
                if (ended != cell.Completion)
                {
                    _ = cell.Completion.ContinueWith(_ => interrupt.Settle(), TaskScheduler.Default);
                    return new SubmissionEnd.Abandoned(number, DeclaredNames(code));
                }
            }
        }
        interrupt.Settle();
        return end ?? new SubmissionEnd.Crashed(new InvalidOperationException("the cell ended without a result"));
    }

    /// <summary>Evaluates an expression after the last cell, on the caller's thread; the chain is unchanged.</summary>
    public async Task<SubmissionEnd> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        await HeadAsync(cancellationToken).ConfigureAwait(false);
        var previous = _last;
        return await RunScriptAsync(Create(previous, expression), previous, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Declares <paramref name="name"/> as a <paramref name="type"/> holding <paramref name="value"/>, for the next cells.</summary>
    public Task<SubmissionEnd> AssignAsync(string name, object? value, Type type, CancellationToken cancellationToken)
    {
        var location = type.Assembly.Location;
        if (location.Length > 0) AddReferences([CellOptions.Reference(location)]);
        var typeName = type.IsVisible ? CSharpTypeNames.Of(type) : "object";
        var id = Extensions.CellGlobals.Hand(value);
        return RunAsync($"{typeName} {name} = ({typeName})global::KernelGateway.Kernel.Extensions.CellGlobals.Take({id});", cancellationToken);
    }

    private Script<object> Create(ScriptState<object>? previous, string code)
    {
        var text = _prelude is null ? code : _prelude + "\n#line 1\n" + code;
        if (previous is not null) return previous.Script.ContinueWith(text, ContinuationOptions);
        lock (_added) return CSharpScript.Create(text, _added.Count == 0 ? Options : Options.AddReferences(_added));
    }

    /// <summary>The added references are in the chain now: the first submission's options and the chain have them.</summary>
    private void AcceptAdded()
    {
        lock (_added)
        {
            if (_added.Count == 0) return;
            Options = Options.AddReferences(_added);
            _added.Clear();
        }
    }

    /// <summary>Compiles (cancellable by the cell's token) and runs; exceptions of the cell's code end up in the state.</summary>
    private static async Task<SubmissionEnd> RunScriptAsync(Script<object> script, ScriptState<object>? previous, CancellationToken cancellationToken)
    {
        try
        {
            var state = previous is null
                ? await script.RunAsync(null, _ => true, cancellationToken).ConfigureAwait(false)
                : await script.RunFromAsync(previous, _ => true, cancellationToken).ConfigureAwait(false);
            return new SubmissionEnd.Ran(state, state.ReturnValue is not null || HasValue(script), false); // a value needs no check; only null is ambiguous
        }
        catch (CompilationErrorException e)
        {
            return new SubmissionEnd.CompileErrors(e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList());
        }
    }

    private IReadOnlyList<Diagnostic> Diagnose(ScriptState<object>? previous, string code) =>
        Create(previous, code).Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>Whether the submission ends with an expression that has a value (no semicolon, not void).</summary>
    private static bool HasValue(Script script)
    {
        try
        {
            var compilation = script.GetCompilation();
            var tree = compilation.SyntaxTrees.Last();
            if (tree.GetRoot().ChildNodes().LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax
                {
                    Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement,
                })
                return false;
            var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
            return type is not null && type.SpecialType != SpecialType.System_Void;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>The names a cell declares at its top level (variables, functions, types), for <c>%who</c> after it is lost.</summary>
    private static IReadOnlyList<string> DeclaredNames(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, ParseOptions).GetRoot();
        var names = new List<string>();
        foreach (var member in root.ChildNodes())
        {
            switch (member)
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax f:
                    names.AddRange(f.Declaration.Variables.Select(v => v.Identifier.ValueText));
                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax { Statement: Microsoft.CodeAnalysis.CSharp.Syntax.LocalDeclarationStatementSyntax l }:
                    names.AddRange(l.Declaration.Variables.Select(v => v.Identifier.ValueText));
                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax m:
                    names.Add(m.Identifier.ValueText);
                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax t:
                    names.Add(t.Identifier.ValueText);
                    break;
            }
        }
        return names.Distinct().ToList();
    }

    /// <summary>
    /// The interrupt of one cell: cancelling its token tells its checks and awaits, waking its thread ends its blocking
    /// waits; while it runs, every cell's checks look at their token (<see cref="CellInterrupt.Interrupted"/>).
    /// </summary>
    private sealed class InterruptLatch(CellThread cell)
    {
        private int _state; // 0 running, 1 interrupted, 2 settled

        public void Fire()
        {
            if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) return;
            CellInterrupt.Interrupted();
            cell.Interrupt();
        }

        public void Settle()
        {
            if (Interlocked.Exchange(ref _state, 2) == 1) CellInterrupt.Settled();
        }
    }
}
