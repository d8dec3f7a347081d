using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>
/// Livy's <c>SQLInterpreter</c> over DuckDB: the code is one statement; the answer is <c>application/json</c>
/// <c>{schema: StructType JSON, data: [[...]]}</c> with at most <c>livy.rsc.sql.num-rows</c> rows (and no word of
/// the rest, as Livy); a failure is <c>ename "Error"</c> with the engine's message and a traceback.
/// </summary>
internal sealed class SqlInterpreter(DuckDbSql sql, int maxRows)
{
    public async Task<LivyReply> RunAsync(string code, CancellationToken ct)
    {
        SqlRows result;
        try
        {
            result = await sql.RunAsync(code.Trim().TrimEnd(';'), maxRows, ct);
        }
        catch (DuckDBException e) when (!ct.IsCancellationRequested)
        {
            return Failure(e.Message);
        }
        var types = result.Columns.Select(c => SparkTypes.Map(c.Type)).ToList();
        var schema = new JsonObject
        {
            ["type"] = "struct",
            ["fields"] = new JsonArray([.. result.Columns.Select((c, i) => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = types[i].DeepClone(),
                ["nullable"] = true,
                ["metadata"] = new JsonObject(),
            })]),
        };
        var data = new JsonArray([.. result.Rows.Select(row => (JsonNode)new JsonArray([.. row.Select((v, i) => SparkTypes.Value(types[i], v))]))]);
        return LivyReply.Data(new() { ["application/json"] = new JsonObject { ["schema"] = schema, ["data"] = data } });
    }

    /// <summary>As SQLInterpreter answers an exception: ename "Error", the message, the stack as the traceback.</summary>
    public static LivyReply Failure(string message) =>
        LivyReply.Error("Error", message, "org.apache.spark.sql.Dataset$.ofRows(Dataset.scala) [the Livy fixture runs SQL on DuckDB]",
            "org.apache.livy.repl.SQLInterpreter.execute(SQLInterpreter.scala)");
}
