using System.Text.Json;
using KernelGateway.Tests;

namespace KernelGateway.Benchmarks;

/// <summary>
/// .NET Interactive's own Jupyter kernel, the peer the issue holds the C# kernel's round trip against: the dotnet tool
/// Microsoft.dotnet-interactive, installed once (from the NuGet registry) into the benchmark cache, and started with
/// the argv of the kernelspec its <c>jupyter install --path</c> writes. It targets an older runtime, so it runs with
/// <c>DOTNET_ROLL_FORWARD=Major</c>.
/// </summary>
public static class DotnetInteractivePeer
{
    public const string Version = "1.0.712001";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    /// <summary><c>$XDG_CACHE_HOME/kernelgateway-benchmarks</c> (or <c>~/.cache/...</c>): what the benchmarks keep between runs.</summary>
    public static string CacheDirectory => Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "kernelgateway-benchmarks");

    private static readonly Dictionary<string, string> ToolEnvironment = new()
    {
        ["DOTNET_ROLL_FORWARD"] = "Major",
        ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>Installs the tool when it is missing, writes its kernelspecs under <paramref name="work"/>, and returns its C# kernel.</summary>
    public static async Task<KernelKind> PrepareAsync(string work, TextWriter log)
    {
        var toolPath = Path.Combine(CacheDirectory, $"dotnet-interactive-{Version}");
        var apphost = Path.Combine(toolPath, "dotnet-interactive");
        if (!File.Exists(apphost))
        {
            log.WriteLine($"installing Microsoft.dotnet-interactive {Version} into {toolPath}");
            var (exit, stdout, stderr) = await TestEnvironment.RunAsync(KernelKind.DotnetHost,
                ["tool", "install", "Microsoft.dotnet-interactive", "--version", Version, "--tool-path", toolPath], ToolEnvironment, timeout: InstallTimeout);
            if (exit != 0 || !File.Exists(apphost)) throw new InvalidOperationException($"dotnet tool install failed ({exit}): {stdout}{stderr}");
        }
        var specs = Path.Combine(work, "dotnet-interactive-kernels");
        Directory.CreateDirectory(specs);
        var installed = await TestEnvironment.RunAsync(apphost, ["jupyter", "install", "--path", specs], ToolEnvironment, timeout: TimeSpan.FromMinutes(2));
        var specFile = Path.Combine(specs, ".net-csharp", "kernel.json");
        if (installed.ExitCode != 0 || !File.Exists(specFile))
            throw new InvalidOperationException($"dotnet-interactive jupyter install failed ({installed.ExitCode}): {installed.Stdout}{installed.Stderr}");
        using var spec = JsonDocument.Parse(await File.ReadAllTextAsync(specFile));
        var argv = spec.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList();
        return KernelKind.DotnetInteractive(apphost, argv, ToolEnvironment);
    }
}
