using System.Text.RegularExpressions;
using KernelGateway.Tests;

namespace KernelGateway.Kernel.Tests;

/// <summary>Runs Debian's jupyter_kernel_test suite once against the built kernel, through a generated kernelspec.</summary>
public sealed class JupyterKernelTestRun : IAsyncLifetime
{
    public Dictionary<string, string> Results { get; } = new();
    public string Output { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var jupyterPath = TestEnvironment.TempDirectory("jkt");
        TestEnvironment.WriteKernelSpec(jupyterPath, "kg-csharp-test", Path.Combine(jupyterPath, "data"));
        var script = Path.Combine(AppContext.BaseDirectory, "python", "test_csharp_kernel.py");
        var (_, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python, ["-m", "unittest", "-v", "test_csharp_kernel"],
            new Dictionary<string, string> { ["JUPYTER_PATH"] = jupyterPath, ["KG_TEST_KERNEL"] = "kg-csharp-test", ["JUPYTER_PLATFORM_DIRS"] = "1" },
            workingDirectory: Path.GetDirectoryName(script), timeout: TimeSpan.FromMinutes(5));
        Output = stdout + stderr;
        // unittest -v prints "test_x (module.Class.test_x) ... ok", and for a failing subtest an indented
        // line "test_x (module.Class.test_x) (status='invalid') ... FAIL".
        foreach (Match m in Regex.Matches(Output, @"^\s*(test_\w+) \([\w.]+\)(?: \([^)]*\))? \.\.\. ?(ok|FAIL|ERROR|skipped.*)?\s*$", RegexOptions.Multiline))
        {
            var name = m.Groups[1].Value;
            var result = m.Groups[2].Success ? m.Groups[2].Value : "";
            if (result.Length == 0) { Results.TryAdd(name, "ok"); continue; }
            if (!Results.TryGetValue(name, out var previous) || previous == "ok") Results[name] = result;
        }
        if (!Output.Contains("\nOK")) foreach (var k in Results.Keys.ToList()) if (Output.Contains($"FAIL: {k} ") || Output.Contains($"ERROR: {k} ")) Results[k] = "FAIL";
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class JupyterKernelTestSuite(JupyterKernelTestRun run) : IClassFixture<JupyterKernelTestRun>
{
    [Theory]
    [InlineData("test_kernel_info")]
    [InlineData("test_execute_stdout")]
    [InlineData("test_execute_stderr")]
    [InlineData("test_completion")]
    [InlineData("test_is_complete")]
    [InlineData("test_pager")]
    [InlineData("test_error")]
    [InlineData("test_execute_result")]
    [InlineData("test_display_data")]
    [InlineData("test_history")]
    [InlineData("test_inspect")]
    [InlineData("test_clear_output")]
    public void Passes_jupyter_kernel_test(string test)
    {
        Assert.True(run.Results.TryGetValue(test, out var result), $"{test} did not run:\n{run.Output}");
        Assert.True(result == "ok", $"{test}: {result}\n{run.Output}");
    }

    [Fact]
    public void Skips_no_test_for_lack_of_a_sample()
    {
        Assert.NotEmpty(run.Results);
        Assert.DoesNotContain(run.Results, r => r.Value.StartsWith("skipped", StringComparison.Ordinal));
        Assert.Contains("OK", run.Output);
    }
}
