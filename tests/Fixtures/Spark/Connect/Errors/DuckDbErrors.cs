using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Errors;

/// <summary>
/// Maps a DuckDB failure to the Spark error the same mistake gets from Spark: parser errors to PARSE_SYNTAX_ERROR
/// (ParseException, with Spark's <c>(line L, pos P)</c> and <c>== SQL ==</c> excerpt), missing tables to
/// TABLE_OR_VIEW_NOT_FOUND, missing columns to UNRESOLVED_COLUMN.WITH_SUGGESTION (DuckDB's candidate bindings as
/// the proposal) or WITHOUT_SUGGESTION, missing functions to UNRESOLVED_ROUTINE, existing tables to
/// TABLE_OR_VIEW_ALREADY_EXISTS, failed casts to CAST_INVALID_INPUT; analysis errors carry AnalysisException's
/// <c>; line L pos P</c>. Anything else is INTERNAL_ERROR with DuckDB's message.
/// </summary>
internal static partial class DuckDbErrors
{
    private const string SearchPath = "[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]";

    [GeneratedRegex(@"^Parser Error: syntax error at (?:or near ""(?<token>.*)""|(?<end>end of input))")]
    private static partial Regex Syntax();

    [GeneratedRegex(@"^Catalog Error: (?:Table|View) with name (?<name>\S+?) does not exist")]
    private static partial Regex MissingTable();

    [GeneratedRegex(@"^Catalog Error: (?:Table|View) with name (?:""(?<name>[^""]+)""|(?<name>\S+?)) already exists")]
    private static partial Regex ExistingTable();

    [GeneratedRegex(@"^Catalog Error: Schema with name (?<name>\S+?) does not exist")]
    private static partial Regex MissingSchema();

    [GeneratedRegex(@"^Catalog Error: (?:Scalar |Table |Aggregate )?Function with name (?<name>\S+?) does not exist")]
    private static partial Regex MissingFunction();

    [GeneratedRegex(@"^Binder Error: (?:Referenced column ""(?<name>[^""]+)"" not found|Table ""(?<table>[^""]+)"" does not have a column named ""(?<name>[^""]+)"")")]
    private static partial Regex MissingColumn();

    [GeneratedRegex(@"Candidate bindings: [: ]*(?<list>.*)")]
    private static partial Regex Candidates();

    [GeneratedRegex(@"^Conversion Error: Could not convert string '(?<value>.*)' to (?<type>\w+)")]
    private static partial Regex BadCast();

    [GeneratedRegex(@"LINE (?<line>\d+): (?<text>.*)\n(?<caret> *)\^")]
    private static partial Regex Caret();

    /// <summary>The Spark error for <paramref name="e"/>, raised running <paramref name="plan"/> with
    /// <paramref name="linesBefore"/> lines of the fixture's own SQL before the statement.</summary>
    public static SparkError Map(DuckDBException e, SqlPlan plan, int linesBefore)
    {
        var first = e.Message.Split('\n')[0].Trim();
        var position = SourcePosition(e.Message, plan, linesBefore);
        if (Syntax().Match(first) is { Success: true } s) return ParseError(s, plan.SparkSql, position);
        var suffix = position is { } p && plan.SparkSql is { } sql ? SqlStatements.QueryPosition(sql, p) : "";
        return Analysis(first, e.Message, suffix) ?? SparkError.Internal(first);
    }

    private static SparkError? Analysis(string first, string full, string suffix)
    {
        if (MissingTable().Match(first) is { Success: true } t) return Error("TABLE_OR_VIEW_NOT_FOUND", "relationName", Id(t.Groups["name"].Value), suffix);
        if (ExistingTable().Match(first) is { Success: true } x)
        {
            return Error("TABLE_OR_VIEW_ALREADY_EXISTS", "relationName", Identifiers.SqlId(["spark_catalog", "default", x.Groups["name"].Value]), suffix);
        }
        if (MissingSchema().Match(first) is { Success: true } sc) return Error("SCHEMA_NOT_FOUND", "schemaName", Id(sc.Groups["name"].Value), suffix);
        if (MissingFunction().Match(first) is { Success: true } f)
        {
            return SparkError.Of("UNRESOLVED_ROUTINE", JvmException.ExtendedAnalysis,
                new Dictionary<string, string> { ["routineName"] = Id(f.Groups["name"].Value), ["searchPath"] = SearchPath }, suffix);
        }
        if (MissingColumn().Match(first) is { Success: true } c) return UnresolvedColumn(c, full, suffix);
        if (BadCast().Match(first) is { Success: true } b)
        {
            return SparkError.Of("CAST_INVALID_INPUT", JvmException.NumberFormat, new Dictionary<string, string>
            {
                ["expression"] = "'" + b.Groups["value"].Value + "'", ["sourceType"] = "\"STRING\"", ["targetType"] = $"\"{SparkTypeName(b.Groups["type"].Value)}\"",
            });
        }
        return null;
    }

