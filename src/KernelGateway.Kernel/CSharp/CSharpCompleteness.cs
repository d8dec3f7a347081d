using KernelGateway.Protocol.Messages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelGateway.Kernel.CSharp;

/// <summary>is_complete for C# script code, from the Roslyn syntax tree.</summary>
internal static class CSharpCompleteness
{
    private static readonly CSharpParseOptions Options = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview);

    public static IsCompleteReply Check(string code)
    {
        if (code.Trim().Length == 0) return new IsCompleteReply("complete");
        var tree = CSharpSyntaxTree.ParseText(code, Options);
        if (!SyntaxFactory.IsCompleteSubmission(tree))
            return new IsCompleteReply("incomplete", new string(' ', 4 * Math.Max(1, OpenDepth(tree))));
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            ? new IsCompleteReply("invalid")
            : new IsCompleteReply("complete");
    }

    private static int OpenDepth(SyntaxTree tree)
    {
        var depth = 0;
        foreach (var token in tree.GetRoot().DescendantTokens())
        {
            if (token.IsMissing) continue;
            if (token.IsKind(SyntaxKind.OpenBraceToken) || token.IsKind(SyntaxKind.OpenParenToken) || token.IsKind(SyntaxKind.OpenBracketToken)) depth++;
            else if (token.IsKind(SyntaxKind.CloseBraceToken) || token.IsKind(SyntaxKind.CloseParenToken) || token.IsKind(SyntaxKind.CloseBracketToken)) depth--;
        }
        return Math.Max(0, depth);
    }
}
