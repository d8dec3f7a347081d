using KernelGateway.Protocol.Messages;

namespace KernelGateway.Kernel.Engine;

/// <summary>
/// The small contract a language implements; the router owns every protocol duty around it (busy/idle,
/// execute_input, counting, replies, history, magics). An engine never writes to a socket: it reports
/// through the <see cref="IExecutionSink"/> it is given.
/// </summary>
public interface ILanguageEngine : IAsyncDisposable
{
    /// <summary>The language block of kernel_info_reply; must be available before warm-up ends.</summary>
    LanguageInfo LanguageInfo { get; }

    /// <summary>
    /// Prepares the engine (compiler warm-up). Requests other than kernel_info wait for it. Starting again returns the
    /// first start's task: a host may start the engine before its router does.
    /// </summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Runs code; outputs go to <paramref name="sink"/>. Cancelling the token interrupts the run.</summary>
    Task<ExecutionOutcome> ExecuteAsync(string code, IExecutionSink sink, CancellationToken cancellationToken);

    /// <summary>Completions at a UTF-16 offset.</summary>
    Task<CompletionResult> CompleteAsync(string code, int offset, CancellationToken cancellationToken);

    /// <summary>Documentation for the symbol at a UTF-16 offset, or null.</summary>
    Task<MimeBundle?> InspectAsync(string code, int offset, int detailLevel, CancellationToken cancellationToken);

    /// <summary>Whether code is ready to run: complete, incomplete (with an indent), or invalid.</summary>
    IsCompleteReply IsComplete(string code);

    /// <summary>The names, types and short values of user variables, for <c>%who</c>.</summary>
    Task<IReadOnlyList<VariableInfo>> GetVariablesAsync(CancellationToken cancellationToken);

    /// <summary>Evaluates an expression without side outputs (user_expressions).</summary>
    Task<ExecutionOutcome> EvaluateAsync(string expression, CancellationToken cancellationToken);
}

/// <summary>Where a running cell sends its outputs. Implemented by the router.</summary>
public interface IExecutionSink
{
    /// <summary>Text written to stdout or stderr (<paramref name="name"/>); batched by the sink.</summary>
    void Stream(string name, string text);

    /// <summary>A display_data, or update_display_data when <paramref name="update"/> is set.</summary>
    void Display(MimeBundle bundle, string? displayId, bool update);

    /// <summary>clear_output.</summary>
    void ClearOutput(bool wait);

    /// <summary>Asks the frontend for a line of input.</summary>
    /// <exception cref="StdinNotAllowedException">The frontend does not accept input requests.</exception>
    Task<string> InputAsync(string prompt, bool password, CancellationToken cancellationToken);
}

/// <summary>Thrown when code asks for input but the request was sent with allow_stdin=false.</summary>
public sealed class StdinNotAllowedException()
    : InvalidOperationException("This frontend does not support input requests (allow_stdin is false), so the cell cannot read from the console.");

/// <summary>A MIME bundle: data by MIME type, and per-type metadata.</summary>
public sealed record MimeBundle(System.Text.Json.Nodes.JsonObject Data, System.Text.Json.Nodes.JsonObject Metadata)
{
    /// <summary>A bundle with only text/plain.</summary>
    public static MimeBundle Text(string text) => new(new() { ["text/plain"] = text }, new());
}

/// <summary>The end of a run: success (maybe with a result), or an error.</summary>
public sealed record ExecutionOutcome
{
    /// <summary>The cell's value, when it has one.</summary>
    public MimeBundle? Result { get; init; }

    /// <summary>Set when the run failed.</summary>
    public ErrorContent? Error { get; init; }

    /// <summary>Payloads for execute_reply (e.g. a <c>page</c> payload for the pager).</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonObject> Payload { get; init; } = [];

    /// <summary>True when the run succeeded.</summary>
    public bool Succeeded => Error is null;

    /// <summary>Success, with an optional value.</summary>
    public static ExecutionOutcome Ok(MimeBundle? result = null) => new() { Result = result };

    /// <summary>Failure.</summary>
    public static ExecutionOutcome Failed(string ename, string evalue, IEnumerable<string> traceback) =>
        new() { Error = new ErrorContent(ename, evalue, traceback.ToList()) };
}

/// <summary>Completions: matches and the UTF-16 span they replace.</summary>
public sealed record CompletionResult(IReadOnlyList<CompletionMatch> Matches, int Start, int End);

/// <summary>One completion: the text to insert and its kind (method, property, ...).</summary>
public sealed record CompletionMatch(string Text, string Kind, string? Signature = null);

/// <summary>A user variable; <paramref name="Lost"/> when the cell that declared it was abandoned after an interrupt.</summary>
public sealed record VariableInfo(string Name, string TypeName, string Value, bool Lost = false);

/// <summary>An engine with its own directives (e.g. .NET Interactive's <c>#!name</c>), which <c>%%name</c> may address.</summary>
public interface IDirectiveProvider
{
    /// <summary>Directive names without the prefix, e.g. <c>csharp</c>, <c>who</c>, <c>connect</c>.</summary>
    IReadOnlyCollection<string> DirectiveNames { get; }

    /// <summary>How a directive is written in the language, e.g. <c>#!csharp</c>.</summary>
    string FormatDirective(string name, string arguments);
}

/// <summary>An engine whose variables other code (magics) can read and set, e.g. to bind C# values into SQL.</summary>
public interface IVariableStore
{
    /// <summary>The current value of a variable; false when there is none of that name.</summary>
    bool TryGetVariable(string name, out object? value);

    /// <summary>Declares or replaces a variable, visible to the next cells.</summary>
    Task SetVariableAsync(string name, object? value, Type type, CancellationToken cancellationToken);
}
