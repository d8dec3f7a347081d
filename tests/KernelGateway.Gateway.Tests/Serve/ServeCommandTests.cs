using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using KernelGateway.Protocol;
using KernelGateway.Tests;

namespace KernelGateway.Gateway.Tests.Serve;

/// <summary><c>kernelgateway serve</c> as a user runs it: a generated token in the printed URL, our C# kernel by default, kernels shut down on Ctrl+C.</summary>
public sealed class ServeCommandTests
{
    private static bool Running(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    [Fact]
    public async Task Serve_prints_a_tokened_url_offers_the_csharp_kernel_and_stops_its_kernels_on_ctrl_c()
    {
        var data = TestEnvironment.TempDirectory("serve");
        var port = ConnectionInfo.FreeLocalPort();
        var psi = new ProcessStartInfo(TestEnvironment.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { TestEnvironment.KernelGatewayDll, "serve", "--port", port.ToString() }) psi.ArgumentList.Add(a);
        psi.Environment["KG_DATA_DIR"] = data;
        psi.Environment["JUPYTER_PATH"] = Path.Combine(data, "no-kernels-here");
        psi.Environment["JUPYTER_DATA_DIR"] = Path.Combine(data, "no-user-kernels");
        psi.Environment.Remove("KG_AUTH_TOKEN");
        using var server = Process.Start(psi)!;
        var output = new StringBuilder();
        var urlSeen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            var m = Regex.Match(e.Data, @"token=([0-9a-f]+)");
            if (m.Success) urlSeen.TrySetResult(m.Groups[1].Value);
        };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var token = await urlSeen.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(token.Length >= 32);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(2) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/kernelspecs")).StatusCode);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
            using var specs = JsonDocument.Parse(await http.GetStringAsync("api/kernelspecs"));
            Assert.Equal(".net-csharp", specs.RootElement.GetProperty("default").GetString());

            var created = await http.PostAsync("api/kernels", new StringContent("{}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var model = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            Assert.Equal(".net-csharp", model.RootElement.GetProperty("name").GetString());
            // The console logger writes on its own thread: the "started" line may follow the 201 by a moment.
            string text = "";
            Match started = Match.Empty;
            for (var i = 0; i < 200 && !started.Success; i++)
            {
                lock (output) text = output.ToString();
                started = Regex.Match(text, @"pid (\d+)");
                if (!started.Success) await Task.Delay(50);
            }
            Assert.True(started.Success, "serve never logged the kernel's pid:\n" + text);
            var pid = int.Parse(started.Groups[1].Value);
            Assert.True(Running(pid));
            Assert.DoesNotContain(token, text.Replace($"token={token}", "")); // the token appears only in the printed URL

            using (var kill = Process.Start("kill", ["-INT", server.Id.ToString()])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(cts.Token);
            Assert.Equal(0, server.ExitCode);
            for (var i = 0; i < 100 && Running(pid); i++) await Task.Delay(100);
            Assert.False(Running(pid), "the kernel outlived the server");
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData("--cull-idle-timeout=ten", "--cull-idle-timeout")]
    [InlineData("--MappingKernelManager.cull_interval=0", "KG_CULL_INTERVAL must be positive")]
    public async Task Serve_refuses_a_bad_culling_option_and_says_which(string option, string expected)
    {
        var psi = new ProcessStartInfo(TestEnvironment.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { TestEnvironment.KernelGatewayDll, "serve", "--port", ConnectionInfo.FreeLocalPort().ToString(), option }) psi.ArgumentList.Add(a);
        psi.Environment["KG_DATA_DIR"] = TestEnvironment.TempDirectory("serve-bad");
        using var server = Process.Start(psi)!;
        var stderr = server.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await server.WaitForExitAsync(cts.Token); }
        finally { if (!server.HasExited) server.Kill(entireProcessTree: true); }
        Assert.NotEqual(0, server.ExitCode);
        Assert.Contains(expected, await stderr);
    }
}
