using KernelGateway.Gateway.Kernels;
using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Sessions;

namespace KernelGateway.Gateway;

/// <summary>Registers the gateway's services.</summary>
public static class GatewayServices
{
    /// <summary>Adds the options, <see cref="KernelManager"/> and <see cref="SessionManager"/> as singletons.</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, GatewayOptions options)
    {
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<KernelManager>();
        services.AddSingleton<SessionManager>();
        services.AddSingleton<Channels.ChannelHubs>();
        services.AddHostedService<PrespawnService>();
        return services;
    }
}
