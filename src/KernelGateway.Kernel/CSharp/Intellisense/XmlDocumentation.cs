using System.Collections.Concurrent;
using System.Xml;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>
/// The XML documentation of symbols: from a cell's <c>///</c> comments, from the <c>.xml</c> next to a referenced
/// assembly (NuGet packages ship them there), or, for the .NET runtime's own assemblies (which have none), from the
/// reference pack of the SDK, where a type's documentation sits in the file of the reference assembly that exposes
/// it (<c>List&lt;T&gt;</c>: System.Collections.xml, though it lives in System.Private.CoreLib).
/// Nothing is read until the first inspection; each file is read once and kept.
/// </summary>
internal sealed class XmlDocumentation
{
    private readonly ConcurrentDictionary<string, Lazy<DocumentationFile>> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<FrameworkReferencePack?>> _packs = new(StringComparer.Ordinal);

    /// <summary>The <c>&lt;member&gt;</c> element documenting <paramref name="symbol"/> (or what it inherits its documentation from), or null.</summary>
    public XElement? Find(ISymbol symbol, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var candidate in DocumentationSources(symbol))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (MemberXml(candidate, compilation) is not { } xml) continue;
            XElement member;
            try
            {
                member = XElement.Parse(xml);
            }
            catch (XmlException)
            {
                continue;
            }

            if (member.Element("summary") is null && member.Element("inheritdoc") is not null) continue;
            return member;
        }

        return null;
    }

    /// <summary>The symbol's definition, then (for <c>&lt;inheritdoc/&gt;</c>) the members it overrides or implements.</summary>
    private static IEnumerable<ISymbol> DocumentationSources(ISymbol symbol)
    {
        symbol = Definition(symbol);
        yield return symbol;
        for (var overridden = Overridden(symbol); overridden is not null; overridden = Overridden(overridden))
            yield return Definition(overridden);
        if (symbol.ContainingType is not { } type) yield break;
        foreach (var member in type.AllInterfaces.SelectMany(i => i.GetMembers(symbol.Name)))
        {
            if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), symbol))
                yield return Definition(member);
        }
    }

    private static ISymbol Definition(ISymbol symbol) => symbol switch
    {
        IAliasSymbol alias => alias.Target,
        IMethodSymbol { ReducedFrom: { } extension } => extension.OriginalDefinition,
        _ => symbol.OriginalDefinition,
    };

    private static ISymbol? Overridden(ISymbol symbol) => symbol switch
    {
        IMethodSymbol m => m.OverriddenMethod,
        IPropertySymbol p => p.OverriddenProperty,
        IEventSymbol e => e.OverriddenEvent,
        _ => null,
    };

    private string? MemberXml(ISymbol symbol, Compilation compilation)
    {
        if (symbol.Locations.Any(l => l.IsInSource))
        {
            var xml = symbol.GetDocumentationCommentXml();
            return string.IsNullOrWhiteSpace(xml) ? null : xml;
        }

        if (symbol.GetDocumentationCommentId() is not { } id || symbol.ContainingAssembly is not { } assembly) return null;
        foreach (var file in CandidateFiles(symbol, assembly, compilation))
        {
            if (Documentation(file).Member(id) is { } xml) return xml;
        }

        return null;
    }

    private IEnumerable<string> CandidateFiles(ISymbol symbol, IAssemblySymbol assembly, Compilation compilation)
    {
        var path = (compilation.GetMetadataReference(assembly) as PortableExecutableReference)?.FilePath;
        if (string.IsNullOrEmpty(path))
        {
            // A runtime assembly that reached the compilation without a file reference (e.g. through a facade).
            var runtime = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), assembly.Name + ".dll");
            if (!File.Exists(runtime)) yield break;
            path = runtime;
        }

        var directory = Path.GetDirectoryName(path);
        if (directory is not null && Pack(directory) is { } pack)
        {
            if (TopLevelTypeName(symbol) is { } typeName && pack.DocumentationFileOf(typeName) is { } file) yield return file;
            yield return Path.Combine(pack.Directory, assembly.Name + ".xml");
        }

        yield return Path.ChangeExtension(path, ".xml");
    }

    private FrameworkReferencePack? Pack(string directory) =>
        _packs.GetOrAdd(directory, d => new Lazy<FrameworkReferencePack?>(() => FrameworkReferencePack.ForSharedFramework(d))).Value;

    /// <summary>The namespace-qualified metadata name of the outermost type holding the symbol (<c>System.Collections.Generic.List`1</c>).</summary>
    private static string? TopLevelTypeName(ISymbol symbol)
    {
        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        while (type?.ContainingType is { } outer) type = outer;
        if (type is null) return null;
        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;
    }

    private DocumentationFile Documentation(string path) =>
        _files.GetOrAdd(path, p => new Lazy<DocumentationFile>(() => DocumentationFile.Read(p))).Value;
}
