using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace KernelGateway.Benchmarks;

/// <summary>How to start one kind of kernel on a connection file.</summary>
/// <param name="CollectCell">A cell that makes the kernel collect its garbage (before memory is sampled for growth).</param>
public sealed record KernelKind(string Id, string DisplayName, string FileName, Func<string, IReadOnlyList<string>> Arguments,
    IReadOnlyDictionary<string, string> Environment, string TrivialCell, string ExpectedTrivialResult, string PrintCell, string CollectCell)
{
    /// <summary>Debian's Python (the pyenv one first on PATH has no Jupyter packages).</summary>
    public const string Python = "/usr/bin/python3";

    private const string CSharpPrintCell = "for (var i = 0; i < 100000; i++) Console.WriteLine(i);";

    /// <summary>A full, compacting collection that also gives freed memory back to the OS (GCCollectionMode.Aggressive).</summary>
    private const string CSharpCollectCell =
        "System.GC.Collect(2, System.GCCollectionMode.Aggressive, true, true); System.GC.WaitForPendingFinalizers(); System.GC.Collect(2, System.GCCollectionMode.Aggressive, true, true);";

    /// <summary>The built <c>kernelgateway.dll</c>, from the AssemblyMetadata the project file writes.</summary>
    public static string KernelGatewayDll => Path.GetFullPath(
        typeof(KernelKind).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "KernelGatewayDll").Value
        ?? throw new InvalidOperationException("no KernelGatewayDll metadata"));

    /// <summary>The dotnet host running the benchmark, so the kernel runs on the same runtime.</summary>
    public static string DotnetHost => System.Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    /// <summary>Set by <c>--kernel PATH</c>: another build to measure (a kernelgateway.dll, or a published apphost).</summary>
    public static string? KernelOverride { get; set; }

    /// <summary>
    /// The process settings our C# kernel runs with in every suite: its kernelspec's env (as <c>kernelgateway
    /// kernelspec</c> prints it, <see cref="ReadKernelSpecEnvironment"/>), then <c>--kernel-env NAME=VALUE</c> (an empty
    /// value removes a setting).
    /// </summary>
    public static Dictionary<string, string> KernelEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>Fills <see cref="KernelEnvironment"/> with the env of the kernelspec the measured build writes.</summary>
    public static void ReadKernelSpecEnvironment()
    {
        var argv = CSharpArgv("{connection_file}");
        var psi = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in argv[1..^3]) psi.ArgumentList.Add(a); // without "kernel -f {connection_file}"
        psi.ArgumentList.Add("kernelspec");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {argv[0]}");
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{argv[0]} kernelspec exited with {process.ExitCode}");
        if (System.Text.Json.Nodes.JsonNode.Parse(json)?["env"] is System.Text.Json.Nodes.JsonObject env)
            foreach (var (name, value) in env) KernelEnvironment[name] = value?.GetValue<string>() ?? "";
    }

    /// <summary>The directory of the kernel being measured (its kernelgateway.dll or apphost).</summary>
    public static string KernelDirectory => Path.GetDirectoryName(Path.GetFullPath(KernelOverride ?? KernelGatewayDll))!;

    /// <summary>The argv that starts our kernel (this build, or <c>--kernel</c>) on <paramref name="connectionFile"/>.</summary>
    public static string[] CSharpArgv(string connectionFile) => KernelOverride is { } k && !k.EndsWith(".dll", StringComparison.Ordinal)
        ? [Path.GetFullPath(k), "kernel", "-f", connectionFile]
        : [DotnetHost, Path.GetFullPath(KernelOverride ?? KernelGatewayDll), "kernel", "-f", connectionFile];

    /// <summary>Our C# kernel with the <c>--kernel-env</c> settings, plus <paramref name="extra"/> (a variant of the matrix).</summary>
    public static KernelKind CSharp(string dataDir, string id = "csharp", string displayName = "C# kernel", IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>(KernelEnvironment, StringComparer.Ordinal) { ["KG_DATA_DIR"] = dataDir };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) environment[k] = v;
        var argv = CSharpArgv("{connection_file}");
        return new(id, displayName, argv[0],
            file => [.. argv[1..].Select(a => a == "{connection_file}" ? file : a)],
            environment, "1+1", "2", CSharpPrintCell, CSharpCollectCell);
    }

    public static KernelKind IPyKernel(string ipythonDir) => new(
        "python", "ipykernel", Python,
        file => ["-m", "ipykernel_launcher", "-f", file],
        new Dictionary<string, string> { ["IPYTHONDIR"] = ipythonDir },
        "1+1", "2",
        "for i in range(100000): print(i)",
        "import gc; gc.collect();");

    /// <summary>
    /// .NET Interactive's own Jupyter kernel, from the argv of the kernelspec its <c>jupyter install</c> wrote, with the
    /// leading <c>dotnet interactive</c> (a global tool) replaced by the tool's <paramref name="apphost"/>.
    /// </summary>
    public static KernelKind DotnetInteractive(string apphost, IReadOnlyList<string> specArgv, IReadOnlyDictionary<string, string> environment)
    {
        var argv = specArgv.ToArray() is ["dotnet", "interactive", .. var rest] ? rest : specArgv.Skip(1).ToArray();
        return new("dotnet-interactive", "dotnet-interactive", apphost,
            file => [.. argv.Select(a => a == "{connection_file}" ? file : a)],
            environment, "1+1", "2", CSharpPrintCell, CSharpCollectCell) { ResultMimeType = "text/html" };
    }

    /// <summary>The MIME type that shows the trivial cell's result: text/plain, but .NET Interactive sends only text/html.</summary>
    public string ResultMimeType { get; init; } = "text/plain";

    /// <summary>Whether <paramref name="shown"/> (the <see cref="ResultMimeType"/> value) is the trivial cell's expected result.</summary>
    public bool IsTrivialResult(string? shown) => ResultMimeType == "text/plain"
        ? shown == ExpectedTrivialResult
        : shown?.Contains($"<pre>{ExpectedTrivialResult}</pre>", StringComparison.Ordinal) == true;

    /// <summary>The variables this kind sets beyond the harness's own bookkeeping (data and IPython directories).</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings =>
        Environment.Where(e => e.Key is not ("KG_DATA_DIR" or "IPYTHONDIR")).OrderBy(e => e.Key, StringComparer.Ordinal);
}

