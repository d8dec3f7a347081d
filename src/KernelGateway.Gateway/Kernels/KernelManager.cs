using KernelGateway.Gateway.Metrics;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Policy;
using KernelGateway.Notebooks.Kernels;
using KernelGateway.Protocol;
using KernelGateway.Zmq;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Gateway.Kernels;

/// <summary>
/// Starts, tracks, interrupts, restarts and shuts down kernels of any installed kernelspec. Each kernel is a
/// process with its own connection file, reached through a <see cref="KernelClient"/>; a process that exits is
/// reported <c>dead</c> as soon as the exit is seen.
/// </summary>
public sealed partial class KernelManager : IAsyncDisposable
{
    private readonly GatewayOptions _options;
    private readonly ILogger<KernelManager> _log;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly ConcurrentDictionary<string, ManagedKernel> _kernels = new();
    private readonly Lock _admission = new();
    private readonly ConcurrentQueue<ManagedKernel> _pool = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _starting;
    private int _poolStarting;
    private volatile bool _disposed;

    /// <summary>Creates a manager with the gateway's options.</summary>
    public KernelManager(GatewayOptions options, ILogger<KernelManager> log, [FromKeyedServices(GatewayServices.ClockKey)] TimeProvider? time = null)
        : this(options, log, time, null)
    {
    }

    /// <summary>Creates a manager that counts kernel starts, failures and culls in <paramref name="metrics"/>.</summary>
    internal KernelManager(GatewayOptions options, ILogger<KernelManager> log, TimeProvider? time, GatewayMetrics? metrics)
    {
        _options = options;
        _log = log;
        _time = time ?? TimeProvider.System;
        _metrics = metrics ?? new GatewayMetrics();
    }

    /// <summary>The kernels currently managed (running, restarting or dead, not yet shut down).</summary>
    public IReadOnlyCollection<ManagedKernel> Kernels => _kernels.Values.ToList();

    /// <summary>The ids of the warm kernels waiting in the prespawn pool.</summary>
    internal IReadOnlyList<string> PooledKernelIds => _pool.Select(k => k.Id).ToList();

    /// <summary>A kernel by id, or null.</summary>
    public ManagedKernel? Find(string id) => _kernels.GetValueOrDefault(id);

    /// <summary>A kernel by id.</summary>
    /// <exception cref="GatewayException">404: no kernel has this id.</exception>
    public ManagedKernel Get(string id) => Find(id) ?? throw new GatewayException(404, $"Kernel does not exist: {id}");

    /// <summary>The kernelspec a request asks for, or the default one when it names none.</summary>
    /// <exception cref="GatewayException">404: no kernelspec has this name.</exception>
    public KernelSpec ResolveSpec(string? name)
    {
        name = string.IsNullOrWhiteSpace(name) ? _options.DefaultKernelName : name;
        return KernelSpecCatalog.Find(name) ?? throw new GatewayException(404, $"No such kernel: {name}");
    }

