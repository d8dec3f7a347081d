using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using KernelGateway.Protocol;
using KernelGateway.Tests;

namespace KernelGateway.Jobs.Tests;

/// <summary>
/// <c>kernelgateway schedule ...</c> and <c>runs ...</c> as a user types them (the built CLI in its own process), on a
/// data directory of their own; the run itself by a real <c>kernelgateway serve</c> whose scheduler reads the same
/// state database, on a real ipykernel, its output read by Debian's nbformat.
/// </summary>
public sealed class ScheduleCliTests
{
    private readonly string _data = TestEnvironment.TempDirectory("schedule-cli");

    private Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(params string[] args) =>
        TestEnvironment.RunAsync(TestEnvironment.DotnetHost, [TestEnvironment.KernelGatewayDll, .. args],
            new Dictionary<string, string> { ["KG_DATA_DIR"] = _data }, timeout: TimeSpan.FromMinutes(2));

    [Fact]
    public async Task Add_list_show_update_pause_resume_and_remove_a_schedule_keeping_its_snapshot_history()
    {
        var notebook = Notebooks.Write(Path.Combine(_data, "workspace", "daily.ipynb"), "print(x * 2)");
        var add = await CliAsync("schedule", "add", "daily", notebook, "--cron", "0 6 * * *", "--tz", "Europe/Amsterdam", "-p", "x", "21");
        Assert.True(add.ExitCode == 0, add.Stdout + add.Stderr);
        // 06:00 in Amsterdam in winter is 05:00Z.
        Assert.Matches(@"next: \d{4}-\d\d-\d\d 0[45]:00:00Z", add.Stdout);

        var list = await CliAsync("schedule", "list");
        Assert.Contains("daily", list.Stdout);
        Assert.Contains("""{"x":21}""", list.Stdout);
        Assert.Contains("active", list.Stdout);

        var first = await ShowAsync("daily");
        File.WriteAllText(notebook, Notebooks.Json("print('changed in the workspace')"));
        Assert.Equal(first, await ShowAsync("daily")); // the schedule runs what was scheduled

        var update = await CliAsync("schedule", "update", "daily", "--cron", "30 7 * * 1-5");
        Assert.True(update.ExitCode == 0, update.Stdout + update.Stderr);
        var second = await ShowAsync("daily");
        Assert.NotEqual(first, second);
        var show = await CliAsync("schedule", "show", "daily");
        Assert.Contains("30 7 * * 1-5", show.Stdout);
        Assert.Contains(first[..12], show.Stdout); // the history keeps the first snapshot
        Assert.Contains(second[..12], show.Stdout);

        Assert.Contains("paused", (await CliAsync("schedule", "pause", "daily")).Stdout);
        Assert.Contains("paused", (await CliAsync("schedule", "list")).Stdout);
        Assert.Contains("resumed", (await CliAsync("schedule", "resume", "daily")).Stdout);
        Assert.Equal(0, (await CliAsync("schedule", "remove", "daily")).ExitCode);
        var gone = await CliAsync("schedule", "show", "daily");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("daily", gone.Stderr);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_what_was_wrong()
    {
        var notebook = Notebooks.Write(Path.Combine(_data, "workspace", "nb.ipynb"), "print(x)");
        var cron = await CliAsync("schedule", "add", "nightly", notebook, "--cron", "61 * * * *");
        Assert.Equal(1, cron.ExitCode);
        Assert.Contains("61 * * * *", cron.Stderr);
        var zone = await CliAsync("schedule", "add", "nightly", notebook, "--cron", "0 1 * * *", "--tz", "Mars/Olympus");
        Assert.Equal(1, zone.ExitCode);
        Assert.Contains("Mars/Olympus", zone.Stderr);
        var missing = await CliAsync("schedule", "add", "nightly", Path.Combine(_data, "nope.ipynb"), "--cron", "0 1 * * *");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nope.ipynb", missing.Stderr);
        var policy = await CliAsync("schedule", "add", "nightly", notebook, "--cron", "0 1 * * *", "--missed", "sometimes");
        Assert.Equal(2, policy.ExitCode);
        Assert.Contains("sometimes", policy.Stderr);
        var unknown = await CliAsync("schedule", "frobnicate");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("frobnicate", unknown.Stderr);
        Assert.Equal(1, (await CliAsync("runs", "cancel", "4242")).ExitCode);
    }

    [Fact]
    public async Task Run_now_is_run_by_serve_and_waited_for_and_a_queued_run_can_be_cancelled()
    {
        var notebook = Notebooks.Write(Path.Combine(_data, "workspace", "report.ipynb"), "print('total', x * 2)");
        Assert.Equal(0, (await CliAsync("schedule", "add", "report", notebook, "--cron", "0 6 1 1 *", "-p", "x", "1")).ExitCode);

        // No scheduler yet: a queued run stays queued, and cancelling it ends it at once.
        var queued = await CliAsync("schedule", "run-now", "report");
        var id = System.Text.RegularExpressions.Regex.Match(queued.Stdout, @"run (\d+) of report queued").Groups[1].Value;
        Assert.NotEqual("", id);
        Assert.Contains($"run {id} cancelled", (await CliAsync("runs", "cancel", id)).Stdout);
        Assert.Contains("cancelled", (await CliAsync("runs", "show", id)).Stdout);

        await using var serve = await ServeAsync();
        var ran = await CliAsync("schedule", "run-now", "report", "-p", "x", "21", "--wait");
        Assert.True(ran.ExitCode == 0, ran.Stdout + ran.Stderr + serve.Output);
        Assert.Contains("succeeded", ran.Stdout);
        var output = System.Text.RegularExpressions.Regex.Match(ran.Stdout, "output notebook: (.+)").Groups[1].Value.Trim();
        Assert.StartsWith(Path.Combine(_data, "runs", "report") + "/report-", output);
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python, ["-c", """
            import sys, nbformat
            nb = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(nb)
            print(''.join(o.get('text', '') for c in nb.cells if c.cell_type == 'code' for o in c.outputs))
            print(nb.metadata.papermill.parameters['x'])
            """, output]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("total 42", stdout);
        Assert.EndsWith("21", stdout.Trim());

        var runs = await CliAsync("schedule", "runs", "report");
        Assert.Contains("succeeded", runs.Stdout);
        Assert.Contains("cancelled", runs.Stdout);
        Assert.Contains("succeeded", (await CliAsync("runs", "list", "--state", "succeeded")).Stdout);
    }

    private async Task<string> ShowAsync(string name)
    {
        var show = await CliAsync("schedule", "show", name);
        Assert.True(show.ExitCode == 0, show.Stdout + show.Stderr);
        return System.Text.RegularExpressions.Regex.Match(show.Stdout, @"snapshot\s*│?\s*([0-9a-f]{64})").Groups[1].Value is { Length: 64 } hash
            ? hash : throw new Xunit.Sdk.XunitException($"no snapshot in:\n{show.Stdout}");
    }

    private sealed class Serve(Process process, StringBuilder output) : IAsyncDisposable
    {
        public string Output { get { lock (output) return output.ToString(); } }

        public async ValueTask DisposeAsync()
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    /// <summary>Starts <c>kernelgateway serve</c> on the same data directory and waits until it answers.</summary>
    private async Task<Serve> ServeAsync()
    {
        var port = ConnectionInfo.FreeLocalPort();
        var psi = new ProcessStartInfo(TestEnvironment.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { TestEnvironment.KernelGatewayDll, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        psi.Environment["KG_DATA_DIR"] = _data;
        psi.Environment["KG_AUTH_TOKEN"] = "schedule-cli-test";
        var process = Process.Start(psi)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var serve = new Serve(process, output);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            if (process.HasExited) throw new Xunit.Sdk.XunitException($"serve exited: {serve.Output}");
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/api?token=schedule-cli-test");
                if (response.IsSuccessStatusCode) return serve;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"serve did not answer: {serve.Output}");
            await Task.Delay(100);
        }
    }
}
