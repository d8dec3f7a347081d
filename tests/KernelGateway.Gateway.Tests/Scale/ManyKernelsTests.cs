using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KernelGateway.Gateway.Tests.Channels;
using KernelGateway.Protocol;
using KernelGateway.Tests;

namespace KernelGateway.Gateway.Tests.Scale;

/// <summary>
/// Issue 9 at scale: many of our C# kernels behind one real <c>kernelgateway serve</c>, many WebSocket clients at once.
/// No timing threshold: everything must be answered, right, before a generous deadline (so that the test fails rather
/// than hangs); every kernel process is killed at the end, whatever happened.
/// </summary>
public sealed class ManyKernelsTests
{
    private const string Spec = "kg-scale-test-csharp";
    private const int Kernels = 20;
    private const int Clients = 50;
    private const int ExecutesPerClient = 10;

    [Fact]
    [Trait("Category", "Scale")]
    public async Task Twenty_csharp_kernels_started_at_once_answer_fifty_websocket_clients_ten_cells_each_with_the_right_results()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var token = deadline.Token;
        var dir = TestEnvironment.TempDirectory("scale");
        var jupyterPath = TestEnvironment.WriteKernelSpec(Path.Combine(dir, "jupyter"), Spec, Path.Combine(dir, "kernel-data"));
        var port = ConnectionInfo.FreeLocalPort();
        var authToken = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        var psi = new ProcessStartInfo(TestEnvironment.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { TestEnvironment.KernelGatewayDll, "serve", "--port", port.ToString() }) psi.ArgumentList.Add(a);
        psi.Environment["KG_DATA_DIR"] = Path.Combine(dir, "serve-data");
        psi.Environment["JUPYTER_PATH"] = jupyterPath;
        psi.Environment["JUPYTER_DATA_DIR"] = Path.Combine(dir, "no-user-kernels");
        psi.Environment["KG_AUTH_TOKEN"] = authToken;
        psi.Environment["KG_PRESPAWN_COUNT"] = "0";
        using var server = Process.Start(psi)!;
        var output = new StringBuilder();
        void Keep(string? line)
        {
            if (line is not null) lock (output) output.AppendLine(line);
        }
        server.OutputDataReceived += (_, e) => Keep(e.Data);
        server.ErrorDataReceived += (_, e) => Keep(e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        var kernelPids = new HashSet<int>();
        var clients = new List<ChannelsClient>();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", authToken);
        try
        {
            await ServingAsync(http, server, output, token);

            // All twenty at once: each POST answers when its kernel has answered kernel_info.
            var ids = await Task.WhenAll(Enumerable.Range(0, Kernels).Select(async _ =>
            {
                using var response = await http.PostAsync("api/kernels", new StringContent($$"""{"name":"{{Spec}}"}""", Encoding.UTF8, "application/json"), token);
                var body = await response.Content.ReadAsStringAsync(token);
                // A kernel that dies while starting says why on its stderr, which the server passes on: keep it in the message.
                Assert.True(response.IsSuccessStatusCode, $"POST /api/kernels: {(int)response.StatusCode} {body}\nserver and kernels said:\n{Said(output)}");
                return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            }));
            kernelPids.UnionWith(ProcessTree.ChildIds(server.Id));
            Assert.Equal(Kernels, ids.Distinct().Count());

            for (var c = 0; c < Clients; c++)
            {
                var uri = new Uri($"ws://127.0.0.1:{port}/api/kernels/{ids[c % Kernels]}/channels?session_id={Guid.NewGuid():N}&token={authToken}");
                clients.Add(await ChannelsClient.ConnectAsync(uri, cancellationToken: token));
            }

            // Every client runs its cells at the same time as the others; each cell's result is checked.
            var errors = new List<string>();
            var right = 0;
            await Task.WhenAll(clients.Select(async (client, c) =>
            {
                try
                {
                    for (var j = 0; j < ExecutesPerClient; j++)
                    {
                        var id = await client.ExecuteAsync($"{c * 100} + {j}");
                        var messages = await client.ReceiveOutcomeAsync(id, token);
                        var reply = messages.Single(m => ChannelsClient.ParentId(m) == id && ChannelsClient.Type(m) == MessageTypes.ExecuteReply);
                        var status = reply.GetProperty("content").GetProperty("status").GetString();
                        var result = messages.Where(m => ChannelsClient.ParentId(m) == id && ChannelsClient.Type(m) == MessageTypes.ExecuteResult)
                            .Select(m => m.GetProperty("content").GetProperty("data").GetProperty("text/plain").GetString()).SingleOrDefault();
                        if (status == "ok" && result == (c * 100 + j).ToString()) Interlocked.Increment(ref right);
                        else lock (errors) errors.Add($"client {c} cell {j}: {status}, result '{result}'");
                    }
                }
                catch (Exception e)
                {
                    lock (errors) errors.Add($"client {c}: {e.Message}");
                }
            }));
            Assert.True(right == Clients * ExecutesPerClient,
                $"{right} of {Clients * ExecutesPerClient} cells answered right; {errors.Count} errors, the first: {string.Join(" | ", errors.Take(5))}");
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
            kernelPids.UnionWith(ProcessTree.ChildIds(server.Id));
            await StopAsync(server, kernelPids);
        }
    }

    /// <summary>Waits until the server answers GET /api/kernelspecs.</summary>
    private static string Said(StringBuilder output)
    {
        lock (output) return output.Length > 8000 ? output.ToString(output.Length - 8000, 8000) : output.ToString();
    }

    private static async Task ServingAsync(HttpClient http, Process server, StringBuilder output, CancellationToken token)
    {
        while (true)
        {
            Assert.False(server.HasExited, $"serve exited: {output}");
            try
            {
                using var response = await http.GetAsync("api/kernelspecs", token);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100, token);
        }
    }

    /// <summary>Ctrl+C to the server (it stops its kernels), then kill whatever is left: the server's tree and every kernel seen.</summary>
    private static async Task StopAsync(Process server, IEnumerable<int> kernelPids)
    {
        if (!server.HasExited)
        {
            using (var kill = Process.Start("kill", ["-INT", server.Id.ToString()])) await kill.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await server.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { server.Kill(entireProcessTree: true); }
        }
        foreach (var pid in kernelPids)
        {
            try
            {
                using var kernel = Process.GetProcessById(pid);
                // Only a process that is still one of ours (a pid can be reused once its kernel has gone).
                if (File.ReadAllText($"/proc/{pid}/cmdline").Contains(TestEnvironment.KernelGatewayDll)) kernel.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException) { }
        }
    }
}
