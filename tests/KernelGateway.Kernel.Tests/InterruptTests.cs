using KernelGateway.Tests;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Kernel.Tests;

/// <summary>
/// An interrupt sent as early as a client can send one: as soon as it sees the cell's execute_input, also while
/// the engine is still starting. Each test has a kernel of its own, so a cell left running cannot affect others.
/// </summary>
public sealed class InterruptTests
{
    [Fact]
    public Task An_interrupt_sent_on_execute_input_cancels_the_cell_and_the_kernel_stays_usable() =>
        InterruptOnExecuteInputAsync(warm: true);

    /// <summary>A kernel just started answers kernel_info at once; its engine starts in the background, and the cell waits for it.</summary>
    [Fact]
    public Task An_interrupt_while_the_engine_warms_up_cancels_the_waiting_cell() =>
        InterruptOnExecuteInputAsync(warm: false);

    private static async Task InterruptOnExecuteInputAsync(bool warm)
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync(warm: warm);
        await using var _ = kernel;
        using var __ = client;
        var running = await client.StartExecuteAsync("while (true) { await Task.Delay(10, CellToken); }", Soon());
        await client.InterruptAsync(Soon());
        var outcome = await running;
        Assert.Equal("OperationCanceledException", outcome.Reply.Content.GetProperty("ename").GetString());
        var next = await client.ExecuteAsync("1 + 1", cancellationToken: Soon());
        Assert.True(next.Status == "ok", next.Reply.Content.ToString());
    }
}
