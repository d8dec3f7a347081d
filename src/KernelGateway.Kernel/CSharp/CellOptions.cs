using System.Text;
using KernelGateway.Kernel.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace KernelGateway.Kernel.CSharp;

/// <summary>
/// What every cell is compiled with: the .NET framework's assemblies, the kernel's cell services
/// (<see cref="KernelServices"/>, imported statically), and what extensions import; the usual namespaces are imported.
/// </summary>
internal sealed class CellOptions
{
    private static readonly string[] DefaultImports =
    [
        "System", "System.Collections", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http",
        "System.Text", "System.Threading", "System.Threading.Tasks", "KernelGateway.Kernel.Hosting.KernelServices",
    ];

    private readonly List<string> _assemblies = [];
    private readonly List<string> _imports = [.. DefaultImports];

    /// <summary>References an assembly and imports namespaces of it.</summary>
    public void Import(string assemblyPath, IReadOnlyList<string> namespaces)
    {
        if (!_assemblies.Contains(assemblyPath)) _assemblies.Add(assemblyPath);
        foreach (var ns in namespaces) if (!_imports.Contains(ns)) _imports.Add(ns);
    }

    /// <summary>The script options of the first cell.</summary>
    public ScriptOptions Build()
    {
        var references = FrameworkAssemblies()
            .Concat([typeof(KernelServices).Assembly.Location, typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly.Location,
                typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly.Location])
            .Concat(_assemblies)
            .Distinct(StringComparer.Ordinal)
            .Select(Reference);
        return ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Preview)
            .WithReferences(references)
            .WithMetadataResolver(CellMetadataResolver.Instance)
            .WithImports(_imports)
            .WithAllowUnsafe(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithEmitDebugInformation(false);
    }

    /// <summary>
    /// A reference whose metadata is read from a memory-mapped file: shared between kernels and read only where
    /// needed. (<c>MetadataReference.CreateFromFile</c> copies the whole image into native memory: 110 MiB of private
    /// memory per kernel for the framework's ReadyToRun images.)
    /// </summary>
    public static MetadataReference Reference(string path) => AssemblyMetadata.CreateFromFile(path).GetReference(filePath: path);

    /// <summary>
    /// The framework assemblies cells compile against: what C# scripting references by default, and what notebooks use
    /// most (LINQ, HTTP, JSON, data, XML, numerics). Not the whole shared framework: every reference is bound again by
    /// every submission, and 160 of them made a trivial cell 1.5x slower. Others are one <c>#r "System.Xyz"</c> away.
    /// </summary>
    internal static readonly string[] FrameworkNames =
    [
        "System.Runtime", "System.Private.CoreLib", "Microsoft.CSharp",
        "System.Collections", "System.Collections.Concurrent", "System.Collections.Immutable", "System.ComponentModel",
        "System.ComponentModel.Primitives", "System.Console", "System.Data.Common", "System.Diagnostics.Process",
        "System.Diagnostics.StackTrace", "System.IO.Compression", "System.Linq", "System.Linq.Expressions",
        "System.Memory", "System.Net.Http", "System.Net.Primitives", "System.Numerics.Vectors", "System.ObjectModel",
        "System.Runtime.InteropServices", "System.Runtime.Numerics", "System.Security.Cryptography", "System.Text.Encoding.Extensions",
        "System.Text.Json", "System.Text.RegularExpressions", "System.Threading", "System.Threading.Tasks.Parallel",
        "System.Threading.Thread", "System.Xml.ReaderWriter", "System.Xml.XDocument", "System.Private.Xml.Linq",
        "System.Web.HttpUtility",
    ];

    private static IEnumerable<string> FrameworkAssemblies()
    {
        var directory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return FrameworkNames.Select(name => Path.Combine(directory, name + ".dll")).Where(File.Exists);
    }
}
