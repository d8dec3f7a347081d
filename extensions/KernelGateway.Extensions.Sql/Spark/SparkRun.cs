using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Sql.Spark;

/// <summary>One run of <c>%%spark</c>: the connection, the language, the session, and what to do with the result.</summary>
internal sealed record SparkRun
{
    public required ConnectionSpec Spec { get; init; }
    public required string Language { get; init; }
    public required string Session { get; init; }
    public required IExecutionSink Sink { get; init; }
    public required IVariableStore? Variables { get; init; }
    public required TabularLimits Limits { get; init; }
    public required string? Out { get; init; }
    public required IReadOnlyDictionary<string, object?> Parameters { get; init; }

    /// <summary>The values of the references a statement makes: <c>--param</c> first, then C# variables.</summary>
    /// <exception cref="UnboundParameterException">A reference has neither.</exception>
    public Dictionary<string, object?> Bind(IEnumerable<string> names) => ParameterValues.Bind(names, Parameters, Variables, ':');
}
