using System.Text.Json;
using KernelGateway.Tests;

namespace KernelGateway.Kernel.Tests;

/// <summary><c>kernelgateway install</c> writes a kernelspec that Jupyter's own tools find and can start.</summary>
public sealed class KernelSpecInstallTests
{
    [Fact]
    public async Task Install_with_a_prefix_is_listed_by_jupyter_kernelspec_and_starts_a_working_kernel()
    {
        var prefix = TestEnvironment.TempDirectory("prefix");
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost, [TestEnvironment.KernelGatewayDll, "install", "--prefix", prefix]);
        Assert.True(exit == 0, stderr);
        Assert.Contains(".net-csharp", stdout);

        var jupyterPath = Path.Combine(prefix, "share", "jupyter");
        var env = new Dictionary<string, string> { ["JUPYTER_PATH"] = jupyterPath, ["KG_DATA_DIR"] = Path.Combine(prefix, "data") };
        var (listExit, list, listErr) = await TestEnvironment.RunAsync("/usr/bin/jupyter-kernelspec", ["list", "--json"], env);
        Assert.True(listExit == 0, listErr);
        using var doc = JsonDocument.Parse(list);
        var spec = doc.RootElement.GetProperty("kernelspecs").GetProperty(".net-csharp");
        Assert.Equal(Path.Combine(jupyterPath, "kernels", ".net-csharp"), spec.GetProperty("resource_dir").GetString());
        var json = spec.GetProperty("spec");
        Assert.Equal("C# (KernelGateway)", json.GetProperty("display_name").GetString());
        Assert.Equal("C#", json.GetProperty("language").GetString());
        Assert.Equal("message", json.GetProperty("interrupt_mode").GetString());
        Assert.Contains(json.GetProperty("argv").EnumerateArray(), a => a.GetString() == "{connection_file}");
        foreach (var logo in new[] { "logo-32x32.png", "logo-64x64.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(jupyterPath, "kernels", ".net-csharp", logo));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }

        // jupyter_client starts it by name from that kernelspec and runs a cell.
        var (runExit, runOut, runErr) = await TestEnvironment.RunAsync(TestEnvironment.Python, ["-c", """
            from jupyter_client.manager import start_new_kernel
            km, kc = start_new_kernel(kernel_name='.net-csharp', startup_timeout=60)
            reply = kc.execute_interactive('System.Environment.Version.Major >= 10', timeout=60, output_hook=lambda m: print(m['content'].get('data', {}).get('text/plain', '')) if m['msg_type'] == 'execute_result' else None)
            kc.stop_channels(); km.shutdown_kernel()
            print(reply['content']['status'])
            """], env, timeout: TimeSpan.FromMinutes(2));
        Assert.True(runExit == 0, runErr);
        Assert.Contains("True", runOut);
        Assert.Contains("ok", runOut);
    }

    [Fact]
    public async Task A_bad_kernelspec_name_is_refused_with_a_clear_message()
    {
        var prefix = TestEnvironment.TempDirectory("prefix-bad");
        var (exit, _, stderr) = await TestEnvironment.RunAsync(TestEnvironment.DotnetHost, [TestEnvironment.KernelGatewayDll, "install", "--prefix", prefix, "--name", "bad name/x"]);
        Assert.NotEqual(0, exit);
        Assert.Contains("may only contain", stderr);
        Assert.False(Directory.Exists(Path.Combine(prefix, "share", "jupyter", "kernels", "bad name")));
    }
}
