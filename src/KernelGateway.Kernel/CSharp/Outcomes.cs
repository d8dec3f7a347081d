using KernelGateway.Kernel.DotNetInteractive;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Hosting;
using Microsoft.CodeAnalysis;

namespace KernelGateway.Kernel.CSharp;

/// <summary>What the user sees of a submission's end: its value as a MIME bundle, or an error with a traceback.</summary>
internal static class Outcomes
{
    public static ExecutionOutcome From(SubmissionEnd end, TimeSpan stopWait) => end switch
    {
        SubmissionEnd.Ran { State.Exception: { } e, Interrupted: true } when e is OperationCanceledException or ThreadInterruptedException => Interrupted(),
        SubmissionEnd.Ran { State.Exception: { } e } => Exception(e),
        SubmissionEnd.Ran { HasValue: true, State.ReturnValue: var value } => ExecutionOutcome.Ok(value is DisplayHandle ? null : Bundle(value)),
        SubmissionEnd.Ran => ExecutionOutcome.Ok(),
        SubmissionEnd.CompileErrors c => CompileErrors(c.Errors),
        SubmissionEnd.Abandoned a => Abandoned(a, stopWait),
        SubmissionEnd.Crashed { Error: OperationCanceledException or ThreadInterruptedException } => Interrupted(),
        SubmissionEnd.Crashed c => Exception(c.Error),
        _ => throw new InvalidOperationException(end.GetType().Name),
    };

    /// <summary>A value as a bundle: plain text of its own for the simplest values, .NET Interactive's formatting for the rest.</summary>
    public static MimeBundle Bundle(object? value) => value switch
    {
        null => MimeBundle.Text("<null>"),
        string s => MimeBundle.Text(s),
        int or long or short or byte or sbyte or uint or ulong or ushort => MimeBundle.Text(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!),
        _ => MimeBundles.FromValue(value),
    };

    public static ExecutionOutcome Interrupted() =>
        ExecutionOutcome.Failed(nameof(OperationCanceledException), "The execution was interrupted.", ["OperationCanceledException: The execution was interrupted."]);

    private static ExecutionOutcome Abandoned(SubmissionEnd.Abandoned cell, TimeSpan stopWait)
    {
        var lost = cell.Declared.Count == 0 ? "" : $" What it declares ({string.Join(", ", cell.Declared)}) is not defined: %who lists it as lost.";
        var message = $"The interrupted cell did not stop within {stopWait.TotalMilliseconds:0} ms, so it was left running in the background on a thread of its own "
                      + "(code that never checks for an interrupt, such as a loop inside a library). Until it ends it keeps a core busy and holds its memory; "
                      + $"its output still reaches this cell. The kernel goes on from the state before this cell.{lost} Restart the kernel to stop it for good.";
        return ExecutionOutcome.Failed("CellAbandoned", message, [$"CellAbandoned: {message}"]);
    }

    private static ExecutionOutcome CompileErrors(IReadOnlyList<Diagnostic> diagnostics)
    {
        var errors = diagnostics
            .Select(d =>
            {
                var span = d.Location.GetMappedLineSpan();
                return $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
            })
            .Distinct()
            .ToList();
        if (errors.Count == 0) errors = ["The cell did not compile."];
        return ExecutionOutcome.Failed("CompilationError", errors[0], errors);
    }

    private static ExecutionOutcome Exception(Exception exception)
    {
        if (exception is System.Reflection.TargetInvocationException { InnerException: { } inner }) exception = inner;
        var trace = exception.ToString().Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .TakeWhile(l => !l.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal) && !l.Contains("KernelGateway.Kernel.CSharp.", StringComparison.Ordinal))
            .ToList();
        return ExecutionOutcome.Failed(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, trace);
    }
}
