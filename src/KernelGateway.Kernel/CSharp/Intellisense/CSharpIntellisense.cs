using KernelGateway.Kernel.Engine;
using Microsoft.CodeAnalysis.Scripting;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>Placeholder until the Roslyn-based completion lands.</summary>
internal sealed class CSharpIntellisense
{
    public CompletionResult Complete(Script? previous, ScriptOptions options, Type? globalsType, string code, int offset, CancellationToken ct) => new([], offset, offset);

    public MimeBundle? Inspect(Script? previous, ScriptOptions options, Type? globalsType, string code, int offset, int detailLevel, CancellationToken ct) => null;
}
