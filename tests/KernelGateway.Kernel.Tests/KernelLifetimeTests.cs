using System.Diagnostics;
using KernelGateway.Protocol;
using KernelGateway.Tests;

namespace KernelGateway.Kernel.Tests;

/// <summary>A kernel does not outlive the process that launched it, and SIGTERM stops it cleanly.</summary>
public sealed class KernelLifetimeTests
{
    private static bool Running(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static async Task<bool> WaitUntilGone(int pid)
    {
        for (var i = 0; i < 600 && Running(pid); i++) await Task.Delay(100);
        return !Running(pid);
    }

    [Fact]
    public async Task A_kernel_exits_when_the_parent_named_by_JPY_PARENT_PID_exits()
    {
        var dir = TestEnvironment.TempDirectory("orphan");
        var file = Path.Combine(dir, "c.json");
        ConnectionInfo.CreateLocal().Save(file);
        var pidFile = Path.Combine(dir, "kernel.pid");
        // The shell launches the kernel in the background, names itself as its parent, waits until the kernel
        // is up, then exits: the kernel must notice and stop.
        var script = $"export JPY_PARENT_PID=$$; export KG_DATA_DIR='{dir}'; '{TestEnvironment.DotnetHost}' '{TestEnvironment.KernelGatewayDll}' kernel -f '{file}' >/dev/null 2>&1 & echo $! > '{pidFile}'; sleep 3";
        var (exit, _, stderr) = await TestEnvironment.RunAsync("/bin/bash", ["-c", script]);
        Assert.True(exit == 0, stderr);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(await WaitUntilGone(pid), $"kernel {pid} still runs after its parent exited");
    }

    [Fact]
    public async Task SIGTERM_stops_the_kernel_with_exit_code_0()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using var _ = kernel;
        client.Dispose();
        using (var kill = Process.Start("kill", ["-TERM", kernel.Process.Id.ToString()])) await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await kernel.Process.WaitForExitAsync(cts.Token);
        Assert.Equal(0, kernel.Process.ExitCode);
    }

    [Fact]
    public async Task SIGINT_interrupts_the_running_cell_instead_of_stopping_the_kernel()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using var _ = kernel;
        using var __ = client;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = client.ExecuteAsync("while (true) { await Task.Delay(10, CellToken); }", cancellationToken: cts.Token);
        await Task.Delay(1000);
        using (var kill = Process.Start("kill", ["-INT", kernel.Process.Id.ToString()])) await kill.WaitForExitAsync();
        var outcome = await running;
        Assert.Equal("OperationCanceledException", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.False(kernel.Process.HasExited);
        Assert.Equal("ok", (await client.ExecuteAsync("1", cancellationToken: cts.Token)).Status);
    }
}
