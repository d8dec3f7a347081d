using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace KernelGateway.Benchmarks;

/// <summary>How to start one kind of kernel on a connection file.</summary>
public sealed record KernelKind(string Id, string DisplayName, string FileName, Func<string, IReadOnlyList<string>> Arguments,
    IReadOnlyDictionary<string, string> Environment, string TrivialCell, string ExpectedTrivialResult, string PrintCell)
{
    /// <summary>Debian's Python (the pyenv one first on PATH has no Jupyter packages).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The built <c>kernelgateway.dll</c>, from the AssemblyMetadata the project file writes.</summary>
    public static string KernelGatewayDll => Path.GetFullPath(
        typeof(KernelKind).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "KernelGatewayDll").Value
        ?? throw new InvalidOperationException("no KernelGatewayDll metadata"));

    /// <summary>The dotnet host running the benchmark, so the kernel runs on the same runtime.</summary>
    public static string DotnetHost => System.Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    /// <summary>Set by <c>--kernel PATH</c>: another build to measure (a kernelgateway.dll, or a published apphost).</summary>
    public static string? KernelOverride { get; set; }

    public static KernelKind CSharp(string dataDir) => KernelOverride is { } k && !k.EndsWith(".dll", StringComparison.Ordinal)
        ? new("csharp", "C# kernel", Path.GetFullPath(k),
            file => ["kernel", "-f", file],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = dataDir },
            "1+1", "2",
            "for (var i = 0; i < 100000; i++) Console.WriteLine(i);")
        : new("csharp", "C# kernel", DotnetHost,
        file => [Path.GetFullPath(KernelOverride ?? KernelGatewayDll), "kernel", "-f", file],
        new Dictionary<string, string> { ["KG_DATA_DIR"] = dataDir },
        "1+1", "2",
        "for (var i = 0; i < 100000; i++) Console.WriteLine(i);");

    public static KernelKind IPyKernel(string ipythonDir) => new(
        "python", "ipykernel", Python,
        file => ["-m", "ipykernel_launcher", "-f", file],
        new Dictionary<string, string> { ["IPYTHONDIR"] = ipythonDir },
        "1+1", "2",
        "for i in range(100000): print(i)");
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

    private KernelProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        Id = process.Id;
        Running[Id] = this;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

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
    public static KernelProcess StartCommand(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new KernelProcess(process, name);
    }

    /// <summary>The ids of this process's direct children (from /proc: each thread lists the children it started).</summary>
    public IReadOnlyList<int> ChildIds()
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{Id}/task"))
            {
                try { children.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)); }
                catch (IOException) { }
            }
        }
        catch (IOException) { }
        return children;
    }

    public static KernelProcess Start(KernelKind kind, string connectionFile)
    {
        var psi = new ProcessStartInfo(kind.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var a in kind.Arguments(connectionFile)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in kind.Environment) psi.Environment[k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {kind.FileName}");
        return new KernelProcess(process, kind.DisplayName);
    }

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
