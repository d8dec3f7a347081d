using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>The keywords worth offering where a statement, an expression or a type may start.</summary>
internal static class CSharpKeywords
{
    private static readonly string[] BuiltInTypes =
    [
        "bool", "byte", "char", "decimal", "double", "dynamic", "float", "int", "long", "nint", "nuint",
        "object", "sbyte", "short", "string", "uint", "ulong", "ushort",
    ];

    private static readonly string[] Expression =
    [
        .. BuiltInTypes,
        "await", "checked", "default", "false", "nameof", "new", "null", "sizeof", "true", "typeof", "unchecked",
    ];

    private static readonly string[] Statement =
    [
        .. Expression,
        "async", "break", "class", "const", "continue", "do", "enum", "for", "foreach", "goto", "if", "interface", "lock",
        "record", "return", "struct", "switch", "throw", "try", "using", "var", "void", "while",
    ];

    /// <summary>The keywords for a site; <c>else</c> too right after an if's block.</summary>
    public static IEnumerable<string> For(CompletionSite site, SyntaxNode root, int position) => site switch
    {
        CompletionSite.Statement when AfterIfBlock(root, position) => [.. Statement, "else"],
        CompletionSite.Statement => Statement,
        CompletionSite.Expression => Expression,
        CompletionSite.Type => BuiltInTypes,
        CompletionSite.UsingNamespace => ["static"],
        _ => [],
    };

    private static bool AfterIfBlock(SyntaxNode root, int position)
    {
        var previous = CursorSyntax.TokenBefore(root, position);
        return previous.IsKind(SyntaxKind.CloseBraceToken) && previous.Parent is BlockSyntax { Parent: IfStatementSyntax };
    }
}
