using System.ComponentModel;
using KernelGateway.Kernel.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>Completions from a cell's semantic model: members after a dot, otherwise what is in scope and keywords.</summary>
internal static class SymbolCompletion
{
    /// <summary>The matches for the word that ends at <paramref name="offset"/>, and that word's span.</summary>
    public static CompletionResult Complete(SemanticModel model, string code, int offset, CancellationToken cancellationToken)
    {
        var start = CursorSyntax.WordStart(code, offset);
        var prefix = code[start..offset];
        var none = new CompletionResult([], start, offset);
        if (prefix.Length > 0 && char.IsDigit(prefix[0])) return none;
        var root = model.SyntaxTree.GetRoot(cancellationToken);
        if (CursorSyntax.InCommentStringOrDirective(root, start)) return none;

        IEnumerable<ISymbol> symbols;
        IEnumerable<string> keywords = [];
        if (CursorSyntax.FollowsSeparator(root, code, start, out var separator))
        {
            symbols = Members(model, separator, start, cancellationToken);
        }
        else
        {
            var site = CursorSyntax.Classify(root, start);
            symbols = InScope(model, site, LookupPosition(root, start));
            keywords = CSharpKeywords.For(site, root, start);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var matches = Named(model.Compilation, symbols.Where(s => Matches(s.Name, prefix) && IsVisible(s)))
            .Select(s => new CompletionMatch(s.Name, SymbolText.Kind(s), SymbolText.Display(s)))
            .Concat(keywords.Where(k => Matches(k, prefix)).Select(k => new CompletionMatch(k, "keyword")))
            .DistinctBy(m => m.Text)
            .OrderBy(m => m.Text.StartsWith(prefix, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(m => m.Text, StringComparer.OrdinalIgnoreCase)
            .ThenBy(m => m.Text, StringComparer.Ordinal)
            .ToList();
        return new CompletionResult(matches, start, offset);
    }

    private static bool Matches(string name, string prefix) => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Members of what stands before the dot: a namespace's namespaces and types, a type's static members, a value's instance members and extension methods.</summary>
    private static IEnumerable<ISymbol> Members(SemanticModel model, SyntaxToken separator, int position, CancellationToken cancellationToken)
    {
        var conditional = false;
        ExpressionSyntax? receiver = separator.Parent switch
        {
            MemberAccessExpressionSyntax access when access.OperatorToken == separator => access.Expression,
            QualifiedNameSyntax name when name.DotToken == separator => name.Left,
            AliasQualifiedNameSyntax alias when alias.ColonColonToken == separator => alias.Alias,
            MemberBindingExpressionSyntax binding when binding.OperatorToken == separator => ConditionalReceiver(binding, out conditional),
            _ => null,
        };
        if (receiver is null) return [];

        var info = model.GetSymbolInfo(receiver, cancellationToken);
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        // `x.` followed by a declaration on the next line parses as the type `x.var`, where a variable binds to nothing.
        if (symbol is null && receiver is IdentifierNameSyntax simple)
            symbol = model.LookupSymbols(receiver.SpanStart, name: simple.Identifier.ValueText).FirstOrDefault();
        if (separator.IsKind(SyntaxKind.ColonColonToken))
            symbol = receiver is IdentifierNameSyntax { Identifier.ValueText: "global" } ? model.Compilation.GlobalNamespace : model.GetAliasInfo((IdentifierNameSyntax)receiver, cancellationToken)?.Target;
        if (symbol is IAliasSymbol aliasSymbol) symbol = aliasSymbol.Target;

        switch (symbol)
        {
            case INamespaceSymbol ns:
                return model.LookupNamespacesAndTypes(position, ns);
            case ITypeSymbol typeName:
                return model.LookupSymbols(position, typeName).Where(s => s.IsStatic || s is ITypeSymbol);
        }

        var type = model.GetTypeInfo(receiver, cancellationToken).Type;
        if (type is null or { TypeKind: TypeKind.Error }) type = ValueType(symbol);
        if (type is null or { TypeKind: TypeKind.Error or TypeKind.Dynamic }) return [];
        if (conditional && type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            type = nullable.TypeArguments[0];
        return model.LookupSymbols(position, type, includeReducedExtensionMethods: true).Where(s => !s.IsStatic && s is not ITypeSymbol);
    }

    /// <summary>The expression whose value <c>?.</c> reads: the one of the conditional access whose tail holds the binding.</summary>
    private static ExpressionSyntax? ConditionalReceiver(MemberBindingExpressionSyntax binding, out bool conditional)
    {
        conditional = true;
        return binding.Ancestors().OfType<ConditionalAccessExpressionSyntax>()
            .FirstOrDefault(c => c.WhenNotNull.FullSpan.Contains(binding.FullSpan))?.Expression;
    }

    private static ITypeSymbol? ValueType(ISymbol? symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        IParameterSymbol parameter => parameter.Type,
        IEventSymbol e => e.Type,
        IMethodSymbol { MethodKind: not MethodKind.Constructor } method => method.ReturnType,
        _ => null,
    };

    /// <summary>
    /// Where to look names up. At the end of the cell inside an unclosed block or lambda (the usual case while typing),
    /// the end of the file lies outside them; the end of the last token is still inside.
    /// </summary>
    private static int LookupPosition(SyntaxNode root, int start)
    {
        if (!root.FindToken(start).IsKind(SyntaxKind.EndOfFileToken)) return start;
        var previous = CursorSyntax.TokenBefore(root, start);
        return previous.IsKind(SyntaxKind.None) ? start : previous.Span.End;
    }

    /// <summary>What can be named at <paramref name="position"/> without a qualifier.</summary>
    private static IEnumerable<ISymbol> InScope(SemanticModel model, CompletionSite site, int position) => site switch
    {
        CompletionSite.Name => [],
        CompletionSite.Type or CompletionSite.UsingType => model.LookupNamespacesAndTypes(position),
        CompletionSite.UsingNamespace => model.LookupNamespacesAndTypes(position).Where(s => s is INamespaceSymbol),
        // The submission class inherits object's members; nobody wants MemberwiseClone at the start of a line.
        _ => model.LookupSymbols(position).Where(s => s.ContainingType?.SpecialType != SpecialType.System_Object),
    };

    /// <summary>
    /// What users can write: no accessors, constructors, operators or compiler-generated names, nothing marked
    /// never-browsable. (Lookup already leaves out what is inaccessible.) Applied after the prefix: attributes cost.
    /// </summary>
    private static bool IsVisible(ISymbol symbol) => symbol.CanBeReferencedByName && !NeverBrowsable(symbol);

    private static bool NeverBrowsable(ISymbol symbol)
    {
        // As in Visual Studio, only for symbols from referenced assemblies: a cell's own code is always shown.
        if (symbol.Locations.Any(l => l.IsInSource)) return false;
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: nameof(EditorBrowsableAttribute) } c
                && c.ContainingNamespace.ToDisplayString() == "System.ComponentModel"
                && attribute.ConstructorArguments is [{ Value: int state }]
                && state == (int)EditorBrowsableState.Never)
                return true;
        }

        return false;
    }

    /// <summary>
    /// One symbol per name: overloads collapse into their first, and of a name declared again in a later cell (or a
    /// local hiding a cell variable) the innermost, latest declaration wins.
    /// </summary>
    private static IEnumerable<ISymbol> Named(Compilation compilation, IEnumerable<ISymbol> symbols)
    {
        var cells = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        for (var (c, i) = (compilation, 0); c is not null; c = c.ScriptCompilationInfo?.PreviousScriptCompilation, i++)
        {
            if (c.ScriptClass is { } scriptClass) cells[scriptClass] = i;
        }

        int Depth(ISymbol s) => s switch
        {
            ILocalSymbol or IParameterSymbol or IRangeVariableSymbol => -1,
            _ when s.ContainingType is { } t && cells.TryGetValue(t, out var i) => i,
            _ => int.MaxValue,
        };

        return symbols.GroupBy(s => s.Name, StringComparer.Ordinal)
            .Select(g => g.Select((s, order) => (s, order)).MinBy(x => (Depth(x.s), x.order)).s);
    }
}
