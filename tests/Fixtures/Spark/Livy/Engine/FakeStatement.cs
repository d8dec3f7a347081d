using System.Text.Json.Nodes;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>A statement of a session (Livy's <c>Statement.java</c>); mutated under the store's lock only.</summary>
internal sealed class FakeStatement(int id, string code, string kind)
{
    public int Id { get; } = id;

    public string Code { get; } = code;

    public string Kind { get; } = kind;

    public string State { get; set; } = "waiting";

    public JsonObject? Output { get; set; }

    public double Progress { get; set; }

    public long Started { get; set; }

    public long Completed { get; set; }

    public bool CancelReceived { get; set; }

    /// <summary>Fires when the statement is cancelled or its session stops: the running code is interrupted.</summary>
    public CancellationTokenSource Interrupt { get; } = new();

    /// <summary>As Livy's Jackson writes a Statement: id, code, state, output (raw JSON, null until it has one), progress, started, completed.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["code"] = Code,
        ["state"] = State,
        ["output"] = Output?.DeepClone(),
        ["progress"] = Progress,
        ["started"] = Started,
        ["completed"] = Completed,
    };
}
