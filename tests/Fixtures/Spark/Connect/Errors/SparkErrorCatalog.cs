namespace KernelGateway.Tests.Fixtures.Spark.Connect.Errors;

/// <summary>
/// The error conditions the fixture raises, with Spark's message templates and SQLSTATEs as published in
/// apache/spark common/utils/src/main/resources/error/error-conditions.json (checked 2026-12). A sub-condition's
/// template is the main template, a space, and the sub-template, as Spark's ErrorClassesJsonReader joins them; the
/// full message is <c>[CLASS] message SQLSTATE: state</c> (SparkThrowableHelper.getMessage).
/// </summary>
internal static class SparkErrorCatalog
{
    private static readonly Dictionary<string, (string Template, string SqlState)> Conditions = new(StringComparer.Ordinal)
    {
        ["TABLE_OR_VIEW_NOT_FOUND"] = (
            "The table or view <relationName> cannot be found. Verify the spelling and correctness of the schema and catalog.\n"
            + "If you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog.\n"
            + "To tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS.", "42P01"),
        ["TABLE_OR_VIEW_ALREADY_EXISTS"] = (
            "Cannot create table or view <relationName> because it already exists.\n"
            + "Choose a different name, drop or replace the existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects.", "42P07"),
        ["SCHEMA_NOT_FOUND"] = (
            "The schema <schemaName> cannot be found. Verify the spelling and correctness of the schema and catalog.\n"
            + "If you did not qualify the name with a catalog, verify the current_schema() output, or qualify the name with the correct catalog.\n"
            + "To tolerate the error on drop use DROP SCHEMA IF EXISTS.", "42704"),
        ["PARSE_SYNTAX_ERROR"] = ("Syntax error at or near <error><hint>.", "42601"),
        ["PARSE_EMPTY_STATEMENT"] = ("Syntax error, unexpected empty statement.", "42617"),
        ["UNRESOLVED_COLUMN.WITH_SUGGESTION"] = (
            "A column, variable, or function parameter with name <objectName> cannot be resolved. Did you mean one of the following? [<proposal>].", "42703"),
        ["UNRESOLVED_COLUMN.WITHOUT_SUGGESTION"] = ("A column, variable, or function parameter with name <objectName> cannot be resolved. ", "42703"),
        ["UNRESOLVED_ROUTINE"] = ("Cannot resolve routine <routineName> on search path <searchPath>.", "42883"),
        ["UNBOUND_SQL_PARAMETER"] = (
            "Found the unbound parameter: <name>. Please, fix `args` and provide a mapping of the parameter to either a SQL literal or collection constructor functions such as `map()`, `array()`, `struct()`.", "42P02"),
        ["INVALID_QUERY_MIXED_QUERY_PARAMETERS"] = ("Parameterized query must either use positional, or named parameters, but not both.", "42613"),
        ["INVALID_SQL_ARG"] = (
            "The argument <name> of `sql()` is invalid. Consider to replace it either by a SQL literal or by collection constructor functions such as `map()`, `array()`, `struct()`.", "42K08"),
        ["CAST_INVALID_INPUT"] = (
            "The value <expression> of the type <sourceType> cannot be cast to <targetType> because it is malformed. Correct the value as per the syntax, or change its target type. Use `try_cast` to tolerate malformed input and return NULL instead.", "22018"),
        ["ARITHMETIC_OVERFLOW"] = ("<message>.<alternative> If necessary set <config> to \"false\" to bypass this error.", "22003"),
        ["OPERATION_CANCELED"] = ("Operation has been canceled.", "HY008"),
        ["INTERNAL_ERROR"] = ("<message>", "XX000"),
        ["INVALID_CONF_VALUE.TIME_ZONE"] = ("The value '<confValue>' in the config \"<confName>\" is invalid. Cannot resolve the given timezone.", "22022"),
        ["SQL_CONF_NOT_FOUND"] = ("The SQL config <sqlConf> cannot be found. Please verify that the config exists.", "42K0I"),
        ["CANNOT_MODIFY_CONFIG"] = ("Cannot modify the value of the Spark config: <key>.\nSee also '<docroot>/sql-migration-guide.html#ddl-statements'.", "46110"),
        ["INVALID_HANDLE.FORMAT"] = ("The handle <handle> is invalid. Handle must be an UUID string of the format '00112233-4455-6677-8899-aabbccddeeff'", "HY000"),
        ["INVALID_HANDLE.OPERATION_ABANDONED"] = ("The handle <handle> is invalid. Operation was considered abandoned because of inactivity and removed.", "HY000"),
        ["INVALID_HANDLE.OPERATION_ALREADY_EXISTS"] = ("The handle <handle> is invalid. Operation already exists.", "HY000"),
        ["INVALID_HANDLE.OPERATION_NOT_FOUND"] = ("The handle <handle> is invalid. Operation not found.", "HY000"),
        ["INVALID_HANDLE.SESSION_CHANGED"] = ("The handle <handle> is invalid. The existing Spark server driver instance has restarted. Please reconnect.", "HY000"),
        ["INVALID_HANDLE.SESSION_CLOSED"] = ("The handle <handle> is invalid. Session was closed.", "HY000"),
        ["INVALID_HANDLE.SESSION_NOT_FOUND"] = ("The handle <handle> is invalid. Session not found.", "HY000"),
        ["INVALID_CURSOR.DISCONNECTED"] = ("The cursor is invalid. The cursor has been disconnected by the server.", "HY109"),
        ["INVALID_CURSOR.NOT_REATTACHABLE"] = ("The cursor is invalid. The cursor is not reattachable.", "HY109"),
        ["INVALID_CURSOR.POSITION_NOT_AVAILABLE"] = ("The cursor is invalid. The cursor position id <responseId> is no longer available at index <index>.", "HY109"),
        ["INVALID_CURSOR.POSITION_NOT_FOUND"] = ("The cursor is invalid. The cursor position id <responseId> is not found.", "HY109"),
    };

    /// <summary>The SQLSTATE of a condition.</summary>
    /// <exception cref="KeyNotFoundException">The fixture does not know the condition.</exception>
    public static string SqlState(string errorClass) => Conditions[errorClass].SqlState;

    /// <summary>The full message: <c>[CLASS] text SQLSTATE: state</c>, each <c>&lt;name&gt;</c> replaced by its parameter.</summary>
    public static string Message(string errorClass, IReadOnlyDictionary<string, string> parameters)
    {
        var (template, state) = Conditions[errorClass];
        var text = template;
        foreach (var (name, value) in parameters) text = text.Replace("<" + name + ">", value, StringComparison.Ordinal);
        return $"[{errorClass}] {text} SQLSTATE: {state}";
    }
}
