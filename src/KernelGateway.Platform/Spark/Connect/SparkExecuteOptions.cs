using KernelGateway.Platform.Sql;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>How to run one Spark Connect operation. Every property has a default that suits interactive use.</summary>
public sealed record SparkExecuteOptions
{
    /// <summary>The operation's id (a UUID); a new random one by default.</summary>
    public string? OperationId { get; init; }

    /// <summary>Tags of the operation (for <see cref="SparkConnectClient.InterruptTagAsync"/>); none by default. A tag is not empty and has no ','.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// Ask the server to keep the responses so a broken stream can be reattached (true by default). The server then
    /// ends the stream with <c>result_complete</c> and the client releases the responses it has read.
    /// </summary>
    public bool Reattachable { get; init; } = true;

    /// <summary>How many times in a row a broken or ended stream is reattached without a response in between; 8 by default.</summary>
    public int MaxReattachAttempts { get; init; } = 8;

    /// <summary>Told of the operation's progress after each progress report and each Arrow batch; none by default.</summary>
    public IProgress<QueryProgress>? Progress { get; init; }

    /// <summary>
    /// How long a cancellation waits for the server to end the interrupted operation before the client stops
    /// listening; 30 seconds by default.
    /// </summary>
    public TimeSpan CancelGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">What is wrong.</exception>
    public SparkExecuteOptions Validated()
    {
        if (OperationId is not null && !Guid.TryParseExact(OperationId, "D", out _)) throw new ArgumentException($"an operation id is a UUID such as 00112233-4455-6677-8899-aabbccddeeff, not '{OperationId}'");
        foreach (var tag in Tags)
            if (string.IsNullOrEmpty(tag) || tag.Contains(',', StringComparison.Ordinal)) throw new ArgumentException($"a tag is not empty and has no ',': '{tag}'");
        if (MaxReattachAttempts < 0) throw new ArgumentException("MaxReattachAttempts must not be negative");
        if (CancelGracePeriod < TimeSpan.Zero) throw new ArgumentException("CancelGracePeriod must not be negative");
        return this;
    }
}
