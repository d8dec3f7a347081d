using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>
/// The reference pack of a shared framework (<c>dotnet/packs/Microsoft.NETCore.App.Ref/10.0.x/ref/net10.0</c>):
/// reference assemblies with their XML documentation. Runtime assemblies carry no documentation and many of their
/// types are exposed by another reference assembly, so the pack tells which file documents which type.
/// </summary>
internal sealed class FrameworkReferencePack
{
    private readonly Lazy<IReadOnlyDictionary<string, string>> _documentationByType;

    private FrameworkReferencePack(string directory)
    {
        Directory = directory;
        _documentationByType = new Lazy<IReadOnlyDictionary<string, string>>(IndexTypes);
    }

    /// <summary>The folder holding the reference assemblies and their <c>.xml</c> files.</summary>
    public string Directory { get; }

    /// <summary>
    /// The reference pack matching a shared framework folder (<c>&lt;dotnet&gt;/shared/&lt;framework&gt;/&lt;version&gt;</c>):
    /// the same version if installed, otherwise the newest of the same major version; null when the folder is not a
    /// shared framework or no pack is installed (a runtime without an SDK).
    /// </summary>
    public static FrameworkReferencePack? ForSharedFramework(string sharedFrameworkDirectory)
    {
        var versionDirectory = new DirectoryInfo(sharedFrameworkDirectory);
        if (versionDirectory.Parent is not { Parent: { Name: "shared", Parent: { } root } } frameworkDirectory) return null;
        if (!TryParseVersion(versionDirectory.Name, out var version)) return null;
        var packs = new DirectoryInfo(Path.Combine(root.FullName, "packs", frameworkDirectory.Name + ".Ref"));
        if (!packs.Exists) return null;

        var pack = packs.EnumerateDirectories()
            .Select(d => (Directory: d, Version: TryParseVersion(d.Name, out var v) ? v : null))
            .Where(p => p.Version is not null && p.Version.Major == version.Major)
            .OrderByDescending(p => p.Version == version)
            .ThenByDescending(p => p.Version)
            .Select(p => p.Directory)
            .FirstOrDefault();
        var target = $"net{version.Major}.{version.Minor}";
        var reference = pack?.EnumerateDirectories("ref").FirstOrDefault()?.EnumerateDirectories("net*")
            .OrderByDescending(d => d.Name == target)
            .ThenByDescending(d => d.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return reference is null ? null : new FrameworkReferencePack(reference.FullName);
    }

    private static bool TryParseVersion(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Version? version)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return Version.TryParse(dash < 0 ? text : text[..dash], out version);
    }

    /// <summary>The documentation file of the reference assembly that defines a top-level type (<c>System.Collections.Generic.List`1</c>), or null.</summary>
    public string? DocumentationFileOf(string typeMetadataName) =>
        _documentationByType.Value.TryGetValue(typeMetadataName, out var file) ? file : null;

    /// <summary>Reads only the metadata tables of the reference assemblies that have documentation (no loading).</summary>
    private IReadOnlyDictionary<string, string> IndexTypes()
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assembly in System.IO.Directory.EnumerateFiles(Directory, "*.dll"))
        {
            var documentation = Path.ChangeExtension(assembly, ".xml");
            if (!File.Exists(documentation)) continue;
            try
            {
                using var pe = new PEReader(File.OpenRead(assembly));
                if (!pe.HasMetadata) continue;
                var metadata = pe.GetMetadataReader();
                foreach (var handle in metadata.TypeDefinitions)
                {
                    var type = metadata.GetTypeDefinition(handle);
                    if (!type.GetDeclaringType().IsNil || (type.Attributes & TypeAttributes.VisibilityMask) != TypeAttributes.Public) continue;
                    var ns = metadata.GetString(type.Namespace);
                    var name = metadata.GetString(type.Name);
                    index.TryAdd(ns.Length == 0 ? name : ns + "." + name, documentation);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
            {
                // A file we cannot read documents nothing; the others still do.
            }
        }

        return index;
    }
}
