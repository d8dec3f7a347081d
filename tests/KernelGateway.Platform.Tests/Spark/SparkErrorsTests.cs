using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Spark.Connect.Proto;
using KernelGateway.Platform.Sql;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>
/// Failures as Spark's server sends them (sql/connect/server .../utils/ErrorUtils.scala buildStatusFromThrowable:
/// status INTERNAL, the message, and an ErrorInfo whose reason is the exception class, domain org.apache.spark,
/// metadata classes / sqlState / errorClass / messageParameters / errorId / stackTrace).
/// </summary>
public sealed class SparkErrorsTests
{
    private static readonly Uri Endpoint = new("http://spark:15002");

    private const string ParseMessage = "[PARSE_SYNTAX_ERROR] Syntax error at or near 'FRM'. SQLSTATE: 42601 (line 2, pos 4)\n\n== SQL ==\nSELECT 1\n  2 FRM x\n----^^^\n";

    private static RpcException SparkFailure(string message, string errorClass, string sqlState, string parameters, string? errorId = "6f0d1f0e-0000-4000-8000-000000000001")
    {
        var info = new ErrorInfo { Reason = "org.apache.spark.sql.catalyst.parser.ParseException", Domain = "org.apache.spark" };
        info.Metadata["classes"] = "[\"org.apache.spark.sql.catalyst.parser.ParseException\",\"org.apache.spark.sql.AnalysisException\"]";
        info.Metadata["errorClass"] = errorClass;
        info.Metadata["sqlState"] = sqlState;
        info.Metadata["messageParameters"] = parameters;
        if (errorId is not null) info.Metadata["errorId"] = errorId;
        var status = new Google.Rpc.Status { Code = (int)Code.Internal, Message = message };
        status.Details.Add(Any.Pack(info));
        return status.ToRpcException();
    }

    [Fact]
    public void Error_info_in_the_status_details_gives_class_sqlstate_parameters_and_id()
    {
        var e = SparkErrors.FromRpc(SparkFailure(ParseMessage, "PARSE_SYNTAX_ERROR", "42601", "{\"error\":\"'FRM'\",\"hint\":\"\"}"), Endpoint, "op-1");
        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Equal(("PARSE_SYNTAX_ERROR", "42601", "6f0d1f0e-0000-4000-8000-000000000001"), (e.ErrorClass, e.SqlState, e.ErrorId));
        Assert.Equal("org.apache.spark.sql.catalyst.parser.ParseException", e.ExceptionType);
        Assert.Equal(new Dictionary<string, string> { ["error"] = "'FRM'", ["hint"] = "" }, e.MessageParameters);
        Assert.Equal(ParseMessage, e.ServerMessage);
        Assert.Equal("op-1", e.OperationId);
        Assert.IsType<RpcException>(e.InnerException);
    }

    [Fact]
    public void The_same_keys_are_read_from_plain_trailers()
    {
        var trailers = new Metadata { { "errorclass", "TABLE_OR_VIEW_NOT_FOUND" }, { "sqlstate", "42P01" }, { "messageparameters", "{\"relationName\":\"`x`\"}" } };
        var e = SparkErrors.FromRpc(new RpcException(new Grpc.Core.Status(StatusCode.Internal, "[TABLE_OR_VIEW_NOT_FOUND] The table or view `x` cannot be found."), trailers), Endpoint);
        Assert.Equal(("TABLE_OR_VIEW_NOT_FOUND", "42P01", "`x`"), (e.ErrorClass, e.SqlState, e.MessageParameters["relationName"]));
        Assert.Null(e.ErrorId);
    }

