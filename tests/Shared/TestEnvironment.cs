using System.Diagnostics;
using System.Reflection;
using KernelGateway.Protocol;

namespace KernelGateway.Tests;

/// <summary>Where the built programs and the system tools the tests use are.</summary>
public static class TestEnvironment
{
    private static string Metadata(string key) =>
        typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value
        ?? throw new InvalidOperationException(key);

    /// <summary>The built <c>kernelgateway.dll</c> (the Cli project's output).</summary>
    public static string KernelGatewayDll => Path.GetFullPath(Metadata("KernelGatewayDll"));

    /// <summary>The repository root.</summary>
    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    /// <summary>The dotnet host running the tests.</summary>
    public static string DotnetHost => Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    /// <summary>Debian's Python (never the pyenv one first on PATH: Jupyter's packages are Debian's).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>A new empty temporary directory.</summary>
    public static string TempDirectory(string prefix)
    {
        var d = Path.Combine(Path.GetTempPath(), $"kg-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>The argv that starts our kernel on a connection file.</summary>
    public static string[] KernelArgv(string connectionFile) => [DotnetHost, KernelGatewayDll, "kernel", "-f", connectionFile];

    /// <summary>Writes a kernelspec for the built kernel into <c>{dir}/kernels/{name}</c>, with <paramref name="environment"/> added to its env; returns <paramref name="dir"/>.</summary>
    public static string WriteKernelSpec(string dir, string name, string dataDir, IReadOnlyDictionary<string, string>? environment = null)
    {
        var spec = Path.Combine(dir, "kernels", name);
        Directory.CreateDirectory(spec);
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["argv"] = new System.Text.Json.Nodes.JsonArray(DotnetHost, KernelGatewayDll, "kernel", "-f", "{connection_file}"),
            ["display_name"] = "C# (KernelGateway test)",
            ["language"] = "C#",
            ["interrupt_mode"] = "message",
            ["env"] = new System.Text.Json.Nodes.JsonObject { ["KG_DATA_DIR"] = dataDir },
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) json["env"]![k] = v;
        File.WriteAllText(Path.Combine(spec, "kernel.json"), json.ToJsonString());
        return dir;
    }

    /// <summary>
    /// Executes a notebook with Debian's nbclient (a real Jupyter client) on the kernelspecs under <paramref name="jupyterPath"/>
    /// and writes the executed notebook to <paramref name="output"/>; returns the number of error outputs, or throws
    /// with nbclient's output when it fails.
    /// </summary>
    public static async Task<int> ExecuteWithNbclientAsync(string notebook, string jupyterPath, string output, string kernelName = ".net-csharp")
    {
        var (exit, stdout, stderr) = await RunAsync(Python, ["-c", """
            import sys, nbformat
            from nbclient import NotebookClient
            nb = nbformat.read(sys.argv[1], as_version=4)
            NotebookClient(nb, timeout=300, kernel_name=sys.argv[3]).execute()
            nbformat.write(nb, sys.argv[2])
            print(len([o for c in nb.cells if c.cell_type == 'code' for o in c.outputs if o.output_type == 'error']))
            """, notebook, output, kernelName], new Dictionary<string, string> { ["JUPYTER_PATH"] = jupyterPath }, timeout: TimeSpan.FromMinutes(5));
        if (exit != 0) throw new InvalidOperationException($"nbclient failed ({exit}): {stdout}{stderr}");
        return int.Parse(stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a process to completion and returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env = null, string? workingDirectory = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish; stderr so far: {(stderr.IsCompleted ? stderr.Result : "")}");
        }
        return (p.ExitCode, await stdout, await stderr);
    }
}
