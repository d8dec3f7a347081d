using System.Data.Common;
using System.Text.RegularExpressions;

namespace KernelGateway.Platform.Sql;

/// <summary>
/// A failed statement, described the same way whatever the engine: the engine's message, where in the statement
/// it went wrong (1-based line and column, when the engine says), and the engine's code. This is where each
/// engine's exception types are known (Npgsql, DuckDB, Trino, Spark); callers see only this record.
/// </summary>
public sealed partial record QueryFailure
{
    /// <summary>The engine's message, without position decorations the record carries separately.</summary>
    public required string Message { get; init; }

    /// <summary>The line of the statement the error is on (1-based), when known.</summary>
    public int? Line { get; init; }

    /// <summary>The column on that line (1-based), when known.</summary>
    public int? Column { get; init; }

    /// <summary>The engine's code: a SQLSTATE (PostgreSQL), an error name (Trino's <c>SYNTAX_ERROR</c>) or an error class (Spark's <c>PARSE_SYNTAX_ERROR</c>).</summary>
    public string? Code { get; init; }

    /// <summary>The engine's query id, when it has one.</summary>
    public string? QueryId { get; init; }

    /// <summary>
    /// Describes an exception thrown while running <paramref name="statement"/>, or returns null when it is not a
    /// failure of the statement (a bug, a cancellation).
    /// </summary>
    public static QueryFailure? From(Exception exception, string statement) => exception switch
    {
        Npgsql.PostgresException pg => FromOffset(pg.MessageText, pg.Position, statement) with { Code = pg.SqlState },
        Trino.TrinoQueryException trino => new QueryFailure
        {
            Message = trino.ServerMessage,
            Line = trino.Line,
            Column = trino.Column,
            Code = trino.ErrorName,
            QueryId = trino.QueryId,
        },
        Trino.TrinoException trino => new QueryFailure { Message = trino.Message },
        Spark.Connect.SparkConnectException spark => FromSpark(spark, statement),
        DbException db => FromCaret(db.Message),
        HttpRequestException http => new QueryFailure { Message = http.Message },
        _ => null,
    };

    /// <summary>A message with a 1-based character offset into the statement.</summary>
    private static QueryFailure FromOffset(string message, int offset, string statement)
    {
        if (offset <= 0 || offset > statement.Length + 1) return new QueryFailure { Message = message };
        var before = statement[..(offset - 1)];
        var line = before.Count(c => c == '\n') + 1;
        var column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
        return new QueryFailure { Message = message, Line = line, Column = column };
    }

    /// <summary>
    /// Spark's failures: the error class as the code, the message without the decorations that say where (Spark's own
    /// <c>== SQL ==</c> excerpt, <c>(line N, pos M)</c> of parse errors, <c>; line N pos M;</c> and the plan after it of
    /// analysis errors), and the place from, in order, the query context of the error details (a character offset),
    /// <c>line</c>/<c>pos</c> message parameters, or the message (Spark's positions are 0-based).
    /// </summary>
    private static QueryFailure FromSpark(Spark.Connect.SparkConnectException spark, string statement)
    {
        var message = spark.ServerMessage;
        var sqlExcerpt = message.IndexOf("\n\n== SQL ==", StringComparison.Ordinal);
        if (sqlExcerpt >= 0) message = message[..sqlExcerpt];
        int? line = null, column = null;
        var parse = SparkParsePosition().Match(message);
        var analysis = SparkAnalysisPosition().Match(message);
        if (parse.Success)
        {
            (line, column) = (Number(parse.Groups[1].Value), Number(parse.Groups[2].Value) + 1);
            message = message.Remove(parse.Index, parse.Length);
        }
        else if (analysis.Success)
        {
            (line, column) = (Number(analysis.Groups[1].Value), Number(analysis.Groups[2].Value) + 1);
            message = message[..analysis.Index];
        }
        if (spark.MessageParameters.TryGetValue("line", out var l) && int.TryParse(l, out var pl)
            && spark.MessageParameters.TryGetValue("pos", out var p) && int.TryParse(p, out var pp))
            (line, column) = (pl, pp + 1);
        var failure = new QueryFailure { Message = message.Trim(), Line = line, Column = column, Code = spark.ErrorClass ?? spark.SqlState, QueryId = spark.OperationId };
        var context = spark.Errors.SelectMany(e => e.QueryContexts).FirstOrDefault(c => c.ObjectType.Length == 0 && c.StartIndex >= 0 && c.StartIndex < statement.Length);
        if (context is null) return failure;
        var located = FromOffset(failure.Message, context.StartIndex + 1, statement);
        return failure with { Line = located.Line, Column = located.Column };
    }

    private static int Number(string digits) => int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s*\(line (\d+), pos (\d+)\)")]
    private static partial Regex SparkParsePosition();

    [GeneratedRegex(@";\s*line (\d+) pos (\d+)")]
    private static partial Regex SparkAnalysisPosition();

    /// <summary>DuckDB's form: the message, then <c>LINE n: text</c> and a caret line under the offending token.</summary>
    private static QueryFailure FromCaret(string text)
    {
        var lines = text.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        for (var i = 0; i + 1 < lines.Count; i++)
        {
            var m = LinePrefix().Match(lines[i]);
            var caret = lines[i + 1].IndexOf('^');
            if (!m.Success || caret < m.Length || lines[i + 1][..caret].Trim().Length > 0) continue;
            // DuckDB shows a window of a long line, starting with "...": the caret is then not a column of the statement.
            var excerpt = lines[i][m.Length..].StartsWith("...", StringComparison.Ordinal);
            var message = string.Join('\n', lines.Take(i)).Trim();
            return new QueryFailure
            {
                Message = message.Length > 0 ? message : text.Trim(),
                Line = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                Column = excerpt ? null : caret - m.Length + 1,
            };
        }
        return new QueryFailure { Message = text.Trim() };
    }

    [GeneratedRegex(@"^LINE (\d+): ")]
    private static partial Regex LinePrefix();
}
