namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>Wakes whoever waits for the server to change (a request recorded, a state changed), so tests wait for events, never for time.</summary>
internal sealed class Pulse
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Fire() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes when <paramref name="condition"/> holds (checked now and after every change).</summary>
    public async Task WaitAsync(Func<bool> condition, CancellationToken ct)
    {
        while (true)
        {
            var next = Volatile.Read(ref _next).Task;
            if (condition()) return;
            await next.WaitAsync(ct).ConfigureAwait(false);
        }
    }
}