    [Fact]
    public void A_transport_failure_names_the_server_and_the_status()
    {
        var e = SparkErrors.FromRpc(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "Error connecting to subchannel.", new HttpRequestException("Connection refused"))), Endpoint);
        Assert.Contains("spark:15002", e.Message);
        Assert.Contains("Unavailable", e.Message);
        Assert.Null(e.ErrorClass);
    }

    [Fact]
    public void An_interrupted_operation_is_recognised_by_its_error_class()
    {
        var e = SparkErrors.FromRpc(SparkFailure("[OPERATION_CANCELED] Operation has been cancelled. SQLSTATE: HY008", "OPERATION_CANCELED", "HY008", "{}"), Endpoint);
        Assert.True(SparkErrors.IsCanceled(e));
        Assert.False(SparkErrors.IsCanceled(SparkErrors.FromRpc(SparkFailure(ParseMessage, "PARSE_SYNTAX_ERROR", "42601", "{}"), Endpoint)));
        Assert.Null(QueryFailure.From(new SparkOperationCanceledException("op", true, e), "SELECT 1"));
    }

    [Fact]
    public void Fetched_details_add_the_cause_chain_stack_and_query_context()
    {
        var details = new FetchErrorDetailsResponse { RootErrorIdx = 0 };
        var root = new FetchErrorDetailsResponse.Types.Error { Message = "Syntax error", CauseIdx = 1, SparkThrowable = new() { ErrorClass = "PARSE_SYNTAX_ERROR", SqlState = "42601" } };
        root.ErrorTypeHierarchy.Add("org.apache.spark.sql.catalyst.parser.ParseException");
        root.SparkThrowable.QueryContexts.Add(new FetchErrorDetailsResponse.Types.QueryContext { StartIndex = 13, StopIndex = 15, Fragment = "FRM" });
        root.StackTrace.Add(new FetchErrorDetailsResponse.Types.StackTraceElement { DeclaringClass = "org.apache.spark.sql.Parser", MethodName = "parse", FileName = "Parser.scala", LineNumber = 42 });
        var cause = new FetchErrorDetailsResponse.Types.Error { Message = "underlying", CauseIdx = 0 }; // a cycle back to the root ends the chain
        cause.ErrorTypeHierarchy.Add("java.lang.IllegalStateException");
        details.Errors.Add(root);
        details.Errors.Add(cause);
        var e = SparkErrors.WithDetails(SparkErrors.FromRpc(SparkFailure(ParseMessage, "PARSE_SYNTAX_ERROR", "42601", "{}"), Endpoint), details);
        Assert.Equal(["Syntax error", "underlying"], e.Errors.Select(x => x.Message));
        Assert.Equal("FRM", Assert.Single(e.Errors[0].QueryContexts).Fragment);
        Assert.Contains("org.apache.spark.sql.Parser.parse(Parser.scala:42)", e.ServerStackTrace);
        Assert.Equal("PARSE_SYNTAX_ERROR", e.ErrorClass);
    }

    [Fact]
    public void A_parse_error_points_at_its_line_and_column_without_sparks_own_excerpt()
    {
        var sql = "SELECT 1\n  2 FRM x";
        var failure = QueryFailure.From(SparkErrors.FromRpc(SparkFailure(ParseMessage, "PARSE_SYNTAX_ERROR", "42601", "{}"), Endpoint, "op-7"), sql)!;
        Assert.Equal((2, 5), (failure.Line, failure.Column)); // Spark's pos is 0-based
        Assert.Equal("[PARSE_SYNTAX_ERROR] Syntax error at or near 'FRM'. SQLSTATE: 42601", failure.Message);
        Assert.Equal(("PARSE_SYNTAX_ERROR", "op-7"), (failure.Code, failure.QueryId));
    }

    [Fact]
    public void An_analysis_error_drops_the_plan_after_its_position()
    {
        var message = "[TABLE_OR_VIEW_NOT_FOUND] The table or view `x` cannot be found. SQLSTATE: 42P01; line 1 pos 14;\n'Project [*]\n+- 'UnresolvedRelation [x], [], false\n";
        var failure = QueryFailure.From(SparkErrors.FromRpc(SparkFailure(message, "TABLE_OR_VIEW_NOT_FOUND", "42P01", "{}"), Endpoint), "SELECT * FROM x")!;
        Assert.Equal((1, 15), (failure.Line, failure.Column));
        Assert.Equal("[TABLE_OR_VIEW_NOT_FOUND] The table or view `x` cannot be found. SQLSTATE: 42P01", failure.Message);
    }

    [Fact]
    public void The_query_context_offset_of_the_details_wins()
    {
        var details = new FetchErrorDetailsResponse { RootErrorIdx = 0 };
        var root = new FetchErrorDetailsResponse.Types.Error { Message = "m", SparkThrowable = new() };
        root.SparkThrowable.QueryContexts.Add(new FetchErrorDetailsResponse.Types.QueryContext { StartIndex = 11, StopIndex = 13, Fragment = "FRM" });
        details.Errors.Add(root);
        var e = SparkErrors.WithDetails(SparkErrors.FromRpc(SparkFailure("[X] no position here", "X", "42000", "{}"), Endpoint), details);
        var failure = QueryFailure.From(e, "SELECT 1\n  FRM x")!;
        Assert.Equal((2, 3), (failure.Line, failure.Column));
    }
}
