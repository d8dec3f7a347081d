using KernelGateway.Tests;

namespace KernelGateway.Kernel.Tests;

/// <summary>Debian's <c>jupyter run</c>: it appends the files it runs to the kernelspec's arguments, which the kernel must ignore (as ipykernel does).</summary>
public sealed class JupyterRunTests
{
    [Fact]
    public async Task Jupyter_run_executes_a_file_on_the_kernel()
    {
        var jupyterPath = TestEnvironment.TempDirectory("jrun");
        TestEnvironment.WriteKernelSpec(jupyterPath, "kg-csharp-run", Path.Combine(jupyterPath, "data"), new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000" });
        var file = Path.Combine(jupyterPath, "answer.cs");
        await File.WriteAllTextAsync(file, "Console.WriteLine(6 * 7);\n");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync("/usr/bin/jupyter", ["run", "--kernel=kg-csharp-run", file],
            new Dictionary<string, string> { ["JUPYTER_PATH"] = jupyterPath, ["JUPYTER_PLATFORM_DIRS"] = "1" },
            workingDirectory: jupyterPath, timeout: TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal("42", stdout.Trim());
        Assert.DoesNotContain("unknown option", stderr);
    }
}
