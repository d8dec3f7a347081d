using System.Diagnostics;

namespace KernelGateway.Benchmarks;

/// <summary>
/// Many WebSocket clients on many kernels of one kernelspec through a gateway: the kernels are asked for (POST
/// /api/kernels) one after the other or all at once, every client connects to one of them (kernel_info answered over its WebSocket), then every
/// client runs its executes at the same time. The start and the executes are each bounded by a timeout, and what had
/// not finished by then is reported as unfinished rather than waited for. The kernels are deleted at the end.
/// </summary>
internal static class ManyClients
{
    /// <summary>What one run achieved.</summary>
    internal sealed class Result(string kernelName, int kernels, int clients, int executesPerClient)
    {
        public string KernelName { get; } = kernelName;
        public int Kernels { get; } = kernels;
        public int Clients { get; } = clients;
        public int ExecutesPerClient { get; } = executesPerClient;
        public int KernelsStarted { get; set; }
        public double StartSeconds { get; set; } = double.NaN;
        public int ClientsConnected { get; set; }
        public double ConnectSeconds { get; set; } = double.NaN;
        public int Completed { get; set; }
        public int Failed { get; set; }
        public int Unfinished { get; set; }
        public int Executes { get; set; }
        public double Seconds { get; set; } = double.NaN;
        public List<double> LatencyMs { get; } = [];
        public string? FirstError { get; set; }
        public long? ServerRssKb { get; set; }
        public long? ServerAnonKb { get; set; }
        public long? ServerPeakKb { get; set; }
        public int KernelProcesses { get; set; }
        public MemorySample? KernelsMemory { get; set; }
        /// <summary>CPU seconds the kernel processes used during the executes phase (their sum).</summary>
        public double KernelsCpuSeconds { get; set; } = double.NaN;
        /// <summary>CPU seconds the server used during the executes phase.</summary>
        public double ServerCpuSeconds { get; set; } = double.NaN;
        /// <summary>How busy the machine's cores were during the executes phase (0..1; the harness's own clients included).</summary>
        public double MachineBusy { get; set; } = double.NaN;

        /// <summary>Executes answered per second of the executes phase (until the last client finished, or the timeout).</summary>
        public double ExecsPerSecond => Seconds > 0 ? Executes / Seconds : double.NaN;

        public string Summary =>
            $"{KernelsStarted}/{Kernels} kernels in {StartSeconds:F1} s, {ClientsConnected}/{Clients} clients connected in {ConnectSeconds:F1} s; " +
            $"clients completed {Completed}, failed {Failed}, unfinished {Unfinished}; {Executes}/{Clients * ExecutesPerClient} executes in {Seconds:F1} s " +
            $"({ExecsPerSecond:F1}/s), p50 {(LatencyMs.Count > 0 ? Stats.Percentile(LatencyMs, 50) : double.NaN):F1} ms, p95 {(LatencyMs.Count > 0 ? Stats.Percentile(LatencyMs, 95) : double.NaN):F1} ms" +
            (FirstError is null ? "" : $"; first error: {FirstError}");
    }

    /// <summary>Runs <paramref name="clients"/> × <paramref name="executesPerClient"/> executes of <paramref name="cell"/> on <paramref name="kernels"/> kernels.</summary>
    /// <param name="startTogether">Ask for all the kernels at once (a burst), rather than for each when the one before has answered.</param>
    public static async Task<Result> RunAsync(HttpServer server, string kernelName, int kernels, int clients, int executesPerClient, string cell,
        bool startTogether, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = new Result(kernelName, kernels, clients, executesPerClient);
        var ids = new string?[kernels];
        var sockets = new WsKernel?[clients];
        var errors = new List<string>();
        void Error(string e)
        {
            lock (errors) errors.Add(e);
        }
        try
        {
            // The kernels, then every client on its kernel: one phase, one timeout.
            using (var start = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                start.CancelAfter(timeout);
                var clock = Stopwatch.StartNew();
                async Task CreateAsync(int k)
                {
                    try { ids[k] = await server.CreateKernelAsync(kernelName, null, start.Token); }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested) { Error($"kernel {k}: {e.Message}"); }
                }
                if (startTogether) await Task.WhenAll(Enumerable.Range(0, kernels).Select(CreateAsync));
                else for (var k = 0; k < kernels; k++) await CreateAsync(k);
                result.KernelsStarted = ids.Count(id => id is not null);
                result.StartSeconds = clock.Elapsed.TotalSeconds;
                clock.Restart();
                await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
                {
                    if (ids[c % kernels] is not { } id) return;
                    try { sockets[c] = await server.ConnectReadyAsync(id, start.Token); }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested) { Error($"client {c} connecting: {e.Message}"); }
                }));
                result.ClientsConnected = sockets.Count(s => s is not null);
                result.ConnectSeconds = clock.Elapsed.TotalSeconds;
            }

            using (var phase = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                phase.CancelAfter(timeout);
                var latencies = new List<double>[clients];
                var kernelPids = server.Process.ChildIds();
                var (kernelsCpu, serverCpu, machine) = (kernelPids.Sum(CpuTime.OfProcess), CpuTime.OfProcess(server.Process.Id), CpuTime.OfMachine());
                var clock = Stopwatch.StartNew();
                var outcomes = await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
                {
                    latencies[c] = [];
                    if (sockets[c] is not { } ws) return "failed";
                    try
                    {
                        for (var j = 0; j < executesPerClient; j++) latencies[c].Add(await ws.ExecuteAsync(cell, phase.Token));
                        return "completed";
                    }
                    catch (OperationCanceledException) when (phase.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        return "unfinished";
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        Error($"client {c}: {e.Message}");
                        return "failed";
                    }
                }));
                result.Seconds = Math.Min(clock.Elapsed.TotalSeconds, timeout.TotalSeconds);
                var machineAfter = CpuTime.OfMachine();
                result.KernelsCpuSeconds = kernelPids.Sum(CpuTime.OfProcess) - kernelsCpu;
                result.ServerCpuSeconds = CpuTime.OfProcess(server.Process.Id) - serverCpu;
                result.MachineBusy = machineAfter.Total > machine.Total ? (machineAfter.Busy - machine.Busy) / (machineAfter.Total - machine.Total) : double.NaN;
                result.Completed = outcomes.Count(o => o == "completed");
                result.Failed = outcomes.Count(o => o == "failed");
                result.Unfinished = outcomes.Count(o => o == "unfinished");
                result.LatencyMs.AddRange(latencies.SelectMany(l => l));
                result.Executes = result.LatencyMs.Count;
            }

            result.ServerRssKb = server.Process.StatusKilobytes("VmRSS");
            result.ServerAnonKb = server.Process.StatusKilobytes("RssAnon");
            result.ServerPeakKb = server.Process.StatusKilobytes("VmHWM");
            var children = server.Process.ChildIds();
            result.KernelProcesses = children.Count;
            result.KernelsMemory = MemorySample.Sum(children.Select(MemorySample.Read));
        }
        finally
        {
            lock (errors) result.FirstError = errors.FirstOrDefault();
            foreach (var s in sockets) if (s is not null) await s.DisposeAsync();
            await Task.WhenAll(ids.OfType<string>().Select(async id =>
            {
                try { await server.DeleteKernelAsync(id, CancellationToken.None); }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException) { }
            }));
        }
        return result;
    }
}
