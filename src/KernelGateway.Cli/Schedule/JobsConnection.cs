using KernelGateway.Jobs;
using KernelGateway.Jobs.Sources;
using KernelGateway.Jobs.Store;

namespace KernelGateway.Cli.Schedule;

/// <summary>
/// The jobs library as the command line uses it: the state database of the data directory (<c>KG_DATA_DIR</c>, else
/// <c>~/.kernelgateway</c>; SQLite, or PostgreSQL with <c>KG_SCHEDULER_STORE</c>) — the same one <c>kernelgateway serve</c>'s
/// scheduler reads, so what is added here runs there.
/// </summary>
internal sealed class JobsConnection : IAsyncDisposable
{
    private JobsConnection(IJobStore store, JobService service, string dataDirectory)
    {
        Store = store;
        Service = service;
        DataDirectory = dataDirectory;
    }

    public IJobStore Store { get; }

    public JobService Service { get; }

    public string DataDirectory { get; }

    public static async Task<JobsConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var data = Environment.GetEnvironmentVariable("KG_DATA_DIR") is { Length: > 0 } d ? Path.GetFullPath(d) : KernelGateway.Kernel.Routing.KernelOptions.DefaultDataDirectory();
        Directory.CreateDirectory(data);
        IJobStore store;
        try { store = JobStores.Open(data, Environment.GetEnvironmentVariable("KG_SCHEDULER_STORE")); }
        catch (FormatException e) { throw new UsageException(e.Message); }
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return new JobsConnection(store, new JobService(store, new SourceStore(Path.Combine(data, "sources")), data), data);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
