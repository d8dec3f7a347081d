using System.Globalization;

namespace KernelGateway.Benchmarks;

/// <summary>CPU time from /proc: of one process (user + system, its threads included) and of the whole machine.</summary>
public static class CpuTime
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The CPU seconds process <paramref name="pid"/> has used so far, or 0 once it has gone.</summary>
    public static double OfProcess(int pid)
    {
        try
        {
            // The command name may hold spaces and parentheses: the fields after its closing parenthesis.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>The machine's busy and total CPU seconds so far (all cores), from the first line of /proc/stat.</summary>
    public static (double Busy, double Total) OfMachine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            var idle = fields[3] + fields[4]; // idle + iowait
            return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException)
        {
            return (0, 0);
        }
    }
}