/// <summary>
/// A started kernel process. Its stdout and stderr are drained (the last lines kept for error messages);
/// every instance is registered so <see cref="KillAll"/> can end whatever is still running.
/// </summary>
public sealed class KernelProcess : IDisposable
{
    private static readonly ConcurrentDictionary<int, KernelProcess> Running = new();
    private readonly Queue<string> _tail = new();
    private readonly Process _process;

    private KernelProcess(Process process, string name, Action<string>? onOutputLine)
    {
        _process = process;
        Name = name;
        Id = process.Id;
        Running[Id] = this;
        _process.OutputDataReceived += (_, e) =>
        {
            Keep(e.Data);
            if (e.Data is not null) onOutputLine?.Invoke(e.Data);
        };
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    /// <summary>The process's stdin, when it was started with <c>redirectInput</c>.</summary>
    public StreamWriter StandardInput => _process.StandardInput;

    public int Id { get; }

    public bool HasExited
    {
        get
        {
            try { return _process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    /// <summary>The last lines the kernel wrote to stdout or stderr.</summary>
    public string Tail
    {
        get { lock (_tail) return string.Join(System.Environment.NewLine, _tail); }
    }

    /// <summary>Starts any process (a server) under the same bookkeeping: output drained, killed by <see cref="KillAll"/>.</summary>
    /// <param name="onOutputLine">With <paramref name="redirectInput"/>, a line protocol with a child: its stdout lines, from the first.</param>
    public static KernelProcess StartCommand(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        bool redirectInput = false, Action<string>? onOutputLine = null)
    {
        var psi = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new KernelProcess(process, name, onOutputLine);
    }

    /// <summary>The ids of this process's direct children.</summary>
    public IReadOnlyList<int> ChildIds() => KernelGateway.Tests.ProcessTree.ChildIds(Id);

    public static KernelProcess Start(KernelKind kind, string connectionFile) =>
        StartCommand(kind.DisplayName, kind.FileName, kind.Arguments(connectionFile), kind.Environment);

    /// <summary>A field of /proc/&lt;pid&gt;/status in kB (VmRSS, VmHWM), or null when it cannot be read.</summary>
    public long? StatusKilobytes(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Id}/status"))
            {
                if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
                var parts = line[(field.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>RSS, USS and PSS from /proc/&lt;pid&gt;/smaps_rollup, or null when it cannot be read.</summary>
    public MemorySample? Memory() => MemorySample.Read(Id);

    /// <summary>Kills the process (and its children) and waits for it, at most a few seconds.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
        Running.TryRemove(Id, out _);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>Kills every kernel still running (at the end, on failure, on Ctrl+C).</summary>
    public static void KillAll()
    {
        foreach (var k in Running.Values) k.Kill();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 40) _tail.Dequeue();
        }
    }
}
