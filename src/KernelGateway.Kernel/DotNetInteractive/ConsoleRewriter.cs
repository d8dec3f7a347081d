using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGateway.Kernel.DotNetInteractive;

/// <summary>
/// <c>Console.ReadKey</c> cannot be redirected like <c>Console.In</c>: a kernel has no console. Calls to it
/// in a cell are rewritten (from the syntax tree, so strings and comments are untouched) to
/// <c>ConsoleBridge.ReadKey</c>, which asks the frontend through input_request.
/// </summary>
internal static class ConsoleRewriter
{
    private const string Replacement = "global::KernelGateway.Kernel.Hosting.ConsoleBridge.ReadKey";

    public static string Rewrite(string code)
    {
        if (!code.Contains("ReadKey", StringComparison.Ordinal)) return code;
        var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        var spans = tree.GetRoot().DescendantNodes()
            .OfType<MemberAccessExpressionSyntax>()
            .Where(m => m.Name.Identifier.ValueText == "ReadKey" && m.Expression.ToString() is "Console" or "System.Console" or "global::System.Console")
            .Select(m => m.Span)
            .OrderByDescending(s => s.Start)
            .ToList();
        if (spans.Count == 0) return code;
        var text = code;
        foreach (var span in spans) text = string.Concat(text.AsSpan(0, span.Start), Replacement, text.AsSpan(span.End));
        return text;
    }
}
