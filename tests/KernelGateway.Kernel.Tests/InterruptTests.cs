using System.Text.Json;
using KernelGateway.Tests;
using Xunit.Abstractions;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Kernel.Tests;

/// <summary>
/// Interrupt through Debian's jupyter_client, whatever the cell does: an await, Thread.Sleep, Console.ReadLine with
/// stdin, a tight loop, Task.Wait, a loop in a method of the cell, and a loop inside a library (LINQ), which does not
/// stop and is abandoned. Every time the interrupted execute gets its error reply, the kernel goes idle, and the next
/// cell answers from the variables defined before. Also: an interrupt sent as early as a client can send one, on
/// the cell's execute_input, with the engine warm and while it still starts. Each test has a kernel of its own.
/// </summary>
public sealed class InterruptTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_kind_of_blocked_cell_is_interrupted_and_the_kernel_stays_usable()
    {
        var (kernel, client) = await KernelProcessHandle.StartAsync();
        await using var _ = kernel;
        client.Dispose(); // the Python client drives this kernel
        var script = Path.Combine(AppContext.BaseDirectory, "python", "interrupt_csharp.py");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync("/usr/bin/python3", [script, kernel.ConnectionFile], timeout: TimeSpan.FromMinutes(6));
        Assert.True(exit == 0, stderr + stdout);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("ok", root.GetProperty("before").GetProperty("status").GetString());

        var names = new List<string>();
        foreach (var cell in root.GetProperty("cells").EnumerateArray())
        {
            var name = cell.GetProperty("name").GetString()!;
            names.Add(name);
            Assert.True(cell.GetProperty("interrupted").GetBoolean(), $"{name}: the cell never reached the point where it is interrupted");
            Assert.Equal("interrupt_reply", cell.GetProperty("interrupt_reply").GetProperty("type").GetString());
            Assert.Equal("ok", cell.GetProperty("interrupt_reply").GetProperty("status").GetString());
            var reply = cell.GetProperty("reply");
            Assert.True(reply.GetProperty("status").GetString() == "error", $"{name}: {reply}");
            var expected = name == "library" ? "CellAbandoned" : "OperationCanceledException";
            Assert.Equal(expected, reply.GetProperty("ename").GetString());
            var messages = cell.GetProperty("messages").EnumerateArray().ToList();
            Assert.Contains(messages, m => m.GetProperty("type").GetString() == "error");
            Assert.DoesNotContain(messages, m => m.GetProperty("type").GetString() == "execute_result");

            var next = cell.GetProperty("next");
            Assert.True(next.GetProperty("status").GetString() == "ok", $"{name}: the next cell failed: {next}");
            var result = cell.GetProperty("next_messages").EnumerateArray().Single(m => m.GetProperty("type").GetString() == "execute_result");
            Assert.Equal("42", result.GetProperty("content").GetProperty("data").GetProperty("text/plain").GetString());
            output.WriteLine($"{name}: next cell answered {cell.GetProperty("next_seconds_after_interrupt").GetDouble():0.000} s after the interrupt");
        }
        Assert.Equal(["await", "sleep", "readline", "spin", "wait", "method", "library"], names);
        var who = root.GetProperty("who").GetString()!;
        Assert.Contains("before", who);
        Assert.Contains("Lost with cells abandoned after an interrupt", who);
        Assert.Contains("count", who);
    }

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
