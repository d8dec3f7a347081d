using System.Diagnostics;
using KernelGateway.Protocol;
using KernelGateway.Zmq;

namespace KernelGateway.Tests;

/// <summary>A real kernel process (the built kernelgateway kernel) on a fresh connection file, with a client.</summary>
public sealed class KernelProcessHandle : IAsyncDisposable
{
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _stderrWaits = [];

    private readonly IReadOnlyDictionary<string, string> _environment;

    private KernelProcessHandle(Process process, ConnectionInfo info, string connectionFile, string dataDir, IReadOnlyDictionary<string, string> environment)
    {
        _environment = environment;
        Process = process;
        Connection = info;
        ConnectionFile = connectionFile;
        DataDirectory = dataDir;
    }

    /// <summary>The kernel process.</summary>
    public Process Process { get; private set; }

    /// <summary>The connection.</summary>
    public ConnectionInfo Connection { get; }

    /// <summary>The connection file.</summary>
    public string ConnectionFile { get; }

    /// <summary>The kernel's data directory (history).</summary>
    public string DataDirectory { get; }

    /// <summary>What the kernel wrote to stderr.</summary>
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>
    /// Starts a kernel; waits until it answers kernel_info, iopub is connected and (unless <paramref name="warm"/> is
    /// false) its engine has started.
    /// </summary>
    public static async Task<(KernelProcessHandle Kernel, KernelClient Client)> StartAsync(string? dataDir = null, bool keepAllMessages = false,
        IReadOnlyDictionary<string, string>? environment = null, bool warm = true)
    {
        environment ??= new Dictionary<string, string>();
        var dir = TestEnvironment.TempDirectory("kernel");
        dataDir ??= Path.Combine(dir, "data");
        var file = Path.Combine(dir, "connection.json");
        var info = ConnectionInfo.CreateLocal();
        info.Save(file);
        var handle = new KernelProcessHandle(Launch(file, dataDir, environment), info, file, dataDir, environment);
        var client = await handle.ConnectAsync(keepAllMessages, warm);
        return (handle, client);
    }

    private static Process Launch(string file, string dataDir, IReadOnlyDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo(TestEnvironment.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        psi.ArgumentList.Add(TestEnvironment.KernelGatewayDll);
        psi.ArgumentList.Add("kernel");
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add(file);
        psi.Environment["KG_DATA_DIR"] = dataDir;
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    /// <summary>Connects a new client and waits for the kernel to answer (and, when <paramref name="warm"/>, for its engine).</summary>
    public async Task<KernelClient> ConnectAsync(bool keepAllMessages = false, bool warm = true)
    {
        Process.ErrorDataReceived -= OnStderr;
        Process.ErrorDataReceived += OnStderr;
        try { Process.BeginErrorReadLine(); } catch (InvalidOperationException) { }
        var client = new KernelClient(Connection, keepAllMessages: keepAllMessages);
        await client.WaitForReadyAsync(TimeSpan.FromSeconds(60));
        await client.IOPubConnected.WaitAsync(TimeSpan.FromSeconds(30));
        // The engine warms up in the background; a silent cell waits for it, so tests start on a ready kernel.
        if (warm) await client.ExecuteAsync("", silent: true, storeHistory: false, cancellationToken: TestTime.Soon(60));
        return client;
    }

    /// <summary>Starts the kernel again on the same connection file (after it exited for a restart).</summary>
    public void Relaunch()
    {
        if (!Process.HasExited) throw new InvalidOperationException("the kernel is still running");
        Process = Launch(ConnectionFile, DataDirectory, _environment);
    }

    /// <summary>Completes when what the kernel wrote to stderr (all of it so far) satisfies <paramref name="match"/>.</summary>
    public Task WaitForStderrAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderr)
        {
            if (match(_stderr.ToString())) return Task.CompletedTask;
            _stderrWaits.Add((match, seen));
        }
        return seen.Task.WaitAsync(cancellationToken);
    }

    private void OnStderr(object? sender, DataReceivedEventArgs e)
    {
        if (e.Data is null) return;
        lock (_stderr)
        {
            _stderr.AppendLine(e.Data);
            if (_stderrWaits.Count == 0) return;
            var text = _stderr.ToString();
            foreach (var wait in _stderrWaits.Where(w => w.Match(text)).ToList())
            {
                wait.Seen.TrySetResult();
                _stderrWaits.Remove(wait);
            }
        }
    }

    /// <summary>Kills the kernel if it is still running.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { }
        Process.Dispose();
    }
}
