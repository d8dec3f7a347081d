using KernelGateway.Gateway.Jobs;
using KernelGateway.Gateway.Kernels;
using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Sessions;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Gateway;

/// <summary>Registers the gateway's services.</summary>
public static class GatewayServices
{
    /// <summary>The service key of the gateway's <see cref="TimeProvider"/>.</summary>
    public const string ClockKey = "KernelGateway.Gateway.Clock";

    /// <summary>Adds the options, <see cref="KernelManager"/>, <see cref="SessionManager"/> and <see cref="MetastoreClient"/> (over the data directory's connections) as singletons, the prespawn and culling services, and the jobs library with its scheduler.</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, GatewayOptions options)
    {
        options.Validate();
        services.AddSingleton(options);
        // The gateway's own clock (kernel activity, culling), keyed so that a test's fake clock stays with the gateway
        // and never reaches the rest of ASP.NET Core, which resolves the unkeyed TimeProvider.
        services.AddKeyedSingleton(ClockKey, TimeProvider.System);
        services.AddSingleton<Metrics.GatewayMetrics>();
        services.AddSingleton(sp => new KernelManager(options, sp.GetRequiredService<ILogger<KernelManager>>(),
            sp.GetRequiredKeyedService<TimeProvider>(ClockKey), sp.GetRequiredService<Metrics.GatewayMetrics>()));
        services.AddSingleton<SessionManager>();
        services.AddSingleton<Channels.ChannelHubs>();
        // Built at the first metastore request, not at start: nothing is read or seeded until then.
        services.AddSingleton(_ => new MetastoreClient(new WarehouseClient(
            ConnectionRegistry.Load(options.DataDirectory), new EmbeddedWarehouse(options.DataDirectory, options.WarehouseRows)), options.Metastore));
        services.AddHostedService<PrespawnService>();
        services.AddHostedService<KernelCuller>();
        services.AddJobs(options);
        return services;
    }
}
