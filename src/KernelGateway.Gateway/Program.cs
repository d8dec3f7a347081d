using KernelGateway.Gateway;
using KernelGateway.Gateway.ApiInfo;
using KernelGateway.Gateway.Channels;
using KernelGateway.Gateway.Jobs;
using KernelGateway.Gateway.Kernels;
using KernelGateway.Gateway.Metastore;
using KernelGateway.Gateway.Metrics;
using KernelGateway.Gateway.KernelSpecs;
using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Policy;
using KernelGateway.Gateway.Sessions;

namespace KernelGateway.Gateway;

/// <summary>The gateway server: a Jupyter Kernel Gateway-compatible HTTP and WebSocket API over local kernels.</summary>
public static class Program
{
    /// <summary>Runs the gateway with options from the <c>KG_*</c> environment variables.</summary>
    public static Task Main(string[] args) => CreateApp(GatewayOptions.FromEnvironment(), args).RunAsync();

    /// <summary>
    /// Builds the application, listening on <see cref="GatewayOptions.IP"/>:<see cref="GatewayOptions.Port"/> (port 0: any
    /// free port). <paramref name="services"/> may replace registrations after the gateway's own (e.g. its clock, keyed <see cref="GatewayServices.ClockKey"/>).
    /// </summary>
    public static WebApplication CreateApp(GatewayOptions options, string[]? args = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseUrls($"http://{(options.IP.Contains(':') ? $"[{options.IP}]" : options.IP)}:{options.Port}");
        builder.WebHost.UseSockets(o => o.NoDelay = true);
        builder.Services.AddGateway(options);
        services?.Invoke(builder.Services);
        // Request logs would carry ?token= and kernel ids: ASP.NET Core logs warnings and errors only.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var app = builder.Build();
        app.UseGatewayCors(options);
        app.UseGatewayErrors();
        app.UseGatewayAuth(options);
        app.UseWebSockets();

        var root = app.MapGroup(options.BasePath);
        root.MapApiInfo();
        root.MapKernelSpecs();
        root.MapKernels();
        root.MapSessions();
        root.MapChannels();
        root.MapMetastore();
        root.MapSchedules();
        root.MapRuns();
        root.MapMetrics();
        app.Services.GetRequiredService<GatewayMetrics>().Observe(app.Services.GetRequiredService<KernelManager>());
        return app;
    }
}
