using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace KernelGateway.Kernel.CSharp;

/// <summary>
/// Resolves what cells reference: <c>#r "path"</c> as C# scripting does, and the assemblies their references need
/// (netstandard's forwards, a library's own dependencies) from the process's trusted platform assemblies — as
/// memory-mapped metadata. Scripting's own resolver reads each of those whole into private memory: a kernel whose
/// cell services reference .NET Interactive's PackageManagement paid 80 MiB for FSharp.Compiler.Service and the rest.
/// </summary>
internal sealed class CellMetadataResolver : MetadataReferenceResolver
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Trusted = new(() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .GroupBy(Path.GetFileNameWithoutExtension, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key!, g => g.First(), StringComparer.OrdinalIgnoreCase));

    private readonly ConcurrentDictionary<string, PortableExecutableReference> _resolved = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The one instance (resolvers are compared by equality, and equal resolvers keep reference binding shared).</summary>
    public static CellMetadataResolver Instance { get; } = new();

    public override bool ResolveMissingAssemblies => true;

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        Trusted.Value.TryGetValue(referenceIdentity.Name, out var path)
            ? _resolved.GetOrAdd(path, p => (PortableExecutableReference)CellOptions.Reference(p))
            : null;

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        ScriptMetadataResolver.Default.ResolveReference(reference, baseFilePath, properties);

    public override bool Equals(object? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => 0x6b67;
}
