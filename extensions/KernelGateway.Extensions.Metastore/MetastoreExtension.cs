using KernelGateway.Extensions.Metastore.SqlCompletion;
using KernelGateway.Kernel.Extensions;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Extensions.Metastore;

/// <summary>
/// The metastore in a kernel: <c>%metastore</c> (connections, catalogs, schemas, tables, describe, search, refresh)
/// and the preloaded <c>Metastore</c>, a <see cref="MetastoreClient"/> over the kernel's named connections, with the
/// namespace <c>KernelGateway.Platform.Metastore</c> imported; and completion and inspection of catalog, schema, table
/// and column names in <c>%%sql</c>, <c>%%trino</c>, <c>%%presto</c> and <c>%%spark</c> cells. All three share one cache.
/// </summary>
public sealed class MetastoreExtension(WarehouseClient warehouse) : IKernelExtension
{
    /// <summary>
    /// How long a completion request waits for a metastore lookup that is not cached yet (inspection waits three
    /// times as long). A lookup still running then goes on and is cached for the next request.
    /// </summary>
    public static readonly TimeSpan CompletionBound = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public string Name => "metastore";

    /// <summary>The <c>KG_METASTORE_*</c> settings; a bad one is logged and the defaults used, so the kernel still starts.</summary>
    private static MetastoreOptions Options(IKernelExtensionContext context)
    {
        try
        {
            return MetastoreOptions.FromEnvironment();
        }
        catch (FormatException e)
        {
            context.Log.LogWarning("metastore settings ignored, defaults used: {Problem}", e.Message);
            return new MetastoreOptions();
        }
    }

    /// <inheritdoc />
    public void Register(IKernelExtensionContext context)
    {
        var metastore = new MetastoreClient(warehouse, Options(context));
        context.OnShutdown(metastore.DisposeAsync);
        context.Magics.Add(new MetastoreMagic(metastore));
        foreach (var magic in SqlCellIntrospector.Magics) context.Magics.AddIntrospector(magic, new SqlCellIntrospector(magic, metastore, warehouse, CompletionBound));
        context.Publish("Metastore", metastore);
        context.Import(typeof(MetastoreClient).Assembly, "KernelGateway.Platform.Metastore");
    }
}
