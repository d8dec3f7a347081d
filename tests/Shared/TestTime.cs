namespace KernelGateway.Tests;

/// <summary>
/// The bound on every wait of a test, so that a test that goes wrong fails instead of hanging. It bounds a wait
/// for an event; it never stands in for one.
/// </summary>
public static class TestTime
{
    /// <summary>A token cancelled after <paramref name="seconds"/> (two minutes by default).</summary>
    public static CancellationToken Soon(int seconds = 120) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
