namespace KernelGateway.Platform.Spark.Livy;

/// <summary>How often state is polled: 10 ms, doubling, at most 1 s (a short statement is seen finished at once, a long one costs a request a second).</summary>
internal static class LivyPolling
{
    public static TimeSpan Delay(int attempt) => TimeSpan.FromMilliseconds(Math.Min(1000, 10 * Math.Pow(2, Math.Min(attempt, 10))));
}
