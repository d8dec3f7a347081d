using KernelGateway.Gateway.Options;
using KernelGateway.Jobs;
using KernelGateway.Jobs.Scheduling;
using KernelGateway.Jobs.Sources;
using KernelGateway.Jobs.Store;

namespace KernelGateway.Gateway.Jobs;

/// <summary>Registers the jobs library (store, sources, <see cref="JobService"/>) and, unless <c>KG_SCHEDULER=off</c>, the scheduler as a hosted service.</summary>
internal static class JobsServices
{
    public static IServiceCollection AddJobs(this IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton(_ => JobStores.Open(options.DataDirectory, options.SchedulerStore));
        services.AddSingleton(_ => new SourceStore(Path.Combine(options.DataDirectory, "sources")));
        services.AddSingleton(sp => new Scheduler(sp.GetRequiredService<IJobStore>(), sp.GetRequiredService<SourceStore>(),
            new NotebookRunExecutor(options.RuntimeDirectory, options.DefaultKernelName, sp.GetRequiredService<ILoggerFactory>().CreateLogger("KernelGateway.Jobs.Runs")),
            options.DataDirectory, new SchedulerOptions { MaxConcurrentRuns = options.SchedulerMaxRuns }, sp.GetRequiredKeyedService<TimeProvider>(GatewayServices.ClockKey),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("KernelGateway.Jobs.Scheduler")));
        services.AddSingleton(sp => new JobService(sp.GetRequiredService<IJobStore>(), sp.GetRequiredService<SourceStore>(), options.DataDirectory,
            sp.GetRequiredKeyedService<TimeProvider>(GatewayServices.ClockKey), options.Scheduler ? sp.GetRequiredService<Scheduler>().Nudge : null));
        services.AddHostedService<SchedulerService>();
        return services;
    }
}

/// <summary>
/// Creates the store's tables at start and, when the scheduler is on, starts it (its report of missed runs goes to
/// the log) and stops it at shutdown: running runs are stopped and recorded before the gateway exits.
/// </summary>
internal sealed class SchedulerService(GatewayOptions options, IServiceProvider services, ILogger<SchedulerService> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IJobStore>().InitializeAsync(cancellationToken);
        if (!options.Scheduler)
        {
            log.LogInformation("scheduler off (KG_SCHEDULER): schedules and runs are recorded here and run by another gateway");
            return;
        }
        var scheduler = services.GetRequiredService<Scheduler>();
        var metrics = services.GetRequiredService<Metrics.GatewayMetrics>();
        scheduler.RunEnded += metrics.RunEnded;
        var missed = await scheduler.StartAsync(cancellationToken);
        log.LogInformation("scheduler started ({Missed} schedule(s) had missed runs)", missed.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (options.Scheduler) await services.GetRequiredService<Scheduler>().StopAsync();
        await services.GetRequiredService<IJobStore>().DisposeAsync();
    }
}
