using KernelGateway.Kernel.Engine;
using KernelGateway.Platform.Sql;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Sql;

/// <summary>A failed statement as one Jupyter error: the engine's message, then the cell line it points at with a caret under the spot.</summary>
internal static class SqlErrors
{
    /// <param name="failure">What the engine said.</param>
    /// <param name="spec">The connection.</param>
    /// <param name="script">The SQL of the cell (or line).</param>
    /// <param name="statement">The statement that failed, and where it starts in <paramref name="script"/>.</param>
    /// <param name="headerLines">Lines of the cell before <paramref name="script"/> (the <c>%%sql</c> line).</param>
    public static ExecutionOutcome Outcome(QueryFailure failure, ConnectionSpec spec, string script, SqlStatementText statement, int headerLines)
    {
        var head = $"SqlError ({spec.Name}, {spec.Kind}): {failure.Message}";
        var traceback = new List<string> { head };
        if (failure.QueryId is { } id) traceback.Add($"query {id}{(failure.Code is { } code ? $" · {code}" : "")}");
        else if (failure.Code is { } code) traceback.Add(code);
        if (failure.Line is { } line && Caret(script, statement, line, failure.Column) is { } caret)
        {
            var (cellLine, text, column) = caret;
            var label = $"cell line {cellLine + headerLines}: ";
            traceback.Add(label + text);
            if (column is { } c) traceback.Add(new string(' ', label.Length + Math.Max(0, c - 1)) + "^");
        }
        var where = failure.Line is { } l ? $" (line {l}{(failure.Column is { } col ? $", column {col}" : "")} of the statement)" : "";
        return ExecutionOutcome.Failed("SqlError", failure.Message + where, traceback);
    }

    /// <summary>The script's line (1-based) of a statement's line, its text, and the column in it.</summary>
    private static (int Line, string Text, int? Column)? Caret(string script, SqlStatementText statement, int line, int? column)
    {
        var lines = script.Split('\n');
        var before = script[..statement.Offset];
        var firstLine = before.Count(c => c == '\n');
        var index = firstLine + line - 1;
        if (index < 0 || index >= lines.Length) return null;
        // On its first line a statement may start after other text (a previous statement's ';').
        var shift = line == 1 ? statement.Offset - (before.LastIndexOf('\n') + 1) : 0;
        return (index + 1, lines[index].TrimEnd('\r'), column is { } c ? c + shift : null);
    }
}
