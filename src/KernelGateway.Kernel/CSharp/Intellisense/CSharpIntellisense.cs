using KernelGateway.Kernel.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>
/// Completion (complete_request) and inspection (inspect_request) for C# cells, answered from the semantic model of
/// the cell compiled as the next submission of the Roslyn script chain. Nothing is emitted or run, and broken code
/// (the normal case while typing) gives the best answer Roslyn's error-tolerant binder allows.
/// One instance per kernel: it caches the XML documentation files it has read.
/// </summary>
internal sealed class CSharpIntellisense
{
    private readonly XmlDocumentation _documentation = new();

    /// <summary>Completions for the identifier being typed at the UTF-16 <paramref name="offset"/> of <paramref name="code"/>.</summary>
    /// <param name="previous">The script of the last completed cell (its compilation chains all earlier ones), or null before the first.</param>
    /// <param name="options">
    /// Before the first cell, the options cells are compiled with (references, imports); after it, only what a
    /// continuation adds (Roslyn adds a continuation's references and imports to those it inherits), or null.
    /// </param>
    /// <param name="globalsType">The globals type cells run with, or null.</param>
    /// <param name="code">The cell being edited.</param>
    /// <param name="offset">The cursor, a UTF-16 offset into <paramref name="code"/>.</param>
    /// <param name="cancellationToken">Abandons the work.</param>
    public CompletionResult Complete(Script? previous, ScriptOptions? options, Type? globalsType, string code, int offset, CancellationToken cancellationToken)
    {
        offset = Math.Clamp(offset, 0, code.Length);
        var model = Analyze(previous, options, globalsType, code, cancellationToken);
        return SymbolCompletion.Complete(model, code, offset, cancellationToken);
    }

    /// <summary>
    /// The display and documentation (text/plain and text/markdown) of the symbol at or just before the UTF-16
    /// <paramref name="offset"/>, or of the method whose argument list holds it; null when there is none.
    /// </summary>
    /// <param name="previous">The script of the last completed cell, or null before the first.</param>
    /// <param name="options">As for <see cref="Complete"/>.</param>
    /// <param name="globalsType">The globals type cells run with, or null.</param>
    /// <param name="code">The cell being edited.</param>
    /// <param name="offset">The cursor, a UTF-16 offset into <paramref name="code"/>.</param>
    /// <param name="detailLevel">Jupyter's detail_level: 0 for the summary, parameters and returns; 1 adds remarks and exceptions.</param>
    /// <param name="cancellationToken">Abandons the work.</param>
    public MimeBundle? Inspect(Script? previous, ScriptOptions? options, Type? globalsType, string code, int offset, int detailLevel, CancellationToken cancellationToken)
    {
        offset = Math.Clamp(offset, 0, code.Length);
        var model = Analyze(previous, options, globalsType, code, cancellationToken);
        return SymbolInspection.Inspect(model, code, offset, detailLevel, _documentation, cancellationToken);
    }

    private static SemanticModel Analyze(Script? previous, ScriptOptions? options, Type? globalsType, string code, CancellationToken cancellationToken)
    {
        // The same compilation Roslyn scripting would run: the cell as the next submission of the chain, so earlier
        // cells' variables, usings and types are in scope.
        var script = previous?.ContinueWith(code, options) ?? CSharpScript.Create(code, options ?? ScriptOptions.Default, globalsType);
        var compilation = script.GetCompilation();
        cancellationToken.ThrowIfCancellationRequested();
        // #load adds the loaded files' trees; the cell's own tree carries the script's path.
        var path = options?.FilePath ?? previous?.Options.FilePath ?? "";
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == path) ?? compilation.SyntaxTrees.First();
        return compilation.GetSemanticModel(tree);
    }
}
