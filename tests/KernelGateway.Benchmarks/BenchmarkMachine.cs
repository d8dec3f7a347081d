namespace KernelGateway.Benchmarks;

/// <summary>What the figures say about the machine they were taken on.</summary>
internal static class BenchmarkMachine
{
    /// <summary>The 1-minute load average, as the figures are taken.</summary>
    public static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>The 1-minute load average as a number, or null where there is none.</summary>
    public static double? LoadAverage() =>
        double.TryParse(Load(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;

    /// <summary>The 1, 5 and 15-minute load averages.</summary>
    public static string LoadAverages()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }

    /// <summary>The CPU's model name.</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { return "unknown CPU"; }
    }

    /// <summary><c>node --version</c>.</summary>
    public static string NodeVersion()
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
        var v = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return v;
    }
}
