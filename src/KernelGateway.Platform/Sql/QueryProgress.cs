namespace KernelGateway.Platform.Sql;

/// <summary>
/// How far a running query is, the same for every distributed engine (Trino's stats, Spark's execution progress),
/// for progress displays. Every field but <see cref="State"/> is optional.
/// </summary>
public sealed record QueryProgress
{
    /// <summary>The engine, e.g. <c>trino</c>.</summary>
    public required string Engine { get; init; }

    /// <summary>The engine's state name (QUEUED, RUNNING, FINISHED, ...).</summary>
    public required string State { get; init; }

    /// <summary>The engine's query id.</summary>
    public string? QueryId { get; init; }

    /// <summary>Where the engine's own UI shows the query.</summary>
    public Uri? InfoUri { get; init; }

    /// <summary>Units of work done (Trino splits, Spark tasks).</summary>
    public long? Done { get; init; }

    /// <summary>Units of work in all, when known.</summary>
    public long? Total { get; init; }

    /// <summary>What a unit of work is called: <c>splits</c>, <c>tasks</c>.</summary>
    public string Unit { get; init; } = "splits";

    /// <summary>Input rows processed.</summary>
    public long? Rows { get; init; }

    /// <summary>Input bytes processed.</summary>
    public long? Bytes { get; init; }

    /// <summary>Rows of the result received so far.</summary>
    public long? ResultRows { get; init; }

    /// <summary>Time since the query started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Stages of the query so far (Spark), when the engine reports them.</summary>
    public int? Stages { get; init; }

    /// <summary>Peak memory, when known.</summary>
    public long? PeakMemoryBytes { get; init; }

    /// <summary>The fraction done in [0, 1], when it can be told.</summary>
    public double? Fraction => Total is > 0 && Done is { } done ? Math.Clamp((double)done / Total.Value, 0, 1) : null;
}
