using Google.Protobuf;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using KernelGateway.Tests.Fixtures.Spark.Connect.Results;
using Metrics = KernelGateway.Tests.Fixtures.Spark.Connect.Proto.ExecutePlanResponse.Types.Metrics;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>The ExecutePlanResponses an execution sends (the operation fills in the ids).</summary>
internal static class Responses
{
    public static ExecutePlanResponse Schema(IReadOnlyList<SparkField> fields) => new() { Schema = new DataType { Struct = SparkType.StructProto(fields) } };

    public static ExecutePlanResponse Batch(byte[] data, long rows, long startOffset) => new()
    {
        ArrowBatch = new ExecutePlanResponse.Types.ArrowBatch { Data = ByteString.CopyFrom(data), RowCount = rows, StartOffset = startOffset },
    };

    public static ExecutePlanResponse ResultComplete() => new() { ResultComplete = new ExecutePlanResponse.Types.ResultComplete() };

    public static ExecutePlanResponse SqlCommandResult(Relation relation) => new()
    {
        SqlCommandResult = new ExecutePlanResponse.Types.SqlCommandResult { Relation = relation },
    };

    /// <summary>Progress of the single stage a DuckDB query is: <paramref name="done"/> of <paramref name="tasks"/> tasks.</summary>
    public static ExecutePlanResponse Progress(int done, int tasks, long bytesRead) => new()
    {
        ExecutionProgress = new ExecutePlanResponse.Types.ExecutionProgress
        {
            Stages =
            {
                new ExecutePlanResponse.Types.ExecutionProgress.Types.StageInfo
                {
                    StageId = 0, NumTasks = tasks, NumCompletedTasks = done, InputBytesRead = bytesRead, Done = done == tasks,
                },
            },
            NumInflightTasks = tasks - done,
        },
    };

    /// <summary>The metrics Spark sends last (MetricGenerator): one plan node, the DuckDB query, with its output rows.</summary>
    public static ExecutePlanResponse Metrics(long rows, long planId)
    {
        var node = new Metrics.Types.MetricObject { Name = "DuckDBQuery", PlanId = planId, Parent = -1 };
        node.ExecutionMetrics["numOutputRows"] = new Metrics.Types.MetricValue { Name = "number of output rows", Value = rows, MetricType = "sum" };
        return new ExecutePlanResponse { Metrics = new Metrics { Metrics_ = { node } } };
    }
}
