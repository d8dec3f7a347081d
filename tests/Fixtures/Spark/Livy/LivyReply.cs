using System.Globalization;
using System.Text.Json.Nodes;

namespace KernelGateway.Tests.Fixtures.Spark.Livy;

/// <summary>
/// What a scripted statement answers, built as Livy's interpreters build it (<c>repl/Session.scala</c>,
/// <c>fake_shell.py</c>): a MIME bundle under <c>data</c> with <c>status: "ok"</c>, or <c>status: "error"</c> with
/// <c>ename</c>, <c>evalue</c>, <c>traceback</c>. The execution count is the statement's id, added by the server.
/// </summary>
public sealed class LivyReply
{
    private readonly JsonObject? _data;
    private readonly (string EName, string EValue, string[] Traceback)? _error;

    private LivyReply(JsonObject? data, (string, string, string[])? error)
    {
        _data = data;
        _error = error;
    }

    /// <summary>Printed text (<c>text/plain</c>).</summary>
    public static LivyReply Text(string text) => Data(new() { ["text/plain"] = text });

    /// <summary>A <c>%json</c> value (<c>application/json</c>).</summary>
    public static LivyReply Json(JsonNode? value) => Data(new() { ["application/json"] = value });

    /// <summary>A <c>%matplot</c> image (<c>image/png</c>, base64).</summary>
    public static LivyReply Png(byte[] png) => Data(new() { ["image/png"] = Convert.ToBase64String(png) });

    /// <summary>A table exactly as given: <c>application/vnd.livy.table.v1+json</c> <c>{headers: [{name, type}], data}</c>.</summary>
    public static LivyReply Table(IReadOnlyList<(string Name, string Type)> headers, IEnumerable<JsonNode?[]> rows) =>
        Data(new()
        {
            ["application/vnd.livy.table.v1+json"] = new JsonObject
            {
                ["headers"] = new JsonArray([.. headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.Name, ["type"] = h.Type })]),
                ["data"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonArray([.. r.Select(v => v?.DeepClone())]))]),
            },
        });

    /// <summary>
    /// A table as PySpark's <c>%table</c> writes it (<c>fake_shell.py</c> <c>magic_table</c>): rows are dicts, columns
    /// sorted by name, each typed by its values (None <c>NULL_TYPE</c>, bool <c>BOOLEAN_TYPE</c>, int <c>INT_TYPE</c>,
    /// float <c>DOUBLE_TYPE</c>, str <c>STRING_TYPE</c>, date <c>DATE_TYPE</c> and datetime <c>TIMESTAMP_TYPE</c> as
    /// Python's <c>str()</c>, Decimal <c>DECIMAL_TYPE</c> as its text); rows of different types are an error.
    /// </summary>
    public static LivyReply PythonTable(IEnumerable<IReadOnlyDictionary<string, object?>> rows)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var data = new List<JsonNode?[]>();
        foreach (var row in rows)
        {
            var cells = new List<JsonNode?>();
            foreach (var (name, value) in row.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var (type, json) = PythonValue(value);
                if (!headers.TryGetValue(name, out var known)) headers[name] = type;
                else if (type != "NULL_TYPE" && known != type)
                {
                    if (known != "NULL_TYPE") return Error("Exception", "table rows have different types");
                    headers[name] = type;
                }
                cells.Add(json);
            }
            data.Add([.. cells]);
        }
        return Table([.. headers.Select(h => (h.Key, h.Value))], data);
    }

    /// <summary>Any MIME bundle.</summary>
    public static LivyReply Data(Dictionary<string, JsonNode?> bundle) =>
        new(new JsonObject(bundle.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))), null);

    /// <summary>A failed statement.</summary>
    public static LivyReply Error(string ename, string evalue, params string[] traceback) => new(null, (ename, evalue, traceback));

    /// <summary>The statement's <c>output</c>.</summary>
    internal JsonObject ToOutput(int executionCount)
    {
        if (_error is { } e)
            return new JsonObject
            {
                ["status"] = "error",
                ["execution_count"] = executionCount,
                ["ename"] = e.EName,
                ["evalue"] = e.EValue,
                ["traceback"] = new JsonArray([.. e.Traceback.Select(t => (JsonNode)t)]),
            };
        return new JsonObject { ["status"] = "ok", ["execution_count"] = executionCount, ["data"] = _data!.DeepClone() };
    }

    private static (string Type, JsonNode? Value) PythonValue(object? value) => value switch
    {
        null => ("NULL_TYPE", null),
        bool b => ("BOOLEAN_TYPE", b),
        int or long or short or byte or sbyte => ("INT_TYPE", JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture))),
        double or float => ("DOUBLE_TYPE", JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture))),
        decimal m => ("DECIMAL_TYPE", m.ToString(CultureInfo.InvariantCulture)),
        DateOnly d => ("DATE_TYPE", d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime t => ("TIMESTAMP_TYPE", t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
        _ => ("STRING_TYPE", value.ToString()),
    };
}
