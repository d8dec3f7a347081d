using KernelGateway.Kernel.Extensions;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Metastore;

/// <summary>
/// The metastore in a kernel: <c>%metastore</c> (connections, catalogs, schemas, tables, describe, search, refresh)
/// and the preloaded <c>Metastore</c>, a <see cref="MetastoreClient"/> over the kernel's named connections, with the
/// namespace <c>KernelGateway.Platform.Metastore</c> imported. The magic and the object share one cache.
/// </summary>
public sealed class MetastoreExtension(WarehouseClient warehouse) : IKernelExtension
{
    /// <inheritdoc />
    public string Name => "metastore";

    /// <inheritdoc />
    public void Register(IKernelExtensionContext context)
    {
        var metastore = new MetastoreClient(warehouse);
        context.Magics.Add(new MetastoreMagic(metastore));
        context.Publish("Metastore", metastore);
        context.Import(typeof(MetastoreClient).Assembly, "KernelGateway.Platform.Metastore");
    }
}
