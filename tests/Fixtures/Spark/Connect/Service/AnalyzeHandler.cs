using System.Text;
using DuckDB.NET.Data;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Plans;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using KernelGateway.Tests.Fixtures.Spark.Connect.Results;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Service;

/// <summary>
/// AnalyzePlan, as SparkConnectAnalyzeHandler: <c>schema</c> (the relation's columns, from DuckDB's DESCRIBE, nothing
/// runs), <c>tree_string</c> (StructType.treeString), <c>explain</c> (DuckDB's physical plan under Spark's
/// <c>== Physical Plan ==</c> heading, whatever the mode) and <c>spark_version</c>.
/// </summary>
internal sealed class AnalyzeHandler(ServerState state)
{
    public AnalyzePlanResponse AnalyzePlan(AnalyzePlanRequest request)
    {
        var session = state.Sessions.GetOrCreate(request.UserContext?.UserId ?? "", request.SessionId,
            ExecuteHandler.ObservedId(request.HasClientObservedServerSideSessionId, request.ClientObservedServerSideSessionId));
        var response = new AnalyzePlanResponse { SessionId = request.SessionId, ServerSideSessionId = session.ServerSideSessionId };
        switch (request.AnalyzeCase)
        {
            case AnalyzePlanRequest.AnalyzeOneofCase.Schema:
                response.Schema = new AnalyzePlanResponse.Types.Schema { Schema_ = new DataType { Struct = SparkType.StructProto(Fields(request.Schema.Plan, session.Config.TimeZone)) } };
                break;
            case AnalyzePlanRequest.AnalyzeOneofCase.TreeString:
                response.TreeString = new AnalyzePlanResponse.Types.TreeString { TreeString_ = TreeString(Fields(request.TreeString.Plan, session.Config.TimeZone)) };
                break;
            case AnalyzePlanRequest.AnalyzeOneofCase.Explain:
                response.Explain = new AnalyzePlanResponse.Types.Explain { ExplainString = Explain(request.Explain.Plan, session.Config.TimeZone) };
                break;
            case AnalyzePlanRequest.AnalyzeOneofCase.SparkVersion:
                response.SparkVersion = new AnalyzePlanResponse.Types.SparkVersion { Version = state.Options.SparkVersion };
                break;
            default:
                throw SparkError.Internal($"The fixture does not support AnalyzePlan {request.AnalyzeCase}.");
        }
        return response;
    }

    private IReadOnlyList<SparkField> Fields(Plan plan, string timeZone)
    {
        using var connection = state.Db.Open(timeZone);
        return QueryResult.Describe(connection, Root(plan)).Select(c => c.Field).ToList();
    }

    private string Explain(Plan plan, string timeZone)
    {
        var sql = Root(plan);
        using var connection = state.Db.Open(timeZone);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "EXPLAIN\n" + sql.DuckDb;
        foreach (var p in sql.Parameters) cmd.Parameters.Add(new DuckDBParameter(p.DuckName, p.Value ?? DBNull.Value));
        var text = new StringBuilder("== Physical Plan ==\n");
        try
        {
            using var r = cmd.ExecuteReader();
            while (r.Read()) text.Append(r.GetString(1)).Append('\n');
        }
        catch (DuckDBException e)
        {
            throw DuckDbErrors.Map(e, sql, linesBefore: 1);
        }
        return text.Append('\n').ToString();
    }

    private static SqlPlan Root(Plan plan) =>
        plan?.OpTypeCase == Plan.OpTypeOneofCase.Root ? RelationPlans.Plan(plan.Root) : throw SparkError.Internal("The fixture analyzes relations only.");

    /// <summary>StructType.treeString: <c>root</c>, then <c> |-- name: type (nullable = true)</c>, nested types indented.</summary>
    public static string TreeString(IReadOnlyList<SparkField> fields)
    {
        var sb = new StringBuilder("root\n");
        foreach (var f in fields) Field(sb, " |", f.Name, f.Type, $" (nullable = {(f.Nullable ? "true" : "false")})");
        return sb.ToString();
    }

    private static void Field(StringBuilder sb, string prefix, string name, SparkType type, string suffix)
    {
        sb.Append(prefix).Append("-- ").Append(name).Append(": ").Append(type.TypeName).Append(suffix).Append('\n');
        var inner = prefix + "    |";
        switch (type.Kind)
        {
            case SparkKind.Array:
                Field(sb, inner, "element", type.Element!, " (containsNull = true)");
                break;
            case SparkKind.Map:
                Field(sb, inner, "key", type.Key!, "");
                Field(sb, inner, "value", type.Value!, " (valueContainsNull = true)");
                break;
            case SparkKind.Struct:
                foreach (var f in type.Fields!) Field(sb, inner, f.Name, f.Type, $" (nullable = {(f.Nullable ? "true" : "false")})");
                break;
        }
    }
}
