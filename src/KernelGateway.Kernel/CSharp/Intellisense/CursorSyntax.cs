using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>What the text around the cursor is, read from the syntax tree alone.</summary>
internal static class CursorSyntax
{
    /// <summary>A character of an identifier (the <c>@</c> of a verbatim identifier is not).</summary>
    public static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Where the identifier that ends at <paramref name="offset"/> starts (<paramref name="offset"/> when none does).</summary>
    public static int WordStart(string code, int offset)
    {
        var start = offset;
        while (start > 0 && IsIdentifierChar(code[start - 1])) start--;
        return start;
    }

    /// <summary>
    /// Whether the word at <paramref name="start"/> follows a <c>.</c> (also <c>?.</c>'s) or <c>::</c>, with whitespace
    /// and line breaks allowed in between as in a fluent chain. <paramref name="separator"/> is that token, or default
    /// when the parser made no member access of it (e.g. a stray dot): then there is nothing to offer.
    /// </summary>
    public static bool FollowsSeparator(SyntaxNode root, string code, int start, out SyntaxToken separator)
    {
        separator = default;
        var p = start - 1;
        while (p >= 0 && char.IsWhiteSpace(code[p])) p--;
        var dot = p >= 0 && code[p] == '.' && (p == 0 || code[p - 1] != '.'); // `..` is a range
        var colons = p >= 1 && code[p] == ':' && code[p - 1] == ':';
        if (!dot && !colons) return false;
        var token = root.FindToken(p);
        if (token.Span.End == p + 1 && token.Kind() is SyntaxKind.DotToken or SyntaxKind.ColonColonToken) separator = token;
        return true;
    }

    /// <summary>True when the cursor is inside a comment, a string or character literal, or a preprocessor directive.</summary>
    public static bool InCommentStringOrDirective(SyntaxNode root, int position)
    {
        if (position == 0) return false;
        var trivia = root.FindTrivia(position - 1);
        if (trivia.IsDirective || trivia.IsKind(SyntaxKind.DisabledTextTrivia)) return true;
        switch (trivia.Kind())
        {
            case SyntaxKind.SingleLineCommentTrivia or SyntaxKind.SingleLineDocumentationCommentTrivia:
                return true;
            case SyntaxKind.MultiLineCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia:
                return position < trivia.Span.End || !trivia.ToString().EndsWith("*/", StringComparison.Ordinal);
        }

        var token = root.FindToken(position - 1);
        if (!token.Span.Contains(position - 1)) return false;
        return token.Kind() switch
        {
            // Text of an interpolated string runs up to a hole or the closing quote: the cursor at its end is still in it.
            SyntaxKind.InterpolatedStringTextToken or SyntaxKind.InterpolatedStringStartToken
                or SyntaxKind.InterpolatedVerbatimStringStartToken or SyntaxKind.InterpolatedSingleLineRawStringStartToken
                or SyntaxKind.InterpolatedMultiLineRawStringStartToken => true,
            SyntaxKind.StringLiteralToken or SyntaxKind.Utf8StringLiteralToken or SyntaxKind.CharacterLiteralToken
                or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken
                or SyntaxKind.Utf8SingleLineRawStringLiteralToken or SyntaxKind.Utf8MultiLineRawStringLiteralToken
                => position < token.Span.End || token.ContainsDiagnostics,
            _ => false,
        };
    }

