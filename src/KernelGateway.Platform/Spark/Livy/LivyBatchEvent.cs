namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// What <see cref="LivyClient.FollowBatchAsync(int, int, CancellationToken)"/> reports: the batch's state changed (<see cref="Line"/> is null), or
/// a new log line appeared (<see cref="Line"/> is set, <see cref="Source"/> names its section).
/// </summary>
/// <param name="BatchId">The batch.</param>
/// <param name="State">The batch's state when the event was seen.</param>
/// <param name="Line">A new log line, or null for a state change.</param>
/// <param name="Source">The log section of the line: <c>stdout</c>, <c>stderr</c>, <c>YARN Diagnostics</c>, or empty before any section header.</param>
public sealed record LivyBatchEvent(int BatchId, string State, string? Line = null, string? Source = null)
{
    /// <summary>Whether this is a state change.</summary>
    public bool IsStateChange => Line is null;

    /// <summary>Whether the batch has ended (success, dead, killed, error).</summary>
    public bool IsFinal => IsStateChange && LivySessionStates.IsFinal(State);
}
