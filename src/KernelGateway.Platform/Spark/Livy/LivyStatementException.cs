namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// A statement ran and failed: its output has <c>status: "error"</c> with the interpreter's exception name, value and
/// traceback (a Scala compile error, a Python exception, a Spark SQL <c>AnalysisException</c>).
/// </summary>
public sealed class LivyStatementException : LivyException
{
    /// <summary>A failed statement.</summary>
    public LivyStatementException(int sessionId, int statementId, string ename, string evalue, IReadOnlyList<string> traceback)
        : base($"{ename}: {evalue} (statement {statementId} of Livy session {sessionId})")
    {
        SessionId = sessionId;
        StatementId = statementId;
        EName = ename;
        EValue = evalue;
        Traceback = traceback;
    }

    /// <summary>The session.</summary>
    public int SessionId { get; }

    /// <summary>The statement.</summary>
    public int StatementId { get; }

    /// <summary>The exception's name (<c>ename</c>), e.g. <c>Error</c>, <c>NameError</c>.</summary>
    public string EName { get; }

    /// <summary>The exception's value (<c>evalue</c>): the message.</summary>
    public string EValue { get; }

    /// <summary>The traceback lines, as sent.</summary>
    public IReadOnlyList<string> Traceback { get; }
}
