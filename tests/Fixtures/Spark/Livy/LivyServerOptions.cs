namespace KernelGateway.Tests.Fixtures.Spark.Livy;

/// <summary>How a <see cref="LivyServer"/> behaves. Every member has a default that acts like a plain Livy server
/// (no CSRF protection, no authentication, sessions idle shortly after they are created).</summary>
public sealed record LivyServerOptions
{
    /// <summary>A prefix every endpoint lives under, as behind a gateway (<c>/gateway/default/livy/v1</c>); none by default.</summary>
    public string PathBase { get; init; } = "";

    /// <summary><c>livy.server.csrf-protection.enabled</c>: refuse every request but GET, OPTIONS and HEAD without
    /// <c>X-Requested-By</c> (400 "Missing Required Header for CSRF protection."). Default false, as Livy.</summary>
    public bool Csrf { get; init; }

    /// <summary>Serve HTTPS with a self-signed certificate for 127.0.0.1 and localhost (<see cref="LivyServer.Certificate"/>). Default false.</summary>
    public bool Https { get; init; }

    /// <summary>When set, every request must carry these Basic credentials, else 401 (as a gateway in front of Livy does); the user is then the sessions' owner.</summary>
    public (string User, string Password)? RequiredBasic { get; init; }

    /// <summary>When set, every request must carry <c>Authorization: Bearer {token}</c>, else 401.</summary>
    public string? RequiredBearerToken { get; init; }

    /// <summary>How long a new session stays <c>starting</c> before it is <c>idle</c> (real time). 50 ms by default.</summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Keep new sessions <c>starting</c> until the test says (<see cref="LivySessionHandle.CompleteStart"/> or
    /// <see cref="LivySessionHandle.End"/>); <see cref="StartDelay"/> is then ignored. Default false.</summary>
    public bool HoldSessionStart { get; init; }

    /// <summary><c>livy.rsc.sql.num-rows</c>: at most this many rows in a <c>sql</c> statement's output. 1000 by default, as Livy.</summary>
    public int SqlNumRows { get; init; } = 1000;

    /// <summary><c>livy.cache-log.size</c>: lines kept of each of an application's stdout and stderr. 200 by default, as Livy.</summary>
    public int LogCacheSize { get; init; } = 200;

    /// <summary>The clock of heartbeats and of the heartbeat watchdog (tests pass a fake one). The system clock by default.</summary>
    public TimeProvider HeartbeatClock { get; init; } = TimeProvider.System;

    /// <summary><c>livy.server.heartbeat-watchdog.interval</c>: how often sessions whose heartbeat expired are deleted, on <see cref="HeartbeatClock"/>. 1 minute by default, as Livy.</summary>
    public TimeSpan HeartbeatWatchdogInterval { get; init; } = TimeSpan.FromMinutes(1);
}
