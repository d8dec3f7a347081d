using System.Globalization;

namespace KernelGateway.Benchmarks;

/// <summary>
/// One process's memory from <c>/proc/PID/smaps_rollup</c>: resident (RSS), private to it (USS: Private_Clean +
/// Private_Dirty, what killing it would give back) and its proportional share of shared pages (PSS).
/// </summary>
public sealed record MemorySample(long RssKb, long UssKb, long PssKb)
{
    public double RssMiB => RssKb / 1024.0;
    public double UssMiB => UssKb / 1024.0;
    public double PssMiB => PssKb / 1024.0;

    /// <summary>The sample of process <paramref name="pid"/>, or null when it has gone or cannot be read.</summary>
    public static MemorySample? Read(int pid)
    {
        long rss = 0, pss = 0, privateClean = 0, privateDirty = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                var colon = line.IndexOf(':');
                if (colon < 0) continue;
                ref var field = ref rss;
                switch (line[..colon])
                {
                    case "Rss": field = ref rss; break;
                    case "Pss": field = ref pss; break;
                    case "Private_Clean": field = ref privateClean; break;
                    case "Private_Dirty": field = ref privateDirty; break;
                    default: continue;
                }
                field = long.Parse(line[(colon + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        return rss == 0 ? null : new MemorySample(rss, privateClean + privateDirty, pss);
    }

    /// <summary>The sum over several processes (null ones skipped), or null when none could be read.</summary>
    public static MemorySample? Sum(IEnumerable<MemorySample?> samples)
    {
        var read = samples.OfType<MemorySample>().ToList();
        return read.Count == 0 ? null : new MemorySample(read.Sum(s => s.RssKb), read.Sum(s => s.UssKb), read.Sum(s => s.PssKb));
    }
}
