namespace KernelGateway.Kernel.Extensions;

/// <summary>
/// A piece of the platform loaded into the kernel: it registers magics, makes assemblies and namespaces available
/// to cells, and publishes typed objects into them (<c>Warehouse</c>, <c>Trino</c>, ...). Extensions see only this
/// contract, never the concrete engine. The CLI decides which extensions a kernel gets.
/// </summary>
public interface IKernelExtension
{
    /// <summary>A short name for logs (e.g. <c>sql</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Registers what the extension brings. Called once, before the engine starts. An exception is logged and the
    /// kernel starts without the extension: a broken extension never stops the kernel.
    /// </summary>
    void Register(IKernelExtensionContext context);
}
