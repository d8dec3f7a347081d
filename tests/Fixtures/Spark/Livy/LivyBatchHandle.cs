using System.Text.Json.Nodes;
using KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

namespace KernelGateway.Tests.Fixtures.Spark.Livy;

/// <summary>A batch of the server as the test steers it: it stays <c>starting</c> until <see cref="Run"/>, then
/// <c>running</c> until <see cref="Succeed"/> or <see cref="Fail"/>; its application writes the log lines the test gives.</summary>
public sealed class LivyBatchHandle
{
    private readonly LivyStore _store;
    private readonly FakeBatch _batch;

    internal LivyBatchHandle(LivyStore store, FakeBatch batch)
    {
        _store = store;
        _batch = batch;
    }

    /// <summary>The batch id.</summary>
    public int Id => _batch.Id;

    /// <summary>The request it was created with, as sent.</summary>
    public JsonObject Request => (JsonObject)_batch.Request.DeepClone();

    /// <summary>Its state now.</summary>
    public string State => _store.Read(() => _batch.State);

    /// <summary>Whether a client deleted (killed) it.</summary>
    public bool DeleteReceived => _store.Read(() => _batch.DeleteReceived);

    /// <summary>The application started: <c>running</c>, with an application id.</summary>
    public void Run() => _store.Update(() =>
    {
        _batch.State = "running";
        _batch.AppId = $"application_1700000000000_{_batch.Id + 9001:0000}";
    });

    /// <summary>The application finished well: <c>success</c>.</summary>
    public void Succeed() => _store.Update(() => _batch.State = "success");

    /// <summary>The application failed: <c>dead</c>.</summary>
    public void Fail() => _store.Update(() => _batch.State = "dead");

    /// <summary>Lines the application printed to stdout.</summary>
    public void Stdout(params string[] lines) => _store.Update(() => _batch.Log.Stdout(lines));

    /// <summary>Lines the application printed to stderr.</summary>
    public void Stderr(params string[] lines) => _store.Update(() => _batch.Log.Stderr(lines));

    /// <summary>Completes once a client deleted the batch.</summary>
    public Task WaitForDeleteAsync(CancellationToken ct) => _store.Changed.WaitAsync(() => DeleteReceived, ct);
}
