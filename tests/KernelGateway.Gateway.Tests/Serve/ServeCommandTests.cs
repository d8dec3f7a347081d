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
        var kernelStarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            if (Regex.Match(line, @"token=([0-9a-f]+)") is { Success: true } url) urlSeen.TrySetResult(url.Groups[1].Value);
            if (Regex.Match(line, @"pid (\d+)") is { Success: true } pid) kernelStarted.TrySetResult(int.Parse(pid.Groups[1].Value));
        }
        server.OutputDataReceived += (_, e) => OnLine(e.Data);
        server.ErrorDataReceived += (_, e) => OnLine(e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var token = await urlSeen.Task.WaitAsync(TestTime.Soon(60));
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
            var pid = await kernelStarted.Task.WaitAsync(TestTime.Soon(60));
            Assert.True(ProcessWatch.Running(pid));
            string text;
            lock (output) text = output.ToString();
            Assert.DoesNotContain(token, text.Replace($"token={token}", "")); // the token appears only in the printed URL

            using (var kill = Process.Start("kill", ["-INT", server.Id.ToString()])) await kill.WaitForExitAsync();
            await server.WaitForExitAsync(TestTime.Soon(60));
            Assert.Equal(0, server.ExitCode);
            await ProcessWatch.ExitedAsync(pid, TestTime.Soon(60)); // cancelled (a failure) if the kernel outlives the server
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData("--cull-idle-timeout=ten", "--cull-idle-timeout")]
    [InlineData("--MappingKernelManager.cull_interval=0", "--MappingKernelManager.cull_interval needs a positive number of seconds, not '0'")]
    public async Task Serve_refuses_a_bad_culling_option_and_says_which(string option, string expected)
    {
        var psi = new ProcessStartInfo(TestEnvironment.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { TestEnvironment.KernelGatewayDll, "serve", "--port", ConnectionInfo.FreeLocalPort().ToString(), option }) psi.ArgumentList.Add(a);
        psi.Environment["KG_DATA_DIR"] = TestEnvironment.TempDirectory("serve-bad");
        using var server = Process.Start(psi)!;
        var stderr = server.StandardError.ReadToEndAsync();
        try { await server.WaitForExitAsync(TestTime.Soon(60)); }
        finally { if (!server.HasExited) server.Kill(entireProcessTree: true); }
        Assert.NotEqual(0, server.ExitCode);
        Assert.Contains(expected, await stderr);
    }
}
