using System.Diagnostics;
using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;
using KernelGateway.Tests;

namespace KernelGateway.Notebooks.Tests;

/// <summary>
/// What a run leaves behind when something goes wrong, with Debian's python3 kernel: a kernel killed with SIGKILL
/// mid-cell, the runner itself killed with SIGKILL, the run's time limit. Every time a complete, valid notebook.
/// </summary>
public sealed class RunRecordTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>A python notebook whose second cell writes the kernel's pid to a file, says goodbye on the kernel's stderr, and sleeps.</summary>
    private static string Notebook() => new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = "python3", ["display_name"] = "Python 3", ["language"] = "python" } },
        ["cells"] = new JsonArray(
            Code("p", "pidfile = ''", "parameters"),
            Code("a", "print('first')"),
            Code("b", "import os, sys, time\nsys.__stderr__.write('goodbye from pid %d\\n' % os.getpid()); sys.__stderr__.flush()\nopen(pidfile + '.tmp', 'w').write(str(os.getpid()))\nos.rename(pidfile + '.tmp', pidfile)\ntime.sleep(120)"),
            Code("c", "print('never')")),
    }.ToJsonString();

    private static JsonObject Code(string id, string source, string? tag = null) => new()
    {
        ["id"] = id, ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = source,
        ["metadata"] = tag is null ? new JsonObject() : new JsonObject { ["tags"] = new JsonArray(tag) },
    };

    private static (Process Runner, string PidFile, string Output) Start(params string[] more)
    {
        var dir = TestEnvironment.TempDirectory("record");
        var input = Path.Combine(dir, "in.ipynb");
        File.WriteAllText(input, Notebook());
        var pidFile = Path.Combine(dir, "kernel.pid");
        var output = Path.Combine(dir, "out.ipynb");
        var psi = new ProcessStartInfo(TestEnvironment.DotnetHost) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { TestEnvironment.KernelGatewayDll, "run", input, "-o", output, "-r", "pidfile", pidFile }.Concat(more)) psi.ArgumentList.Add(a);
        psi.Environment["KG_DATA_DIR"] = TestEnvironment.TempDirectory("record-data");
        var runner = Process.Start(psi)!;
        runner.OutputDataReceived += (_, _) => { };
        runner.BeginOutputReadLine();
        return (runner, pidFile, output);
    }

    /// <summary>Waits for the kernel to be inside the sleeping cell: its pid file appears (written by rename, so whole).</summary>
    private static async Task<int> KernelPidAsync(string pidFile, Process runner)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (!File.Exists(pidFile))
        {
            Assert.False(runner.HasExited, "the runner ended before the kernel reached the sleeping cell");
            await Task.Delay(50, cts.Token);
        }
        return int.Parse(await File.ReadAllTextAsync(pidFile, cts.Token), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<JsonNode> ValidAsync(string output)
    {
        var (exit, _, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python,
            ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", output]);
        Assert.True(exit == 0, stderr);
        return JsonNode.Parse(await File.ReadAllTextAsync(output))!;
    }

    private static List<JsonObject> CodeCells(JsonNode nb) => nb["cells"]!.AsArray().OfType<JsonObject>().Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();

    private static string Status(JsonObject cell) => cell["metadata"]!["papermill"]!["status"]!.GetValue<string>();

    [Fact]
    public async Task A_kernel_killed_mid_cell_fails_the_run_at_that_cell_with_its_last_words()
    {
        var (runner, pidFile, output) = Start("--report-mode", "--log-output");
        var stderr = runner.StandardError.ReadToEndAsync();
        var pid = await KernelPidAsync(pidFile, runner);
        Process.GetProcessById(pid).Kill();
        await runner.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
        Assert.Equal(1, runner.ExitCode);

        var nb = await ValidAsync(output);
        var code = CodeCells(nb);
        Assert.Equal(["completed", "completed", "completed", "failed", "pending"], code.Select(Status)); // parameters, injected, a, b, c
        var error = code[3]["outputs"]![0]!;
        Assert.Equal("DeadKernelError", error["ename"]!.GetValue<string>());
        Assert.Contains($"goodbye from pid {pid}", string.Join('\n', error["traceback"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.True(nb["metadata"]!["papermill"]!["exception"]!.GetValue<bool>());
        Assert.All(code, c => Assert.True(c["metadata"]!["jupyter"]!["source_hidden"]!.GetValue<bool>()));
        var log = await stderr;
        Assert.Contains("cell 4/5 running", log);
        Assert.Contains("first", log);
        Assert.Contains("DeadKernelError", log);
    }

    [Fact]
    public async Task A_runner_killed_mid_run_leaves_a_complete_notebook_showing_the_running_cell()
    {
        var (runner, pidFile, output) = Start();
        var pid = await KernelPidAsync(pidFile, runner);
        runner.Kill();
        await runner.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
        try
        {
            var nb = await ValidAsync(output);
            Assert.Equal(["completed", "completed", "completed", "running", "pending"], CodeCells(nb).Select(Status));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, ".out.ipynb.*.tmp"));
        }
        finally
        {
            try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
        }
    }

    [Fact]
    public async Task A_run_past_its_time_limit_fails_at_the_cell_that_was_running()
    {
        var (runner, _, output) = Start("--run-timeout", "3");
        var stdout = runner.StandardError.ReadToEndAsync();
        await runner.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
        Assert.Equal(1, runner.ExitCode);
        var code = CodeCells(await ValidAsync(output));
        Assert.Equal(["completed", "completed", "completed", "failed", "pending"], code.Select(Status)); // parameters, injected, a, b, c
        Assert.Equal("TimeoutError", code[3]["outputs"]![0]!["ename"]!.GetValue<string>());
        Assert.Contains("run timed out", code[3]["outputs"]![0]!["evalue"]!.GetValue<string>());
        await stdout;
    }
}
