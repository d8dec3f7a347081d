namespace KernelGateway.Platform.Spark.Livy;

/// <summary>How a <see cref="LivySessionPool"/> names, creates and keeps its sessions. Every member has a default.</summary>
public sealed record LivySessionPoolOptions
{
    /// <summary>Identifies the kernel in session names (<c>kg-{KernelId}-{name}</c>); 8 random hex digits by default.
    /// Give the kernel's own id to find the sessions again after a restart of the same kernel.</summary>
    public string? KernelId { get; init; }

    /// <summary>Sent as <c>heartbeatTimeoutInSecond</c>: Livy deletes a session no request has been about for this long,
    /// so a kernel that dies without cleaning up leaves nothing running. 60 s by default (as sparkmagic);
    /// <see cref="TimeSpan.Zero"/> turns heartbeats off.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often every session is heartbeated; a third of <see cref="HeartbeatTimeout"/> by default, so two
    /// lost heartbeats in a row still leave the session alive.</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>How long a new session may take to be idle; the client's <see cref="LivyOptions.SessionStartTimeout"/> by default.</summary>
    public TimeSpan? StartTimeout { get; init; }

    /// <summary>What every new session is created with (memory, executors, jars, proxy user...); its name, kind and
    /// heartbeat timeout are the pool's, its <c>conf</c> is merged under the one given to <see cref="LivySessionPool.GetOrCreateAsync"/>.</summary>
    public LivySessionRequest Defaults { get; init; } = new();

    /// <summary>Checks the timings.</summary>
    /// <exception cref="ArgumentException">A negative timeout, or an interval not shorter than the timeout.</exception>
    public LivySessionPoolOptions Validated()
    {
        if (HeartbeatTimeout < TimeSpan.Zero) throw new ArgumentException("HeartbeatTimeout must not be negative");
        if (HeartbeatTimeout > TimeSpan.Zero && HeartbeatTimeout < TimeSpan.FromSeconds(1)) throw new ArgumentException("HeartbeatTimeout is in whole seconds on the wire: at least 1 s");
        if (HeartbeatInterval is { } interval && (interval <= TimeSpan.Zero || (HeartbeatTimeout > TimeSpan.Zero && interval >= HeartbeatTimeout)))
            throw new ArgumentException("HeartbeatInterval must be positive and shorter than HeartbeatTimeout");
        if (StartTimeout <= TimeSpan.Zero) throw new ArgumentException("StartTimeout must be positive");
        if (KernelId is { } id && (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            throw new ArgumentException($"KernelId must be letters, digits, '-' or '_': '{id}'");
        return this;
    }
}
