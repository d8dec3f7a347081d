using System.Net;

namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// Faults a test switches on: catalog calls whose path contains a text answer an error status, or hang until the
/// client gives up or the server stops. Thread-safe.
/// </summary>
public sealed class IcebergFaults
{
    private readonly Lock _lock = new();
    private (HttpStatusCode Status, string PathContains)? _failure;
    private string? _hang;
    private TaskCompletionSource _hanging = NewSignal();
    private int _hangingNow;

    /// <summary>From now on, catalog calls whose path contains <paramref name="pathContains"/> (every one when empty) answer <paramref name="status"/> with the spec's error body.</summary>
    public void FailWith(HttpStatusCode status, string pathContains = "")
    {
        lock (_lock) _failure = (status, pathContains);
    }

    /// <summary>From now on, catalog calls whose path contains <paramref name="pathContains"/> (every one when empty) never answer; <see cref="WhenHanging"/> completes when the first one arrives.</summary>
    public void Hang(string pathContains = "")
    {
        lock (_lock)
        {
            _hang = pathContains;
            if (_hanging.Task.IsCompleted) _hanging = NewSignal();
        }
    }

    /// <summary>Completes when a call starts hanging (since the last <see cref="Hang"/>).</summary>
    public Task WhenHanging
    {
        get { lock (_lock) return _hanging.Task; }
    }

    /// <summary>How many calls are hanging now.</summary>
    public int HangingNow => Volatile.Read(ref _hangingNow);

    /// <summary>Ends every fault (calls hanging already stay so until their client gives up).</summary>
    public void Heal()
    {
        lock (_lock)
        {
            _failure = null;
            _hang = null;
        }
    }

    /// <summary>The status a call to <paramref name="path"/> must fail with, or null.</summary>
    internal HttpStatusCode? FailureFor(string path)
    {
        lock (_lock) return _failure is { } f && path.Contains(f.PathContains, StringComparison.Ordinal) ? f.Status : null;
    }

    /// <summary>Hangs the call when it must: until <paramref name="cancellationToken"/> (the client gone or the server stopping).</summary>
    internal async Task HangIfToldAsync(string path, CancellationToken cancellationToken)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (_hang is not { } hang || !path.Contains(hang, StringComparison.Ordinal)) return;
            signal = _hanging;
        }
        Interlocked.Increment(ref _hangingNow);
        try
        {
            signal.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _hangingNow);
        }
    }

    internal IcebergFaults()
    {
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
