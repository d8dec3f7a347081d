using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using KernelGateway.Notebooks.Format;
using KernelGateway.Protocol;
using KernelGateway.Tests;

namespace KernelGateway.Notebooks.Tests;

/// <summary><c>kernelgateway run --gateway-url</c> against a real <c>kernelgateway serve</c> with a token: the kernel is the gateway's, and is gone afterwards.</summary>
public sealed class GatewayRunTests
{
    [Fact]
    public async Task A_notebook_runs_on_a_kernel_the_gateway_starts_and_a_wrong_token_is_a_clear_failure()
    {
        var port = ConnectionInfo.FreeLocalPort();
        var token = Guid.NewGuid().ToString("N");
        var data = TestEnvironment.TempDirectory("gw-run-data");
        var psi = new ProcessStartInfo(TestEnvironment.DotnetHost) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { TestEnvironment.KernelGatewayDll, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        psi.Environment["KG_DATA_DIR"] = data;
        psi.Environment["KG_AUTH_TOKEN"] = token;
        psi.Environment["KG_LIST_KERNELS"] = "true"; // so the test can see no kernel is left
        using var server = Process.Start(psi)!;
        var log = new StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        try
        {
            using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            {
                while (true)
                {
                    Assert.False(server.HasExited, log.ToString());
                    try
                    {
                        using var r = await http.GetAsync("api/kernelspecs", deadline.Token);
                        if (r.IsSuccessStatusCode) break;
                    }
                    catch (HttpRequestException) { }
                    await Task.Delay(100, deadline.Token);
                }
            }
            var output = Path.Combine(TestEnvironment.TempDirectory("gw-run"), "out.ipynb");
            var sample = Path.Combine(TestEnvironment.RepositoryRoot, "notebooks", "hello-csharp.ipynb");
            var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost,
                [TestEnvironment.KernelGatewayDll, "run", sample, "-o", output, "--gateway-url", $"http://127.0.0.1:{port}", "-p", "name", "Grace", "-p", "count", "3"],
                new Dictionary<string, string> { ["KG_DATA_DIR"] = TestEnvironment.TempDirectory("gw-run-client"), ["KG_GATEWAY_TOKEN"] = token }, timeout: TimeSpan.FromMinutes(3));
            Assert.True(exit == 0, stdout + stderr);
            var nb = NotebookDocument.Load(output);
            Assert.Contains("Hello, Grace!", nb.ToJson());
            Assert.Equal("succeeded", nb.Root["metadata"]!["kernelgateway"]!["run"]!["status"]!.GetValue<string>());
            Assert.DoesNotContain(token, nb.ToJson());
            Assert.DoesNotContain(token, stdout + stderr);
            using (var kernels = await http.GetAsync("api/kernels"))
            {
                Assert.Empty(JsonNode.Parse(await kernels.Content.ReadAsStringAsync())!.AsArray());
            }

            var (badExit, _, badErr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost,
                [TestEnvironment.KernelGatewayDll, "run", sample, "-o", output + ".bad.ipynb", "--gateway-url", $"http://127.0.0.1:{port}", "--gateway-token", "not-the-token"],
                new Dictionary<string, string> { ["KG_DATA_DIR"] = TestEnvironment.TempDirectory("gw-run-client2") }, timeout: TimeSpan.FromMinutes(3));
            Assert.Equal(1, badExit);
            Assert.Contains("did not give a ready kernel", badErr);
            Assert.Matches("40[13]", badErr);
        }
        finally
        {
            using (var kill = Process.Start("kill", ["-INT", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            if (!server.WaitForExit(30_000)) server.Kill(entireProcessTree: true);
        }
    }
}
