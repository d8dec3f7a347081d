using System.Reflection;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Magics;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Kernel.Extensions;

/// <summary>What an extension may do to the kernel it is loaded into.</summary>
public interface IKernelExtensionContext
{
    /// <summary>The kernel's magics: <c>Magics.Add(new MyMagic())</c>.</summary>
    MagicRegistry Magics { get; }

    /// <summary>The kernel's log (stderr; never log cell contents or secrets).</summary>
    ILogger Log { get; }

    /// <summary>
    /// The token of the cell running now (cancelled when the frontend interrupts), or
    /// <see cref="CancellationToken.None"/> outside a cell. Clients used from cells without an explicit token use it,
    /// so an interrupt reaches their queries.
    /// </summary>
    CancellationToken CurrentCellToken { get; }

    /// <summary>Makes an assembly available to cells and imports <paramref name="namespaces"/> in every cell.</summary>
    void Import(Assembly assembly, params string[] namespaces);

    /// <summary>
    /// Declares <paramref name="name"/> in every cell as a variable of type <typeparamref name="T"/> holding
    /// <paramref name="value"/> (e.g. <c>Warehouse</c>). The type's assembly is imported.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not an identifier, or is already published.</exception>
    void Publish<T>(string name, T value) where T : class;

    /// <summary>Shows values of <typeparamref name="T"/> returned or displayed by cells as tables.</summary>
    void AddTabular<T>(Func<T, TabularResult> convert) where T : notnull;

    /// <summary>Runs <paramref name="dispose"/> when the kernel shuts down (release sessions, cancel queries).</summary>
    void OnShutdown(Func<ValueTask> dispose);
}
