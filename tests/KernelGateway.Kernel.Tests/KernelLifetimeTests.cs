using System.Diagnostics;
using KernelGateway.Protocol;
using KernelGateway.Tests;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Kernel.Tests;

/// <summary>A kernel does not outlive the process that launched it, SIGTERM stops it cleanly, and SIGINT stops the cell, not the kernel.</summary>
public sealed class KernelLifetimeTests
{
    [Fact]
    public async Task A_kernel_exits_when_the_parent_named_by_JPY_PARENT_PID_exits()
    {
        var dir = TestEnvironment.TempDirectory("orphan");
        var file = Path.Combine(dir, "c.json");
        var info = ConnectionInfo.CreateLocal();
        info.Save(file);
        var pidFile = Path.Combine(dir, "kernel.pid");
        // The shell launches the kernel in the background, names itself as its parent, and exits when the test
        // closes its stdin: once the kernel is up, so that it watches its parent by then.
        var script = $"export JPY_PARENT_PID=$$; export KG_DATA_DIR='{dir}'; '{TestEnvironment.DotnetHost}' '{TestEnvironment.KernelGatewayDll}' kernel -f '{file}' >/dev/null 2>&1 & echo $! > '{pidFile}'; read -r _ || true";
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using var parent = Process.Start(psi)!;
        int? pid = null;
        try
        {
            using (var client = new KernelClient(info))
                await client.WaitForReadyAsync(TimeSpan.FromSeconds(60)); // it answers once it watches its parent
            pid = int.Parse(File.ReadAllText(pidFile).Trim());
            parent.StandardInput.Close();
            await parent.WaitForExitAsync(Soon(60));
            await ProcessWatch.ExitedAsync(pid.Value, Soon(60)); // cancelled (a failure) if the kernel outlives its parent
        }
        finally
        {
            if (!parent.HasExited) parent.Kill();
            if (pid is { } p && ProcessWatch.Running(p)) Process.GetProcessById(p).Kill();
        }
    }

    [Fact]
    public async Task SIGTERM_stops_the_kernel_with_exit_code_0()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using var _ = kernel;
        client.Dispose();
        using (var kill = Process.Start("kill", ["-TERM", kernel.Process.Id.ToString()])) await kill.WaitForExitAsync();
        await kernel.Process.WaitForExitAsync(Soon(60));
        Assert.Equal(0, kernel.Process.ExitCode);
    }

    [Fact]
    public async Task SIGINT_interrupts_the_running_cell_instead_of_stopping_the_kernel()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using var _ = kernel;
        using var __ = client;
        var running = await client.StartExecuteAsync("Console.WriteLine(\"running\"); while (true) { await Task.Delay(10, CellToken); }", Soon(60),
            KernelClientTestExtensions.Printed("running"));
        using (var kill = Process.Start("kill", ["-INT", kernel.Process.Id.ToString()])) await kill.WaitForExitAsync();
        var outcome = await running;
        Assert.Equal("OperationCanceledException", outcome.Reply.Content.GetProperty("ename").GetString());
        Assert.False(kernel.Process.HasExited);
        Assert.Equal("ok", (await client.ExecuteAsync("1", cancellationToken: Soon(60))).Status);
    }
}