    private static SparkError Error(string errorClass, string parameter, string value, string suffix) =>
        SparkError.Of(errorClass, JvmException.ExtendedAnalysis, new Dictionary<string, string> { [parameter] = value }, suffix);

    private static SparkError UnresolvedColumn(Match m, string full, string suffix)
    {
        var name = m.Groups["table"].Success ? Identifiers.SqlId([m.Groups["table"].Value, m.Groups["name"].Value]) : Id(m.Groups["name"].Value);
        var candidates = Candidates().Match(full) is { Success: true } c
            ? c.Groups["list"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(x => Identifiers.SqlId(x.Trim('"').Split('.').Select(p => p.Trim('"'))))
                .ToList()
            : [];
        return candidates.Count == 0
            ? Error("UNRESOLVED_COLUMN.WITHOUT_SUGGESTION", "objectName", name, suffix)
            : SparkError.Of("UNRESOLVED_COLUMN.WITH_SUGGESTION", JvmException.ExtendedAnalysis,
                new Dictionary<string, string> { ["objectName"] = name, ["proposal"] = string.Join(", ", candidates) }, suffix);
    }

    /// <summary>ParseException's message: the condition's, then <c>(line L, pos P)</c> and the statement with a caret line.</summary>
    private static SparkError ParseError(Match m, string? sql, int? position)
    {
        var error = m.Groups["end"].Success ? "end of input" : "'" + m.Groups["token"].Value + "'";
        var parameters = new Dictionary<string, string> { ["error"] = error, ["hint"] = "" };
        if (sql is null || position is null) return SparkError.Of("PARSE_SYNTAX_ERROR", JvmException.Parse, parameters);
        var offset = Math.Min(position.Value, sql.Length);
        var line = 1 + sql[..offset].Count(ch => ch == '\n');
        var pos = offset - (sql.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1 is var ls && offset > 0 ? ls : 0);
        var lines = sql.Split('\n');
        var context = $" (line {line}, pos {pos})\n\n== SQL ==\n{string.Join("\n", lines.Take(line))}\n{new string('-', pos)}^^^\n"
            + (lines.Length > line ? string.Join("\n", lines.Skip(line)) + "\n" : "");
        return SparkError.Of("PARSE_SYNTAX_ERROR", JvmException.Parse, parameters, context);
    }

    /// <summary>The offset in the client's Spark SQL of DuckDB's caret, if DuckDB showed one.</summary>
    private static int? SourcePosition(string message, SqlPlan plan, int linesBefore)
    {
        var m = Caret().Match(message.Replace("\r", ""));
        if (!m.Success || plan.Rewritten is null) return null;
        var line = int.Parse(m.Groups["line"].Value) - linesBefore;
        var column = m.Groups["caret"].Value.Length - ("LINE " + m.Groups["line"].Value + ": ").Length;
        if (line < 1 || column < 0) return null;
        var lines = plan.Rewritten.DuckDb.Split('\n');
        if (line > lines.Length) return null;
        var window = m.Groups["text"].Value;
        if (window.StartsWith("...", StringComparison.Ordinal)) { window = window[3..]; column -= 3; }
        if (window.EndsWith("...", StringComparison.Ordinal)) window = window[..^3];
        var at = window.Length == 0 ? 0 : Math.Max(0, lines[line - 1].IndexOf(window, StringComparison.Ordinal));
        var offset = lines.Take(line - 1).Sum(l => l.Length + 1) + at + column;
        return plan.Rewritten.SourceOffset(Math.Min(offset, plan.Rewritten.DuckDb.Length));
    }

    private static string Id(string name) => Identifiers.SqlId(name.Split('.').Select(p => p.Trim('"')));

    private static string SparkTypeName(string duck) => duck.ToUpperInvariant() switch
    {
        "INT8" or "TINYINT" => "TINYINT",
        "INT16" or "SMALLINT" => "SMALLINT",
        "INT32" or "INTEGER" => "INT",
        "INT64" or "BIGINT" => "BIGINT",
        "FLOAT" => "FLOAT",
        "DOUBLE" => "DOUBLE",
        "DATE" => "DATE",
        "TIMESTAMP" => "TIMESTAMP_NTZ",
        "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ" => "TIMESTAMP",
        "BOOL" or "BOOLEAN" => "BOOLEAN",
        var other when other.StartsWith("DECIMAL", StringComparison.Ordinal) => other,
        var other => other,
    };
}
