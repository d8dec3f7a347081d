using System.Text.Json.Nodes;
using KernelGateway.Kernel.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>Inspection (Shift+Tab, <c>x?</c>): the symbol under the cursor, its display and its documentation.</summary>
internal static class SymbolInspection
{
    /// <summary>The bundle for the symbol at or just before <paramref name="offset"/>, or for the call whose arguments hold it; null when none.</summary>
    public static MimeBundle? Inspect(SemanticModel model, string code, int offset, int detailLevel, XmlDocumentation documentation, CancellationToken cancellationToken)
    {
        var root = model.SyntaxTree.GetRoot(cancellationToken);
        // Jupyter sends the cursor, which is usually just after the name (Console.WriteLine|).
        var at = offset;
        if (at > 0 && (at == code.Length || !CursorSyntax.IsIdentifierChar(code[at])) && CursorSyntax.IsIdentifierChar(code[at - 1])) at--;
        var (symbol, overloads) = AtToken(model, root.FindToken(at), at, cancellationToken);
        if (symbol is null) (symbol, overloads) = Callee(model, root, offset, cancellationToken);
        if (symbol is null) return null;

        var display = SymbolText.Display(symbol) + overloads switch
        {
            <= 0 => "",
            1 => " (+ 1 overload)",
            _ => $" (+ {overloads} overloads)",
        };
        var docs = documentation.Find(symbol, model.Compilation, cancellationToken);
        var plain = docs is null ? display : display + "\n\n" + DocumentationText.Render(docs, detailLevel, markdown: false);
        var markdown = "```csharp\n" + display + "\n```" + (docs is null ? "" : "\n\n" + DocumentationText.Render(docs, detailLevel, markdown: true));
        return new MimeBundle(new JsonObject { ["text/plain"] = plain.TrimEnd(), ["text/markdown"] = markdown.TrimEnd() }, new JsonObject());
    }

    private static bool IsSymbolToken(SyntaxToken token) => token.IsKind(SyntaxKind.IdentifierToken) || token.Parent is PredefinedTypeSyntax;

    /// <summary>The symbol a name (or built-in type keyword) refers to or declares, with the number of its other overloads.</summary>
    private static (ISymbol? Symbol, int Overloads) AtToken(SemanticModel model, SyntaxToken token, int at, CancellationToken cancellationToken)
    {
        if (!token.Span.Contains(at) || !IsSymbolToken(token) || token.Parent is not { } node) return default;
        if (CursorSyntax.IsDeclaredName(token))
            return (model.GetDeclaredSymbol(node, cancellationToken), 0);
        var info = model.GetSymbolInfo(node, cancellationToken);
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        if (symbol is IAliasSymbol alias) symbol = alias.Target;
        return (symbol, symbol is IMethodSymbol method ? OtherOverloads(model, node, method, cancellationToken) : 0);
    }

    /// <summary>The method or constructor whose argument list holds the cursor (<c>Console.WriteLine(|</c>).</summary>
    private static (ISymbol? Symbol, int Overloads) Callee(SemanticModel model, SyntaxNode root, int offset, CancellationToken cancellationToken)
    {
        var token = root.FindToken(Math.Max(0, offset - 1));
        var list = token.Parent?.AncestorsAndSelf().OfType<ArgumentListSyntax>()
            .FirstOrDefault(l => offset > l.OpenParenToken.SpanStart && (l.CloseParenToken.IsMissing || offset <= l.CloseParenToken.SpanStart));
        if (list?.Parent is not ExpressionSyntax call) return default;
        var info = model.GetSymbolInfo(call, cancellationToken);
        if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is not IMethodSymbol method) return default;
        var group = call is InvocationExpressionSyntax invocation ? invocation.Expression : call;
        return (method, OtherOverloads(model, group, method, cancellationToken));
    }

    private static int OtherOverloads(SemanticModel model, SyntaxNode node, IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.MethodKind == MethodKind.Constructor) return method.ContainingType.InstanceConstructors.Length - 1;
        var group = model.GetMemberGroup(node, cancellationToken);
        if (group.Length > 0) return group.Length - 1;
        return method.ContainingType?.GetMembers(method.Name).OfType<IMethodSymbol>().Count() - 1 ?? 0;
    }
}
