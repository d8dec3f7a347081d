using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using KernelGateway.Tests.Fixtures.Trino.Sql;

namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>
/// A query failure as Trino reports it: message, error code and name from Trino's StandardErrorCode
/// (core/trino-spi/src/main/java/io/trino/spi/StandardErrorCode.java: SYNTAX_ERROR 1, USER_CANCELED 3,
/// NOT_FOUND 5, FUNCTION_NOT_FOUND 6, DIVISION_BY_ZERO 8, INVALID_CAST_ARGUMENT 9, CONSTRAINT_VIOLATION 16,
/// NUMERIC_VALUE_OUT_OF_RANGE 19, UNKNOWN_TRANSACTION 20, NOT_IN_TRANSACTION 21, CATALOG_NOT_FOUND 44,
/// SCHEMA_NOT_FOUND 45, TABLE_NOT_FOUND 46, COLUMN_NOT_FOUND 47, TABLE_ALREADY_EXISTS 50, TYPE_MISMATCH 58,
/// GENERIC_USER_ERROR 0, GENERIC_INTERNAL_ERROR 65536), its type (USER_ERROR, INTERNAL_ERROR) and the 1-based
/// line and column of the offending token when known.
/// </summary>
internal sealed partial record TrinoError(string Message, int Code, string Name, string Type, int? Line = null, int? Column = null,
    string ExceptionType = "io.trino.spi.TrinoException")
{
    public static TrinoError User(string message, int code, string name) => new(message, code, name, "USER_ERROR");

    public static TrinoError Canceled() => User("Query was canceled", 3, "USER_CANCELED");

    public static TrinoError Internal(Exception e) => new(e.Message, 65536, "GENERIC_INTERNAL_ERROR", "INTERNAL_ERROR", ExceptionType: e.GetType().FullName ?? "Exception");

    [GeneratedRegex(@"LINE (?<line>\d+): (?<text>.*)\n(?<caret> *)\^")]
    private static partial Regex Caret();

    /// <summary>Maps a DuckDB failure of <paramref name="shim"/>'s SQL, which DuckDB saw after
    /// <paramref name="linesBefore"/> extra lines (a DESCRIBE prefix), to Trino's error.</summary>
    public static TrinoError From(DuckDBException e, ShimmedSql? shim, string originalSql, int linesBefore = 0)
    {
        var first = e.Message.Split('\n')[0].Trim();
        var (code, name) = Classify(first);
        var type = code == 65536 ? "INTERNAL_ERROR" : "USER_ERROR";
        var (line, column) = Location(e.Message, shim, originalSql, linesBefore);
        var text = Strip(first);
        if (code == 1 && line is null) (line, column) = EndOfInput(originalSql);
        var message = line is null ? text : $"line {line}:{column}: {text}";
        var exception = code == 1 ? "io.trino.sql.parser.ParsingException" : "io.trino.spi.TrinoException";
        return new TrinoError(message, code, name, type, line, column, exception);
    }

    private static (int, string) Classify(string m) => m switch
    {
        _ when m.StartsWith("Parser Error", StringComparison.Ordinal) => (1, "SYNTAX_ERROR"),
        _ when m.StartsWith("INTERRUPT", StringComparison.OrdinalIgnoreCase) || m.Contains("Interrupted", StringComparison.Ordinal) => (3, "USER_CANCELED"),
        _ when m.StartsWith("Catalog Error", StringComparison.Ordinal) => m switch
        {
            _ when m.Contains("already exists", StringComparison.Ordinal) => (50, "TABLE_ALREADY_EXISTS"),
            _ when m.Contains("Table with name", StringComparison.Ordinal) || m.Contains("View with name", StringComparison.Ordinal) => (46, "TABLE_NOT_FOUND"),
            _ when m.Contains("Schema with name", StringComparison.Ordinal) => (45, "SCHEMA_NOT_FOUND"),
            _ when m.Contains("Catalog", StringComparison.Ordinal) && m.Contains("does not exist", StringComparison.Ordinal) && m.Contains("atabase", StringComparison.Ordinal) => (44, "CATALOG_NOT_FOUND"),
            _ when m.Contains("Function with name", StringComparison.Ordinal) => (6, "FUNCTION_NOT_FOUND"),
            _ => (5, "NOT_FOUND"),
        },
        _ when m.StartsWith("Binder Error", StringComparison.Ordinal) => m switch
        {
            _ when m.Contains("Referenced column", StringComparison.Ordinal) || m.Contains("not found in FROM clause", StringComparison.Ordinal) => (47, "COLUMN_NOT_FOUND"),
            _ when m.Contains("No function matches", StringComparison.Ordinal) => (6, "FUNCTION_NOT_FOUND"),
            _ when m.Contains("Cannot compare", StringComparison.Ordinal) || m.Contains("type", StringComparison.OrdinalIgnoreCase) => (58, "TYPE_MISMATCH"),
            _ => (0, "GENERIC_USER_ERROR"),
        },
        _ when m.StartsWith("Conversion Error", StringComparison.Ordinal) => (9, "INVALID_CAST_ARGUMENT"),
        _ when m.Contains("Division by zero", StringComparison.OrdinalIgnoreCase) => (8, "DIVISION_BY_ZERO"),
        _ when m.StartsWith("Out of Range Error", StringComparison.Ordinal) => (19, "NUMERIC_VALUE_OUT_OF_RANGE"),
        _ when m.StartsWith("Constraint Error", StringComparison.Ordinal) => (16, "CONSTRAINT_VIOLATION"),
        _ when m.StartsWith("Invalid Input Error", StringComparison.Ordinal) => (0, "GENERIC_USER_ERROR"),
        _ => (65536, "GENERIC_INTERNAL_ERROR"),
    };

    [GeneratedRegex(@"^(?:Table|View) with name (?<name>\S+) does not exist!?")]
    private static partial Regex MissingTable();

    [GeneratedRegex(@"^Referenced column ""?(?<name>[^""]+)""? not found")]
    private static partial Regex MissingColumn();

    [GeneratedRegex(@"^(?:Scalar |Table |Aggregate )?Function with name (?<name>\S+) does not exist!?")]
    private static partial Regex MissingFunction();

    /// <summary>DuckDB's message without its "X Error: " prefix, in Trino's words for the common cases.</summary>
    private static string Strip(string first)
    {
        var colon = first.IndexOf(": ", StringComparison.Ordinal);
        var text = colon > 0 && first[..colon].EndsWith("Error", StringComparison.Ordinal) ? first[(colon + 2)..] : first;
        if (MissingTable().Match(text) is { Success: true } t) return $"Table '{t.Groups["name"].Value}' does not exist";
        if (MissingColumn().Match(text) is { Success: true } c) return $"Column '{c.Groups["name"].Value}' cannot be resolved";
        if (MissingFunction().Match(text) is { Success: true } f) return $"Function '{f.Groups["name"].Value}' not registered";
        return text;
    }

    private static (int?, int?) Location(string message, ShimmedSql? shim, string originalSql, int linesBefore)
    {
        var m = Caret().Match(message.Replace("\r", ""));
        if (!m.Success) return (null, null);
        var duckLine = int.Parse(m.Groups["line"].Value);
        var line = duckLine - linesBefore;
        var column = m.Groups["caret"].Value.Length - ("LINE " + m.Groups["line"].Value + ": ").Length;
        if (line < 1 || column < 0) return (null, null);
        var text = shim?.DuckDb ?? originalSql;
        column = ColumnInLine(LineOf(text, line), m.Groups["text"].Value, column);
        if (shim is null) return (line, column + 1);
        return PositionOf(originalSql, shim.OriginalOffset(OffsetOf(text, line, column)));
    }

    /// <summary>DuckDB shows a window of a long line (with "..." where it is cut): finds the window in the real line.</summary>
    private static int ColumnInLine(string line, string window, int caret)
    {
        if (window.StartsWith("...", StringComparison.Ordinal)) { window = window[3..]; caret -= 3; }
        if (window.EndsWith("...", StringComparison.Ordinal)) window = window[..^3];
        var at = window.Length == 0 ? -1 : line.IndexOf(window, StringComparison.Ordinal);
        return Math.Max(0, (at < 0 ? 0 : at) + caret);
    }

    private static string LineOf(string text, int line)
    {
        var lines = text.Replace("\r", "").Split('\n');
        return line <= lines.Length ? lines[line - 1] : "";
    }

    private static int OffsetOf(string text, int line, int column)
    {
        var offset = 0;
        for (var l = 1; l < line; l++)
        {
            var nl = text.IndexOf('\n', offset);
            if (nl < 0) break;
            offset = nl + 1;
        }
        return Math.Min(text.Length, offset + column);
    }

    private static (int?, int?) PositionOf(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1 + text[..offset].Count(c => c == '\n');
        var lineStart = text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        if (offset == 0) lineStart = 0;
        return (line, offset - lineStart + 1);
    }

    private static (int?, int?) EndOfInput(string sql) => PositionOf(sql.TrimEnd(), sql.TrimEnd().Length);
}
