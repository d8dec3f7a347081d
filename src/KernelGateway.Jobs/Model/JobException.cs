namespace KernelGateway.Jobs.Model;

/// <summary>What kind of refusal a <see cref="JobException"/> is; the HTTP API maps it to a status.</summary>
public enum JobError
{
    /// <summary>No such schedule or run.</summary>
    NotFound,

    /// <summary>Bad input: a cron, time zone, name, notebook or parameter that cannot be used.</summary>
    Invalid,

    /// <summary>The request clashes with the state: a schedule name taken, a run already ended.</summary>
    Conflict,
}

/// <summary>A refusal of the jobs library, with a message naming what and where.</summary>
public sealed class JobException(JobError error, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The kind of refusal.</summary>
    public JobError Error { get; } = error;
}