    /// <summary>What may be written at <paramref name="start"/>, where a word (possibly empty) is being typed.</summary>
    public static CompletionSite Classify(SyntaxNode root, int start)
    {
        var token = root.FindToken(start);
        if (token.SpanStart == start && token.Span.Length > 0 && IsDeclaredName(token)) return CompletionSite.Name;
        var previous = TokenBefore(root, start);
        var parent = previous.Parent;
        switch (previous.Kind())
        {
            case SyntaxKind.None:
                return CompletionSite.Statement;
            case SyntaxKind.SemicolonToken:
                return parent is ForStatementSyntax ? CompletionSite.Expression : CompletionSite.Statement;
            case SyntaxKind.OpenBraceToken:
                return parent is BlockSyntax or SwitchStatementSyntax or CompilationUnitSyntax ? CompletionSite.Statement : CompletionSite.Expression;
            case SyntaxKind.CloseBraceToken:
                return parent is BlockSyntax or SwitchStatementSyntax or BaseTypeDeclarationSyntax ? CompletionSite.Statement : CompletionSite.Other;
            case SyntaxKind.CloseParenToken:
                return parent switch
                {
                    IfStatementSyntax or WhileStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax
                        or UsingStatementSyntax or LockStatementSyntax or FixedStatementSyntax => CompletionSite.Statement,
                    CastExpressionSyntax => CompletionSite.Expression,
                    _ => CompletionSite.Other,
                };
            case SyntaxKind.ElseKeyword or SyntaxKind.DoKeyword:
                return CompletionSite.Statement;
            case SyntaxKind.ColonToken:
                return parent is SwitchLabelSyntax or LabeledStatementSyntax ? CompletionSite.Statement : CompletionSite.Expression;
            case SyntaxKind.NewKeyword or SyntaxKind.IsKeyword or SyntaxKind.AsKeyword:
                return CompletionSite.Type;
            case SyntaxKind.OpenParenToken when parent is TypeOfExpressionSyntax or SizeOfExpressionSyntax or DefaultExpressionSyntax:
                return CompletionSite.Type;
            case SyntaxKind.LessThanToken or SyntaxKind.CommaToken when parent is TypeArgumentListSyntax:
                return CompletionSite.Type;
            case SyntaxKind.UsingKeyword when parent is UsingDirectiveSyntax:
                return CompletionSite.UsingNamespace;
            case SyntaxKind.StaticKeyword or SyntaxKind.EqualsToken when parent is UsingDirectiveSyntax or NameEqualsSyntax { Parent: UsingDirectiveSyntax }:
                return CompletionSite.UsingType;
            case SyntaxKind.ReturnKeyword or SyntaxKind.ThrowKeyword or SyntaxKind.AwaitKeyword or SyntaxKind.InKeyword
                or SyntaxKind.CaseKeyword or SyntaxKind.WhenKeyword or SyntaxKind.SelectKeyword or SyntaxKind.WhereKeyword
                or SyntaxKind.OrderByKeyword or SyntaxKind.ByKeyword or SyntaxKind.OnKeyword or SyntaxKind.EqualsKeyword
                or SyntaxKind.RefKeyword or SyntaxKind.OutKeyword or SyntaxKind.YieldKeyword:
                return CompletionSite.Expression;
            case SyntaxKind.CloseBracketToken or SyntaxKind.DotToken or SyntaxKind.ColonColonToken:
                return CompletionSite.Other;
            case SyntaxKind.GreaterThanToken or SyntaxKind.QuestionToken when parent is TypeArgumentListSyntax or NullableTypeSyntax:
                return CompletionSite.Other;
            case var kind when SyntaxFacts.IsPunctuation(kind):
                return CompletionSite.Expression;
            default:
                return CompletionSite.Other;
        }
    }

    /// <summary>The last token that ends at or before <paramref name="position"/> (none at the start of the cell).</summary>
    public static SyntaxToken TokenBefore(SyntaxNode root, int position)
    {
        var token = root.FindToken(position);
        return token.SpanStart >= position ? token.GetPreviousToken() : token;
    }

    /// <summary>
    /// The token is the name a declaration introduces (<c>int count</c>, a parameter, a type, a range variable):
    /// an identifier that refers to something is always wrapped in a name node; one that declares sits in its declaration.
    /// </summary>
    public static bool IsDeclaredName(SyntaxToken token) =>
        token.IsKind(SyntaxKind.IdentifierToken) && token.Parent is not (null or SimpleNameSyntax);
}
