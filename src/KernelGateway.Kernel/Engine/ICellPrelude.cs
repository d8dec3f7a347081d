namespace KernelGateway.Kernel.Engine;

/// <summary>
/// An engine that can prepare every cell before the first one runs: assembly references, imported namespaces, and
/// variables holding objects published by extensions (read from <see cref="Extensions.CellGlobals"/>).
/// Called before <see cref="ILanguageEngine.StartAsync"/>.
/// </summary>
public interface ICellPrelude
{
    /// <summary>References an assembly and imports <paramref name="namespaces"/> (none: only the reference).</summary>
    void Import(string assemblyPath, IReadOnlyList<string> namespaces);

    /// <summary>Declares a variable <paramref name="name"/> of <paramref name="type"/> holding the object published under that name.</summary>
    void Declare(string name, Type type);
}
