using Microsoft.DotNet.Interactive.PackageManagement;

namespace KernelGateway.Kernel.DotNetInteractive;

/// <summary>
/// <c>#r "nuget: Name, Version"</c> for the C# engine, on .NET Interactive's PackageManagement (a <c>dotnet restore</c>
/// of a generated project). The first use loads it; a kernel that never restores a package never pays for it.
/// </summary>
internal sealed class NuGetPackages : IDisposable
{
    private readonly PackageRestoreContext _context = new(false);

    /// <summary>Adds a package source for later restores (<c>#i "nuget: URL"</c>).</summary>
    public void AddSource(string source) => _context.TryAddRestoreSource(source);

    /// <summary>Restores the packages; the assembly paths of every package resolved so far, or the restore's errors.</summary>
    public async Task<(IReadOnlyList<string> Assemblies, IReadOnlyList<string> Errors)> RestoreAsync(IEnumerable<(string Name, string Version)> packages)
    {
        foreach (var (name, version) in packages) _context.GetOrAddPackageReference(name, version);
        var result = await _context.RestoreAsync().ConfigureAwait(false);
        if (!result.Succeeded) return ([], result.Errors.ToList());
        return (result.ResolvedReferences.SelectMany(r => r.AssemblyPaths).Distinct().ToList(), []);
    }

    public void Dispose() => _context.Dispose();
}
