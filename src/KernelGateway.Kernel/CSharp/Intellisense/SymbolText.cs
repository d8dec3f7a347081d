using Microsoft.CodeAnalysis;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>How symbols are named to users: the Jupyter completion kind and the one-line display.</summary>
internal static class SymbolText
{
    private const SymbolDisplayMiscellaneousOptions Misc =
        SymbolDisplayMiscellaneousOptions.UseSpecialTypes
        | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
        | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier
        | SymbolDisplayMiscellaneousOptions.UseErrorTypeSymbolName;

    private const SymbolDisplayParameterOptions Parameters =
        SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
        | SymbolDisplayParameterOptions.IncludeParamsRefOut | SymbolDisplayParameterOptions.IncludeDefaultValue;

    /// <summary>Members as Visual Studio's quick info shows them: <c>void Console.WriteLine(string? value)</c>.</summary>
    private static readonly SymbolDisplayFormat Member = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType
                       | SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeRef
                       | SymbolDisplayMemberOptions.IncludeConstantValue,
        parameterOptions: Parameters,
        propertyStyle: SymbolDisplayPropertyStyle.ShowReadWriteDescriptor,
        localOptions: SymbolDisplayLocalOptions.IncludeType | SymbolDisplayLocalOptions.IncludeConstantValue,
        miscellaneousOptions: Misc);

    /// <summary>Cells' own variables and functions: the submission class they live in means nothing to users.</summary>
    private static readonly SymbolDisplayFormat CellMember = Member.RemoveMemberOptions(SymbolDisplayMemberOptions.IncludeContainingType);

    /// <summary>Types and namespaces with their kind and namespace: <c>class System.Console</c>.</summary>
    private static readonly SymbolDisplayFormat Type = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeVariance,
        kindOptions: SymbolDisplayKindOptions.IncludeNamespaceKeyword | SymbolDisplayKindOptions.IncludeTypeKeyword,
        miscellaneousOptions: Misc & ~SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>The kind Jupyter shows next to a completion (<c>_jupyter_types_experimental</c>).</summary>
    public static string Kind(ISymbol symbol) => symbol switch
    {
        IAliasSymbol alias => Kind(alias.Target),
        IMethodSymbol => "method",
        IPropertySymbol => "property",
        IEventSymbol => "event",
        IFieldSymbol field => InCell(field) ? "variable" : "field",
        ILocalSymbol or IRangeVariableSymbol => "local",
        IParameterSymbol => "parameter",
        INamespaceSymbol => "namespace",
        INamedTypeSymbol { TypeKind: TypeKind.Struct } => "struct",
        INamedTypeSymbol { TypeKind: TypeKind.Interface } => "interface",
        INamedTypeSymbol { TypeKind: TypeKind.Enum } => "enum",
        _ => "class",
    };

    /// <summary>One line naming the symbol with its type or signature, e.g. <c>int x</c>, <c>class System.Console</c>.</summary>
    public static string Display(ISymbol symbol)
    {
        switch (symbol)
        {
            case IAliasSymbol alias:
                return Display(alias.Target);
            case INamespaceOrTypeSymbol type:
                return type.ToDisplayString(Type);
            case IMethodSymbol { MethodKind: MethodKind.ReducedExtension }:
                return "(extension) " + symbol.ToDisplayString(Member);
            default:
                return symbol.ToDisplayString(InCell(symbol) ? CellMember : Member);
        }
    }

    /// <summary>Declared by a cell, at its top level: a member of a submission class.</summary>
    public static bool InCell(ISymbol symbol) => symbol.ContainingType is { IsScriptClass: true };
}
