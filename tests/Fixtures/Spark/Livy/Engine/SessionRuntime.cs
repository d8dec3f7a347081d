using System.Text.Json.Nodes;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>
/// What the driver of a session does: start (after <see cref="LivyServerOptions.StartDelay"/>, or when the test
/// releases it), then run its statements one at a time, as Livy's REPL does on its single interpreter thread:
/// <c>waiting → running → available</c>, the session <c>busy</c> meanwhile and <c>idle</c> again after its last
/// statement; a cancel makes a running statement <c>cancelling</c>, interrupts it and ends it <c>cancelled</c>.
/// </summary>
internal sealed class SessionRuntime(LivyStore store, Interpreter interpreter)
{
    private readonly List<Task> _running = [];

    public void Start(FakeSession session)
    {
        lock (_running) _running.Add(Task.Run(() => RunAsync(session)));
    }

    /// <summary>Cancels a statement as Livy's <c>Session.cancel</c>: waiting → cancelled at once, running → cancelling and interrupted; a finished one is left as it is.</summary>
    public void Cancel(FakeStatement statement)
    {
        var interrupt = false;
        store.Update(() =>
        {
            statement.CancelReceived = true;
            switch (statement.State)
            {
                case "waiting":
                    statement.State = "cancelled";
                    statement.Progress = 1.0;
                    statement.Completed = Now();
                    break;
                case "running":
                    statement.State = "cancelling";
                    interrupt = true;
                    break;
            }
        });
        if (interrupt) statement.Interrupt.Cancel();
    }

    /// <summary>Waits for every session's driver to finish (they all stop when the server does).</summary>
    public Task StoppedAsync()
    {
        lock (_running) return Task.WhenAll(_running);
    }

    private async Task RunAsync(FakeSession session)
    {
        try
        {
            if (store.Options.HoldSessionStart) await session.StartGate.Task.WaitAsync(session.Stopped.Token);
            else await Task.Delay(store.Options.StartDelay, session.Stopped.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var started = false;
        store.Update(() =>
        {
            if (session.State != "starting") return;
            session.State = "idle";
            session.Log.Stderr([$"INFO SparkContext: Running Spark version 3.5.4 (the Livy fixture)", $"INFO SparkContext: Submitted application: livy-session-{session.Id}"]);
            started = true;
        });
        if (!started) return;
        await foreach (var statement in session.Queue.Reader.ReadAllAsync())
            await ExecuteAsync(session, statement);
    }

    private async Task ExecuteAsync(FakeSession session, FakeStatement statement)
    {
        var run = false;
        store.Update(() =>
        {
            if (statement.State != "waiting" || session.Stopped.IsCancellationRequested) return;
            statement.State = "running";
            statement.Started = Now();
            session.State = "busy";
            run = true;
        });
        if (!run) return;
        var output = await OutputAsync(session, statement);
        store.Update(() =>
        {
            statement.Output = output;
            statement.State = statement.State == "cancelling" ? "cancelled" : "available";
            statement.Progress = 1.0;
            statement.Completed = Now();
            if (session.State == "busy" && session.Statements[^1] == statement) session.State = "idle";
        });
    }

    private async Task<JsonObject> OutputAsync(FakeSession session, FakeStatement statement)
    {
        void Progress(double p) => store.Update(() => { if (statement.State is "running" or "cancelling") statement.Progress = Math.Clamp(p, 0, 1); });
        try
        {
            var reply = await interpreter.RunAsync(session.Id, statement, Progress, statement.Interrupt.Token);
            return reply.ToOutput(statement.Id);
        }
        catch (OperationCanceledException) when (statement.Interrupt.IsCancellationRequested)
        {
            // What Spark raises in the statement's code when cancelJobGroup kills its job.
            return LivyReply.Error("Error", $"org.apache.spark.SparkException: Job {statement.Id} cancelled part of cancelled job group {statement.Id}",
                "  at org.apache.spark.scheduler.DAGScheduler.handleJobCancellation(DAGScheduler.scala)").ToOutput(statement.Id);
        }
        catch (Exception e)
        {
            // Livy's Session.executeCode answers any other exception so.
            return LivyReply.Error($"Internal Error: {e.GetType().FullName}", e.Message).ToOutput(statement.Id);
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
