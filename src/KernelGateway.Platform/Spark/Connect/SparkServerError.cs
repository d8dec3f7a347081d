namespace KernelGateway.Platform.Spark.Connect;

/// <summary>One error of a failure's chain as the server describes it through <c>FetchErrorDetails</c>.</summary>
public sealed record SparkServerError
{
    /// <summary>The server-side exception class and its base classes, most specific first.</summary>
    public IReadOnlyList<string> ExceptionTypes { get; init; } = [];

    /// <summary>The exception's message.</summary>
    public required string Message { get; init; }

    /// <summary>Spark's error class, when the exception has one.</summary>
    public string? ErrorClass { get; init; }

    /// <summary>The SQLSTATE, when the exception has one.</summary>
    public string? SqlState { get; init; }

    /// <summary>The values of the error class's message template.</summary>
    public IReadOnlyDictionary<string, string> MessageParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Where in the query it went wrong.</summary>
    public IReadOnlyList<SparkQueryContext> QueryContexts { get; init; } = [];

    /// <summary>The server's stack, one frame a line (<c>class.method(file:line)</c>); empty unless the server sends it.</summary>
    public IReadOnlyList<string> StackTrace { get; init; } = [];
}