    /// <summary>
    /// Starts a kernel and waits until it answers <c>kernel_info_request</c>. Of <paramref name="requestEnvironment"/>
    /// only <c>KERNEL_*</c> variables and those in <see cref="GatewayOptions.EnvWhitelist"/> are passed; the process
    /// inherits only the launcher's allow-list plus <see cref="GatewayOptions.EnvProcessWhitelist"/>.
    /// </summary>
    /// <exception cref="GatewayException">404: unknown kernelspec; 403: <see cref="GatewayOptions.MaxKernels"/> reached; 500: the kernel did not start.</exception>
    public async Task<ManagedKernel> StartAsync(string? name, IReadOnlyDictionary<string, string>? requestEnvironment, CancellationToken cancellationToken)
    {
        var spec = ResolveSpec(name);
        lock (_admission)
        {
            if (_options.MaxKernels is { } max && _kernels.Count + _starting >= max)
                throw new GatewayException(403, $"A max kernels limit has been set to {max} and has been reached.");
            _starting++;
        }
        var admitted = false;
        // The kernel joins the clients' kernels and leaves the starting ones at the same moment, so the limit never
        // counts it twice (nor refuses a request because of that).
        void Admit(ManagedKernel k)
        {
            lock (_admission)
            {
                _kernels[k.Id] = k;
                _starting--;
                admitted = true;
            }
        }
        try
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            if (requestEnvironment is not null)
                foreach (var (k, v) in requestEnvironment)
                    if (k.StartsWith("KERNEL_", StringComparison.Ordinal) || _options.EnvWhitelist.Contains(k)) env[k] = v;
            env["KERNEL_GATEWAY"] = "1";
            if (env.Count == 1 && spec.Name == ResolveSpec(null).Name && TakeFromPool() is { } warm)
            {
                warm.Touch();
                Admit(warm);
                _log.LogInformation("kernel {KernelId} taken from the prespawn pool", warm.Id);
                // A kernel starting takes a core for a while: let the client's first requests have the machine.
                _ = RefillSoonAsync();
                return warm;
            }
            await MakeRoomAsync().ConfigureAwait(false);
            var kernel = new ManagedKernel(Guid.NewGuid().ToString(), spec, env, _time);
            await LaunchAsync(kernel, cancellationToken).ConfigureAwait(false);
            Admit(kernel);
            _log.LogInformation("kernel {KernelId} started ({KernelName}, pid {Pid})", kernel.Id, spec.Name, kernel.ProcessId);
            return kernel;
        }
        finally
        {
            if (!admitted) lock (_admission) _starting--;
        }
    }

    /// <summary>
    /// Starts kernels of the default kernelspec in the background until <see cref="GatewayOptions.PrespawnCount"/> are
    /// waiting (none when it is 0). A <see cref="StartAsync"/> for the default kernelspec without client environment
    /// takes one of them, and the pool is refilled. Warm kernels count against <see cref="GatewayOptions.MaxKernels"/>
    /// but always yield to clients: the pool only fills the room clients leave, and a fresh kernel a client asks
    /// for at the limit replaces a warm one.
    /// </summary>
    public void RefillPool()
    {
        if (_options.PrespawnCount == 0 || _disposed) return;
        int missing;
        lock (_admission)
        {
            missing = _options.PrespawnCount - _pool.Count - _poolStarting;
            if (_options.MaxKernels is { } max) missing = Math.Min(missing, max - ProcessCount);
            if (missing <= 0) return;
            _poolStarting += missing;
        }
        for (var i = 0; i < missing; i++) _ = Task.Run(PrespawnOneAsync);
    }

    /// <summary>How long after a warm kernel is taken the pool starts refilling.</summary>
    private static readonly TimeSpan RefillDelay = TimeSpan.FromSeconds(1);

    private async Task RefillSoonAsync()
    {
        try { await Task.Delay(RefillDelay, _time, _stopping.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { return; }
        RefillPool();
    }

    private async Task PrespawnOneAsync()
    {
        try
        {
            var kernel = new ManagedKernel(Guid.NewGuid().ToString(), ResolveSpec(null),
                new Dictionary<string, string> { ["KERNEL_GATEWAY"] = "1" }, _time);
            await LaunchAsync(kernel, _stopping.Token).ConfigureAwait(false);
            await WarmUpAsync(kernel).ConfigureAwait(false);
            bool keep;
            lock (_admission)
            {
                // Clients may have taken the room while this kernel started.
                keep = !_disposed && (_options.MaxKernels is not { } max || ProcessCount <= max);
                if (keep) _pool.Enqueue(kernel);
            }
            if (!keep) await StopAsync(kernel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is GatewayException or OperationCanceledException)
        {
            _log.LogWarning("prespawning a kernel failed: {Reason}", e.Message);
        }
        finally
        {
            lock (_admission) _poolStarting--;
        }
    }

    /// <summary>
    /// Runs an empty silent cell (not stored in history, no execution count) and waits for its reply, so that a warm
    /// kernel has done its start-up work before a client gets it: a kernel may answer kernel_info before it can run
    /// code (the C# kernel compiles its first submission in the background), and that work would otherwise land on the
    /// client's first cell, and on every other kernel's when many are taken at once. A kernel that does not answer
    /// within the start timeout still joins the pool.
    /// </summary>
    private async Task WarmUpAsync(ManagedKernel kernel)
    {
        if (kernel.Client is not { } client) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.KernelStartTimeout);
        try
        {
            await client.ExecuteAsync("", silent: true, storeHistory: false, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            _log.LogWarning("warm kernel {KernelId} did not answer its warm-up cell within {Seconds} s", kernel.Id, _options.KernelStartTimeout.TotalSeconds);
        }
    }

    /// <summary>Warm kernels waiting in the prespawn pool, and those starting or warming up for it.</summary>
    internal (int Ready, int Starting) PoolCounts
    {
        get { lock (_admission) return (_pool.Count, _poolStarting); }
    }

    /// <summary>Kernel processes counted against the limit: clients' kernels, kernels starting, warm ones and warm ones starting. Call under <see cref="_admission"/>.</summary>
    private int ProcessCount => _kernels.Count + _starting + _pool.Count + _poolStarting;

    /// <summary>At <see cref="GatewayOptions.MaxKernels"/>, stops warm kernels so that a fresh kernel a client asked for fits.</summary>
    private async Task MakeRoomAsync()
    {
        if (_options.MaxKernels is not { } max) return;
        var evicted = new List<ManagedKernel>();
        lock (_admission)
        {
            // _starting already counts the kernel about to start.
            while (ProcessCount > max && _pool.TryDequeue(out var warm)) evicted.Add(warm);
        }
        foreach (var warm in evicted) _log.LogInformation("warm kernel {KernelId} stopped to make room for a requested kernel", warm.Id);
        await Task.WhenAll(evicted.Select(StopAsync)).ConfigureAwait(false);
    }

    private ManagedKernel? TakeFromPool()
    {
        while (_pool.TryDequeue(out var kernel))
        {
            if (kernel.ExecutionState != ExecutionStates.Dead) return kernel;
            _ = StopAsync(kernel);
        }
        return null;
    }

    /// <summary>
    /// One culling pass, as Jupyter Server's <c>MappingKernelManager.cull_kernels</c>: every kernel idle for longer than
    /// <see cref="GatewayOptions.CullIdleTimeout"/> is shut down, unless it is busy (and <see cref="GatewayOptions.CullBusy"/>
    /// is off) or has WebSocket connections (and <see cref="GatewayOptions.CullConnected"/> is off). Kernels still
    /// starting or restarting, and the warm ones of the prespawn pool, are never culled. Does nothing when the timeout is zero.
    /// </summary>
    /// <returns>The ids of the kernels shut down.</returns>
    public async Task<IReadOnlyList<string>> CullIdleKernelsAsync(CancellationToken cancellationToken = default)
    {
        var timeout = _options.CullIdleTimeout;
        if (timeout <= TimeSpan.Zero) return [];
        var now = _time.GetUtcNow();
        var culled = new List<string>();
        foreach (var kernel in _kernels.Values)
        {
            var state = kernel.ExecutionState;
            var idleFor = now - kernel.LastActivity;
            if (idleFor <= timeout || state is ExecutionStates.Starting or ExecutionStates.Restarting) continue;
            if (state == ExecutionStates.Busy && !_options.CullBusy) continue;
            if (kernel.Connections > 0 && !_options.CullConnected) continue;
            _log.LogWarning("culling kernel {KernelId} ({KernelName}): {State}, {Connections} connections, idle for {IdleSeconds:F0} s",
                kernel.Id, kernel.Name, state, kernel.Connections, idleFor.TotalSeconds);
            try
            {
                await ShutdownAsync(kernel.Id, cancellationToken).ConfigureAwait(false);
                culled.Add(kernel.Id);
                _metrics.KernelCulled();
            }
            catch (GatewayException e) when (e.StatusCode == 404)
            {
                // Shut down by a client meanwhile.
            }
        }
        return culled;
    }

    /// <summary>Interrupts a kernel: <c>interrupt_request</c> on control when its kernelspec's interrupt_mode is <c>message</c>, SIGINT otherwise.</summary>
    /// <exception cref="GatewayException">404: unknown kernel.</exception>
    public async Task InterruptAsync(string id, CancellationToken cancellationToken)
    {
        var kernel = Get(id);
        kernel.Touch();
        if (kernel.Spec.InterruptMode == "message" && kernel.Client is null) throw new GatewayException(409, $"Kernel {id} is not running");
        if (!await KernelInterrupt.InterruptAsync(kernel.Spec, kernel.ProcessId, kernel.Client, cancellationToken).ConfigureAwait(false))
            _log.LogWarning("kernel {KernelId} ({Mode}) could not be interrupted", id, kernel.Spec.InterruptMode);
        else _log.LogInformation("kernel {KernelId} interrupted ({Mode})", id, kernel.Spec.InterruptMode);
    }

    /// <summary>Restarts a kernel with the same id, kernelspec and environment; works on a dead kernel too.</summary>
    /// <exception cref="GatewayException">404: unknown kernel; 500: the new process did not start.</exception>
    public async Task<ManagedKernel> RestartAsync(string id, CancellationToken cancellationToken)
    {
        var kernel = Get(id);
        await kernel.Lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (kernel.Removed) throw new GatewayException(404, $"Kernel does not exist: {id}");
            kernel.SetState(ExecutionStates.Restarting);
            await StopProcessAsync(kernel, restart: true).ConfigureAwait(false);
            await LaunchAsync(kernel, cancellationToken).ConfigureAwait(false);
            _log.LogInformation("kernel {KernelId} restarted (pid {Pid})", id, kernel.ProcessId);
            return kernel;
        }
        finally
        {
            kernel.Lifecycle.Release();
        }
    }

    /// <summary>Shuts a kernel down: <c>shutdown_request</c> on control, then a kill after <see cref="GatewayOptions.ShutdownGracePeriod"/>.</summary>
    /// <exception cref="GatewayException">404: unknown kernel.</exception>
    public async Task ShutdownAsync(string id, CancellationToken cancellationToken)
    {
        var kernel = Get(id);
        await kernel.Lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (kernel.Removed) throw new GatewayException(404, $"Kernel does not exist: {id}");
            _kernels.TryRemove(id, out _);
        }
        finally
        {
            kernel.Lifecycle.Release();
        }
        await StopAsync(kernel).ConfigureAwait(false);
        _log.LogInformation("kernel {KernelId} shut down", id);
        RefillPool();
    }

    private async Task StopAsync(ManagedKernel kernel)
    {
        await kernel.Lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (kernel.Removed) return;
            kernel.Removed = true;
            await StopProcessAsync(kernel, restart: false).ConfigureAwait(false);
            kernel.SetState(ExecutionStates.Dead);
        }
        finally
        {
            kernel.Lifecycle.Release();
        }
    }

    /// <summary>Shuts every kernel down.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        var all = _kernels.Values.Concat(_pool).ToList();
        _kernels.Clear();
        _pool.Clear();
        await Task.WhenAll(all.Select(StopAsync)).ConfigureAwait(false);
    }

    private async Task LaunchAsync(ManagedKernel kernel, CancellationToken cancellationToken)
    {
        var allowList = KernelLauncher.DefaultEnvironmentAllowList.Concat(_options.EnvProcessWhitelist).Distinct().ToList();
        LaunchedKernel launched;
        try
        {
            launched = KernelLauncher.Start(kernel.Spec, _options.RuntimeDirectory, kernel.Environment, allowList);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            kernel.SetState(ExecutionStates.Dead);
            throw new GatewayException(500, $"Kernel {kernel.Spec.Name} could not be started: {e.Message}", e);
        }
        // The frontend behind the WebSocket answers input_request; KernelClient would otherwise answer it itself.
        // Frontends answer input_request over their WebSocket; the gateway's own client must not.
        var client = new KernelClient(launched.Connection, _log) { AnswerInputRequests = false };
        client.MessageReceived += (channel, message) =>
        {
            if (ReferenceEquals(kernel.Client, client)) kernel.OnMessage(channel, message);
        };
        kernel.Launched = launched;
        kernel.Client = client;
        _ = WatchExitAsync(kernel, launched);
        try
        {
            var exited = launched.Process.WaitForExitAsync(cancellationToken);
            // Ready: shell answers kernel_info, stdin and control are connected, iopub delivers (WaitForReadyAsync
            // waits for all of them, for at most the start timeout).
            var ready = client.WaitForReadyAsync(_options.KernelStartTimeout, KernelChannel.Shell, cancellationToken);
            if (await Task.WhenAny(ready, exited).ConfigureAwait(false) == exited)
                throw new GatewayException(500, $"Kernel {kernel.Spec.Name} exited while starting");
            await ready.ConfigureAwait(false);
            kernel.SetState(ExecutionStates.Idle);
            _metrics.KernelStarted(kernel.Spec.Name);
        }
        catch (Exception e)
        {
            kernel.Client = null;
            client.Dispose();
            Kill(launched.Process);
            await launched.DisposeAsync().ConfigureAwait(false);
            kernel.SetState(ExecutionStates.Dead);
            if (!cancellationToken.IsCancellationRequested) _metrics.KernelStartFailed(kernel.Spec.Name);
            if (e is GatewayException or OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            throw new GatewayException(500, $"Kernel {kernel.Spec.Name} did not start: {e.Message}", e);
        }
    }

    private async Task StopProcessAsync(ManagedKernel kernel, bool restart)
    {
        var client = kernel.Client;
        var launched = kernel.Launched;
        if (launched is null) return;
        if (client is not null && !HasExited(launched.Process))
        {
            var content = JsonDocument.Parse(restart ? """{"restart":true}""" : """{"restart":false}""").RootElement.Clone();
            client.Send(KernelChannel.Control, client.CreateRequest(MessageTypes.ShutdownRequest, content));
        }
        using (var grace = new CancellationTokenSource(_options.ShutdownGracePeriod))
        {
            try { await launched.Process.WaitForExitAsync(grace.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { _log.LogWarning("kernel {KernelId} did not exit in time; killing it", kernel.Id); }
            catch (InvalidOperationException) { }
        }
        Kill(launched.Process);
        kernel.Client = null;
        kernel.Launched = null;
        client?.Dispose();
        await launched.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WatchExitAsync(ManagedKernel kernel, LaunchedKernel launched)
    {
        try
        {
            await launched.Process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            return;
        }
        if (ReferenceEquals(kernel.Launched, launched) && !kernel.Removed && kernel.ExecutionState != ExecutionStates.Restarting)
        {
            _log.LogWarning("kernel {KernelId} process exited", kernel.Id);
            kernel.SetState(ExecutionStates.Dead);
        }
    }

    private static bool HasExited(Process process)
    {
        try { return process.HasExited; }
        catch (InvalidOperationException) { return true; }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }
}
