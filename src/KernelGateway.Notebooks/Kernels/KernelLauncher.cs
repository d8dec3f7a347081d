using System.Diagnostics;
using KernelGateway.Protocol;
using KernelGateway.Zmq;

namespace KernelGateway.Notebooks.Kernels;

/// <summary>A kernel process started from a kernelspec, with its connection file.</summary>
public sealed class LaunchedKernel : IAsyncDisposable
{
    private readonly StderrTail? _stderr;

    internal LaunchedKernel(KernelSpec spec, Process process, ConnectionInfo connection, string connectionFile, StderrTail? stderr)
    {
        Spec = spec;
        Process = process;
        Connection = connection;
        ConnectionFile = connectionFile;
        _stderr = stderr;
    }

    /// <summary>The end of what the kernel wrote to stderr (its last words when it dies), when started with <c>captureStderr</c>; else empty.</summary>
    public string LastWords => _stderr?.Text ?? "";

    /// <summary>Completes when the process exits.</summary>
    public Task Exited => Process.WaitForExitAsync();

    /// <summary>Interrupts the kernel as its kernelspec says: <c>interrupt_request</c> on control, or SIGINT.</summary>
    public Task InterruptAsync(KernelClient client, CancellationToken cancellationToken) =>
        KernelInterrupt.InterruptAsync(Spec, Process.HasExited ? null : Process.Id, client, cancellationToken);

    /// <summary>The kernelspec it was started from.</summary>
    public KernelSpec Spec { get; }

    /// <summary>The process.</summary>
    public Process Process { get; }

    /// <summary>The connection.</summary>
    public ConnectionInfo Connection { get; }

    /// <summary>The connection file (deleted on dispose).</summary>
    public string ConnectionFile { get; }

    /// <summary>Kills the process if it is still running and deletes the connection file.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited)
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try { await Process.WaitForExitAsync(grace.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { Process.Kill(entireProcessTree: true); }
            }
        }
        catch (InvalidOperationException) { }
        Process.Dispose();
        try { File.Delete(ConnectionFile); } catch (IOException) { }
    }
}

/// <summary>
/// Starts kernels from kernelspecs: a fresh connection file (random ports, random key, owner-only), argv with
/// <c>{connection_file}</c> substituted, and an allow-listed environment — never the launcher's own secrets.
/// </summary>
public static class KernelLauncher
{
    /// <summary>Environment variables passed through to kernels by default.</summary>
    public static readonly IReadOnlyList<string> DefaultEnvironmentAllowList =
        ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "SHELL", "TERM",
         "PYTHONPATH", "JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR",
         "DOTNET_ROOT", "DOTNET_CLI_HOME", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_NOLOGO", "NUGET_PACKAGES",
         "KG_DATA_DIR", "KG_LOG_LEVEL", "KG_WAREHOUSE_ROWS", "KG_CONNECTIONS", "KG_METASTORE_TTL", "KG_METASTORE_TIMEOUT"];

    /// <summary>Starts a kernel.</summary>
    /// <param name="spec">The kernelspec.</param>
    /// <param name="runtimeDirectory">Where the connection file goes.</param>
    /// <param name="extraEnvironment">Variables set on top of the allow-listed ones (e.g. <c>KERNEL_*</c> from a request).</param>
    /// <param name="allowList">Variables taken from this process; <see cref="DefaultEnvironmentAllowList"/> by default.</param>
    /// <param name="captureStderr">Read the kernel's stderr (passed on to ours) and keep its end as <see cref="LaunchedKernel.LastWords"/>.</param>
    public static LaunchedKernel Start(KernelSpec spec, string runtimeDirectory, IReadOnlyDictionary<string, string>? extraEnvironment = null, IEnumerable<string>? allowList = null,
        bool captureStderr = false)
    {
        Directory.CreateDirectory(runtimeDirectory);
        var connection = ConnectionInfo.CreateLocal() with { KernelName = spec.Name };
        var file = Path.Combine(runtimeDirectory, $"kernel-{Guid.NewGuid():N}.json");
        connection.Save(file);
        var argv = spec.Argv.Select(a => a.Replace("{connection_file}", file, StringComparison.Ordinal)
            .Replace("{resource_dir}", spec.ResourceDirectory, StringComparison.Ordinal)).ToList();
        if (argv.Count == 0) throw new InvalidOperationException($"kernelspec {spec.Name} has an empty argv");
        var psi = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = captureStderr,
        };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        foreach (var name in allowList ?? DefaultEnvironmentAllowList)
            if (Environment.GetEnvironmentVariable(name) is { } v) psi.Environment[name] = v;
        psi.Environment["JPY_PARENT_PID"] = Environment.ProcessId.ToString();
        foreach (var (k, v) in spec.Env) psi.Environment[k] = Substitute(v, psi.Environment);
        if (extraEnvironment is not null) foreach (var (k, v) in extraEnvironment) psi.Environment[k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {argv[0]}");
        StderrTail? tail = null;
        if (captureStderr)
        {
            tail = new StderrTail();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                tail.Add(e.Data);
                Console.Error.WriteLine(e.Data);
            };
            process.BeginErrorReadLine();
        }
        return new LaunchedKernel(spec, process, connection, file, tail);
    }

    private static string Substitute(string value, IDictionary<string, string?> env) =>
        System.Text.RegularExpressions.Regex.Replace(value, @"\$\{(\w+)\}", m => env.TryGetValue(m.Groups[1].Value, out var v) ? v ?? "" : "");
}
