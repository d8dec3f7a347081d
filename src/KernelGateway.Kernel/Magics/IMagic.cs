using KernelGateway.Kernel.Engine;

namespace KernelGateway.Kernel.Magics;

/// <summary>Where a magic may stand: on a line of its own (<c>%name</c>), heading a cell (<c>%%name</c>), or both.</summary>
[Flags]
public enum MagicKinds
{
    /// <summary><c>%name args</c>.</summary>
    Line = 1,
    /// <summary><c>%%name args</c> on the first line; the rest of the cell is the body.</summary>
    Cell = 2,
}

/// <summary>
/// A magic command. Registering one is a single call: <c>registry.Add(new MyMagic())</c>.
/// </summary>
public interface IMagic
{
    /// <summary>The name without <c>%</c>.</summary>
    string Name { get; }

    /// <summary>Where it may stand.</summary>
    MagicKinds Kinds { get; }

    /// <summary>One line for <c>%lsmagic</c>.</summary>
    string Summary { get; }

    /// <summary>Runs the magic.</summary>
    Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>One use of a magic.</summary>
public sealed record MagicInvocation
{
    /// <summary>The text after the name on the magic's line.</summary>
    public required string Arguments { get; init; }

    /// <summary>The cell body (cell magics only).</summary>
    public string? Body { get; init; }

    /// <summary>True for <c>%%name</c>.</summary>
    public bool IsCell => Body is not null;

    /// <summary>Where outputs go.</summary>
    public required IExecutionSink Sink { get; init; }

    /// <summary>The language engine.</summary>
    public required ILanguageEngine Engine { get; init; }

    /// <summary>Runs code as a cell would (magics included), for magics that wrap code such as <c>%%time</c>.</summary>
    public required Func<string, CancellationToken, Task<ExecutionOutcome>> RunCodeAsync { get; init; }

    /// <summary>The registry, for magics that list magics.</summary>
    public required MagicRegistry Registry { get; init; }
}
