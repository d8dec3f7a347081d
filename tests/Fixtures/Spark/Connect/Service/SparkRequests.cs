// The request messages all carry session_id and user_context: one interface lets the interceptors read them.
namespace KernelGateway.Tests.Fixtures.Spark.Connect.Proto;

/// <summary>A request naming a session (every Spark Connect request does).</summary>
internal interface ISparkRequest
{
    string SessionId { get; }

    UserContext UserContext { get; }
}

/// <summary>Spark Connect's ExecutePlanRequest (generated from spark_connect_fixture.proto).</summary>
public partial class ExecutePlanRequest : ISparkRequest;

/// <summary>Spark Connect's AnalyzePlanRequest (generated from spark_connect_fixture.proto).</summary>
public partial class AnalyzePlanRequest : ISparkRequest;

/// <summary>Spark Connect's ConfigRequest (generated from spark_connect_fixture.proto).</summary>
public partial class ConfigRequest : ISparkRequest;

/// <summary>Spark Connect's InterruptRequest (generated from spark_connect_fixture.proto).</summary>
public partial class InterruptRequest : ISparkRequest;

/// <summary>Spark Connect's ReattachExecuteRequest (generated from spark_connect_fixture.proto).</summary>
public partial class ReattachExecuteRequest : ISparkRequest;

/// <summary>Spark Connect's ReleaseExecuteRequest (generated from spark_connect_fixture.proto).</summary>
public partial class ReleaseExecuteRequest : ISparkRequest;

/// <summary>Spark Connect's ReleaseSessionRequest (generated from spark_connect_fixture.proto).</summary>
public partial class ReleaseSessionRequest : ISparkRequest;

/// <summary>Spark Connect's FetchErrorDetailsRequest (generated from spark_connect_fixture.proto).</summary>
public partial class FetchErrorDetailsRequest : ISparkRequest;
