namespace KernelGateway.Benchmarks;

/// <summary>What the figures say about the machine they were taken on.</summary>
internal static class BenchmarkMachine
{
    /// <summary>The 1-minute load average, as the figures are taken.</summary>
    public static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary><c>node --version</c>.</summary>
    public static string NodeVersion()
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
        var v = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return v;
    }
}
