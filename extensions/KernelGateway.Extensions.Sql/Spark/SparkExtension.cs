using KernelGateway.Kernel.Extensions;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Sql.Spark;

/// <summary>
/// Spark in a kernel: <c>%%spark</c> and <c>%spark</c>, the preloaded <c>Spark</c> (Spark Connect clients by
/// connection; <c>Spark.Sql(...)</c> and <c>Spark.Table(...)</c> on the default one) and <c>Livy</c> (this kernel's
/// Livy clients and sessions). At shutdown the Spark sessions are released and the Livy sessions deleted.
/// </summary>
public sealed class SparkExtension(ConnectionRegistry registry) : IKernelExtension
{
    /// <inheritdoc />
    public string Name => "spark";

    /// <inheritdoc />
    public void Register(IKernelExtensionContext context)
    {
        var spark = new SparkConnections(registry);
        var livy = new LivyConnections(registry);
        spark.AmbientCancellation = () => context.CurrentCellToken;
        context.Magics.Add(new SparkMagic(registry, spark, livy));
        context.OnShutdown(spark.DisposeAsync);
        context.OnShutdown(livy.DisposeAsync);
        context.Publish("Spark", spark);
        context.Publish("Livy", livy);
        context.Import(typeof(SparkConnectClient).Assembly, "KernelGateway.Platform.Spark.Connect", "KernelGateway.Platform.Spark.Livy");
    }
}
