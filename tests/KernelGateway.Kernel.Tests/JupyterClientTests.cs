using System.Text.Json;
using KernelGateway.Tests;

namespace KernelGateway.Kernel.Tests;

/// <summary>Real Jupyter clients (Debian's jupyter_client and jupyter-console) drive the kernel end to end.</summary>
public sealed class JupyterClientTests
{
    [Fact]
    public async Task Jupyter_clients_BlockingKernelClient_runs_csharp_cells()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using var _ = kernel;
        client.Dispose();
        var script = Path.Combine(AppContext.BaseDirectory, "python", "blocking_client.py");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python,
            [script, kernel.ConnectionFile, "var greeting = \"hello from C#\";", "Console.WriteLine(greeting); greeting.Length"]);
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var results = doc.RootElement.GetProperty("results");
        Assert.Equal("ok", results[0].GetProperty("status").GetString());
        var outputs = results[1].GetProperty("outputs").EnumerateArray().ToList();
        Assert.Contains(outputs, o => o.GetProperty("type").GetString() == "stream" && o.GetProperty("content").GetProperty("text").GetString() == "hello from C#\n");
        Assert.Contains(outputs, o => o.GetProperty("type").GetString() == "execute_result" && o.GetProperty("content").GetProperty("data").GetProperty("text/plain").GetString() == "13");
        Assert.Equal("C#", doc.RootElement.GetProperty("language").GetString());
    }

    [Fact]
    public async Task Jupyter_console_runs_csharp_cells_against_an_existing_kernel()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using var _ = kernel;
        client.Dispose();
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync("/usr/bin/jupyter-console",
            ["--existing", kernel.ConnectionFile, "--simple-prompt"],
            stdin: "var x = 6 * 7;\nx\nConsole.WriteLine($\"hi {x}\");\nif (x > 0) {\nConsole.WriteLine(\"multi-line\");\n}\n",
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("C# (KernelGateway)", stdout);
        Assert.Contains("Out[2]: 42", stdout);
        Assert.Contains("hi 42", stdout);
        Assert.Contains("multi-line", stdout);
        Assert.False(kernel.Process.HasExited);
    }
}
