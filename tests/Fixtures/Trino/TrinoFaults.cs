namespace KernelGateway.Tests.Fixtures.Trino;

/// <summary>
/// Faults the server injects into the next requests; thread-safe, each fault used once and counted. A GET that
/// fails or is dropped leaves the query where it was, so the same URI is served again on retry and a correct client
/// loses and duplicates nothing.
/// </summary>
public sealed class TrinoFaults
{
    private readonly Lock _gate = new();
    private int _failGets, _failGetStatus = 503, _throttles, _retryAfter = 1, _drops, _failPosts, _failPostStatus = 500, _delays;
    private TimeSpan _delay;

    /// <summary>The next <paramref name="count"/> GETs of a nextUri are answered with <paramref name="status"/> (502, 503 or 504: a retryable storm).</summary>
    public void FailNextGets(int count, int status = 503)
    {
        lock (_gate) (_failGets, _failGetStatus) = (count, status);
    }

    /// <summary>The next <paramref name="count"/> GETs of a nextUri are answered 429 with <c>Retry-After: {retryAfterSeconds}</c>.</summary>
    public void ThrottleNextGets(int count, int retryAfterSeconds = 1)
    {
        lock (_gate) (_throttles, _retryAfter) = (count, retryAfterSeconds);
    }

    /// <summary>The next <paramref name="count"/> responses carrying rows send half their body and then abort the connection.</summary>
    public void DropNextDataPages(int count)
    {
        lock (_gate) _drops = count;
    }

    /// <summary>The next <paramref name="count"/> POSTs of a statement are answered with <paramref name="status"/> and start no query.</summary>
    public void FailNextPosts(int count, int status = 500)
    {
        lock (_gate) (_failPosts, _failPostStatus) = (count, status);
    }

    /// <summary>The next <paramref name="count"/> responses carrying rows wait <paramref name="delay"/> first.</summary>
    public void DelayNextDataPages(int count, TimeSpan delay)
    {
        lock (_gate) (_delays, _delay) = (count, delay);
    }

    /// <summary>How many faults of every kind have been used so far.</summary>
    public int Consumed { get { lock (_gate) return ConsumedGetFailures + ConsumedThrottles + ConsumedDrops + ConsumedPostFailures + ConsumedDelays; } }

    /// <summary>GETs answered with an injected 502/503/504.</summary>
    public int ConsumedGetFailures { get; private set; }

    /// <summary>GETs answered with an injected 429.</summary>
    public int ConsumedThrottles { get; private set; }

    /// <summary>Data pages whose connection was dropped mid-body.</summary>
    public int ConsumedDrops { get; private set; }

    /// <summary>POSTs answered with an injected status.</summary>
    public int ConsumedPostFailures { get; private set; }

    /// <summary>Data pages delayed.</summary>
    public int ConsumedDelays { get; private set; }

    internal (int Status, int RetryAfter)? TakeGetFault()
    {
        lock (_gate)
        {
            if (_failGets > 0) { _failGets--; ConsumedGetFailures++; return (_failGetStatus, 0); }
            if (_throttles > 0) { _throttles--; ConsumedThrottles++; return (429, _retryAfter); }
            return null;
        }
    }

    internal int? TakePostFault()
    {
        lock (_gate)
        {
            if (_failPosts <= 0) return null;
            _failPosts--;
            ConsumedPostFailures++;
            return _failPostStatus;
        }
    }

    internal bool TakeDrop()
    {
        lock (_gate)
        {
            if (_drops <= 0) return false;
            _drops--;
            ConsumedDrops++;
            return true;
        }
    }

    internal TimeSpan TakeDelay()
    {
        lock (_gate)
        {
            if (_delays <= 0) return TimeSpan.Zero;
            _delays--;
            ConsumedDelays++;
            return _delay;
        }
    }
}
