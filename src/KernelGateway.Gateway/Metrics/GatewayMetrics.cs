using KernelGateway.Gateway.Kernels;
using KernelGateway.Protocol;
using Prometheus;

namespace KernelGateway.Gateway.Metrics;

/// <summary>
/// The gateway's Prometheus metrics (prometheus-net, in a registry of this server's own, so that two servers in one
/// process do not mix): kernel starts, start failures and culls, messages through the WebSocket bridge, execute
/// round trips as seen by the gateway, and, read at each scrape, kernels by kernelspec and state, WebSocket
/// connections and the prespawn pool; and the runs the scheduler executed, with its lag behind cron occurrences.
/// </summary>
internal sealed class GatewayMetrics
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Counter _starts;
    private readonly Counter _startFailures;
    private readonly Counter _culled;
    private readonly Counter _messages;
    private readonly Histogram _executes;
    private readonly Gauge _kernels;
    private readonly Gauge _connections;
    private readonly Gauge _pool;
    private readonly Counter _runs;
    private readonly Histogram _lag;
    private readonly HashSet<(string Spec, string State)> _reported = [];

    public GatewayMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        _starts = factory.CreateCounter("kernelgateway_kernel_starts_total", "Kernel processes started and ready, by kernelspec (prespawned ones included).",
            new CounterConfiguration { LabelNames = ["kernelspec"] });
        _startFailures = factory.CreateCounter("kernelgateway_kernel_start_failures_total", "Kernel processes that could not be started or never became ready, by kernelspec.",
            new CounterConfiguration { LabelNames = ["kernelspec"] });
        _culled = factory.CreateCounter("kernelgateway_kernels_culled_total", "Kernels shut down for being idle too long.");
        _messages = factory.CreateCounter("kernelgateway_messages_total", "Jupyter messages through the WebSocket bridge, by direction (to_kernel, from_kernel) and channel.",
            new CounterConfiguration { LabelNames = ["direction", "channel"] });
        _executes = factory.CreateHistogram("kernelgateway_execute_duration_seconds", "From a client's execute_request reaching the gateway to the kernel's execute_reply.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 18) });
        _kernels = factory.CreateGauge("kernelgateway_kernels", "Kernels clients hold, by kernelspec and execution state.",
            new GaugeConfiguration { LabelNames = ["kernelspec", "state"] });
        _connections = factory.CreateGauge("kernelgateway_websocket_connections", "Open WebSocket connections to kernels.");
        _pool = factory.CreateGauge("kernelgateway_prespawned_kernels", "Warm kernels of the prespawn pool: ready, or starting and warming up.",
            new GaugeConfiguration { LabelNames = ["state"] });
        _runs = factory.CreateCounter("kernelgateway_runs_total", "Notebook runs this gateway's scheduler executed, by how they ended (succeeded, failed, cancelled).",
            new CounterConfiguration { LabelNames = ["state"] });
        _lag = factory.CreateHistogram("kernelgateway_scheduler_lag_seconds", "From a cron occurrence to its run's start, for runs this gateway's scheduler executed.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 16) });
    }

    /// <summary>A run this gateway's scheduler executed has ended: counted by state; a cron run's lag (from its occurrence to its start) observed.</summary>
    public void RunEnded(KernelGateway.Jobs.Model.RunRecord run)
    {
        _runs.WithLabels(KernelGateway.Jobs.Model.RunStates.Name(run.State)).Inc();
        if (run.Trigger == KernelGateway.Jobs.Model.RunTriggers.Cron && run.Occurrence is { } due && run.Started is { } started)
            _lag.Observe(Math.Max(0, (started - due).TotalSeconds));
    }

    /// <summary>Reads the kernels' states, connections and the pool from <paramref name="manager"/> at every scrape.</summary>
    public void Observe(KernelManager manager) => _registry.AddBeforeCollectCallback(() =>
    {
        var kernels = manager.Kernels;
        var counts = kernels.GroupBy(k => (k.Name, k.ExecutionState)).ToDictionary(g => g.Key, g => g.Count());
        lock (_reported)
        {
            // A state no kernel is in any more reads 0 rather than its last count.
            foreach (var key in _reported) _kernels.WithLabels(key.Spec, key.State).Set(counts.GetValueOrDefault(key));
            foreach (var (key, n) in counts)
            {
                _reported.Add(key);
                _kernels.WithLabels(key.Name, key.ExecutionState).Set(n);
            }
        }
        _connections.Set(kernels.Sum(k => k.Connections));
        var (ready, starting) = manager.PoolCounts;
        _pool.WithLabels("ready").Set(ready);
        _pool.WithLabels("starting").Set(starting);
    });

    public void KernelStarted(string kernelspec) => _starts.WithLabels(kernelspec).Inc();

    public void KernelStartFailed(string kernelspec) => _startFailures.WithLabels(kernelspec).Inc();

    public void KernelCulled() => _culled.Inc();

    public void MessageToKernel(KernelChannel channel) => _messages.WithLabels("to_kernel", channel.ToWireName()).Inc();

    public void MessageFromKernel(KernelChannel channel) => _messages.WithLabels("from_kernel", channel.ToWireName()).Inc();

    public void ExecuteAnswered(TimeSpan elapsed) => _executes.Observe(elapsed.TotalSeconds);

    /// <summary>Writes every metric in the Prometheus text format (version 0.0.4).</summary>
    public Task WriteAsync(Stream stream, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(stream, cancellationToken);
}
