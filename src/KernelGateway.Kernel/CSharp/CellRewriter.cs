using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace KernelGateway.Kernel.CSharp;

/// <summary>
/// Rewrites a cell's syntax so that an interrupt reaches code that never mentions a token:
/// <list type="bullet">
/// <item>every loop body and every method, local function, constructor and block lambda body starts with
/// <c>CellInterrupt.Check()</c>;</item>
/// <item>every <c>await x</c> becomes <c>await CellInterrupt.Top(x)</c> at the cell's top level (stops waiting, resumes
/// on the cell's thread) or <c>await CellInterrupt.Within(x)</c> inside methods and lambdas (stops waiting);</item>
/// <item><c>Console.ReadKey</c> becomes <c>ConsoleBridge.ReadKey</c>: a kernel has no console to read keys from.</item>
/// </list>
/// Nothing is added on a new line, so line numbers in errors and stack traces stay the user's.
/// </summary>
internal sealed class CellRewriter : CSharpSyntaxRewriter
{
    // No global:: — inside an interpolation hole ($"{await x}") its "::" would start a format string.
    private const string Interrupt = "KernelGateway.Kernel.Hosting.CellInterrupt";
    private static readonly StatementSyntax CheckStatement = ParseStatement(Interrupt + ".Check();");
    private static readonly ExpressionSyntax TopName = ParseExpression(Interrupt + ".Top");
    private static readonly ExpressionSyntax WithinName = ParseExpression(Interrupt + ".Within");
    private static readonly ExpressionSyntax ReadKeyName = ParseExpression("KernelGateway.Kernel.Hosting.ConsoleBridge.ReadKey");
    private static readonly string[] Triggers = ["for", "while", "do", "await", "{", "=>", "ReadKey", "delegate"];

    /// <summary>The rewritten cell, or the cell itself when it has nothing to rewrite.</summary>
    public static string Rewrite(string code, CSharpParseOptions options)
    {
        if (!Triggers.Any(t => code.Contains(t, StringComparison.Ordinal))) return code;
        var tree = CSharpSyntaxTree.ParseText(code, options);
        var root = tree.GetRoot();
        var rewritten = new CellRewriter().Visit(root);
        return ReferenceEquals(rewritten, root) ? code : rewritten.ToFullString();
    }

    // ------------------------------------------------------------ loops

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) =>
        ((WhileStatementSyntax)base.VisitWhileStatement(node)!) is var n ? n.WithStatement(Checked(n.Statement)) : null;

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) =>
        ((DoStatementSyntax)base.VisitDoStatement(node)!) is var n ? n.WithStatement(Checked(n.Statement)) : null;

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) =>
        ((ForStatementSyntax)base.VisitForStatement(node)!) is var n ? n.WithStatement(Checked(n.Statement)) : null;

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) =>
        ((ForEachStatementSyntax)base.VisitForEachStatement(node)!) is var n ? n.WithStatement(Checked(n.Statement)) : null;

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node) =>
        ((ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!) is var n ? n.WithStatement(Checked(n.Statement)) : null;

    // ------------------------------------------------------------ bodies

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var n = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        if (n.Body is { } body) return n.WithBody(WithCheck(body));
        if (n.ExpressionBody is { } arrow)
            return n.WithExpressionBody(null).WithSemicolonToken(default).WithBody(FromArrow(arrow, n.SemicolonToken, ReturnsValue(n.ReturnType, n.Modifiers)));
        return n;
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var n = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        if (n.Body is { } body) return n.WithBody(WithCheck(body));
        if (n.ExpressionBody is { } arrow)
            return n.WithExpressionBody(null).WithSemicolonToken(default).WithBody(FromArrow(arrow, n.SemicolonToken, ReturnsValue(n.ReturnType, n.Modifiers)));
        return n;
    }

    public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
    {
        var n = (ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!;
        return n.Body is { } body ? n.WithBody(WithCheck(body)) : n;
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    {
        var n = (ParenthesizedLambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!;
        return n.Block is { } body ? n.WithBlock(WithCheck(body)) : n;
    }

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    {
        var n = (SimpleLambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!;
        return n.Block is { } body ? n.WithBlock(WithCheck(body)) : n;
    }

    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
    {
        var n = (AnonymousMethodExpressionSyntax)base.VisitAnonymousMethodExpression(node)!;
        return n.WithBlock(WithCheck(n.Block));
    }

    // ------------------------------------------------------------ awaits and the console

    public override SyntaxNode? VisitAwaitExpression(AwaitExpressionSyntax node)
    {
        var n = (AwaitExpressionSyntax)base.VisitAwaitExpression(node)!;
        var inner = n.Expression;
        var wrapper = IsTopLevel(node) ? TopName : WithinName;
        var call = InvocationExpression(wrapper.WithLeadingTrivia(inner.GetLeadingTrivia()),
                ArgumentList(SingletonSeparatedList(Argument(inner.WithoutLeadingTrivia().WithoutTrailingTrivia()))))
            .WithTrailingTrivia(inner.GetTrailingTrivia());
        return n.WithExpression(call);
    }

    public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
    {
        if (node.Name.Identifier.ValueText == "ReadKey" && node.Expression.ToString() is "Console" or "System.Console" or "global::System.Console")
            return ReadKeyName.WithTriviaFrom(node);
        return base.VisitMemberAccessExpression(node);
    }

    // ------------------------------------------------------------ helpers

    private static bool IsTopLevel(SyntaxNode node) => !node.Ancestors().Any(a =>
        a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax);

    /// <summary>Whether <c>=&gt; expr</c> of a member with this return type is <c>return expr;</c> rather than <c>expr;</c>.</summary>
    private static bool ReturnsValue(TypeSyntax returnType, SyntaxTokenList modifiers)
    {
        if (returnType is PredefinedTypeSyntax p && p.Keyword.IsKind(SyntaxKind.VoidKeyword)) return false;
        var async = modifiers.Any(m => m.IsKind(SyntaxKind.AsyncKeyword));
        var name = returnType is QualifiedNameSyntax q ? q.Right.ToString() : returnType.ToString();
        return !(async && name is "Task" or "ValueTask");
    }

    private static BlockSyntax WithCheck(BlockSyntax block) =>
        block.WithStatements(block.Statements.Insert(0, CheckStatement));

    private static StatementSyntax Checked(StatementSyntax body) => body switch
    {
        BlockSyntax block => WithCheck(block),
        _ => Block(CheckStatement, body.WithoutLeadingTrivia())
            .WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(body.GetLeadingTrivia()))
            .WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(Space)),
    };

    private static BlockSyntax FromArrow(ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon, bool returns)
    {
        var expression = arrow.Expression.WithoutTrailingTrivia();
        StatementSyntax statement = returns
            ? ReturnStatement(Token(SyntaxKind.ReturnKeyword).WithTrailingTrivia(Space), expression, Token(SyntaxKind.SemicolonToken))
            : ExpressionStatement(expression, Token(SyntaxKind.SemicolonToken));
        return Block(CheckStatement, statement)
            .WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(arrow.ArrowToken.LeadingTrivia))
            .WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(Space).WithTrailingTrivia(semicolon.TrailingTrivia));
    }
}
