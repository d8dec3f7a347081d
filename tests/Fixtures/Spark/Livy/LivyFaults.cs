namespace KernelGateway.Tests.Fixtures.Spark.Livy;

/// <summary>Failures the next requests get instead of their answer, as a proxy in front of Livy gives them (e.g. 503
/// while Livy restarts): nothing reaches Livy, so a failed POST creates nothing. Each failure is used once.</summary>
public sealed class LivyFaults
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (int Count, int Status)> _next = new(StringComparer.Ordinal);
    private int _served;

    internal LivyFaults()
    {
    }

    /// <summary>The next <paramref name="count"/> GETs are answered <paramref name="status"/> (502, 503, 504...).</summary>
    public void FailNextGets(int count, int status = 503) => Set("GET", count, status);

    /// <summary>The next <paramref name="count"/> POSTs are answered <paramref name="status"/>.</summary>
    public void FailNextPosts(int count, int status = 503) => Set("POST", count, status);

    /// <summary>How many failures were served so far.</summary>
    public int Served
    {
        get { lock (_lock) return _served; }
    }

    /// <summary>The status a request gets instead of its answer, or null.</summary>
    internal int? Take(string method)
    {
        lock (_lock)
        {
            if (!_next.TryGetValue(method, out var next) || next.Count <= 0) return null;
            _next[method] = (next.Count - 1, next.Status);
            _served++;
            return next.Status;
        }
    }

    private void Set(string method, int count, int status)
    {
        lock (_lock) _next[method] = (count, status);
    }
}
