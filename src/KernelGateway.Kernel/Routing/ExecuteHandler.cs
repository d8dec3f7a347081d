using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Magics;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// execute_request: counts executions, publishes execute_input, runs the cell (interruptible from before
/// execute_input goes out), publishes its result or error, evaluates user_expressions, records history, and
/// after an error with stop_on_error answers the queued executes "aborted". Shell only.
/// </summary>
internal sealed class ExecuteHandler(
    ILanguageEngine engine, CellRunner runner, EngineStartup startup, RunningCell cell, ShellQueue queue,
    HistoryHandler history, StdinHandler stdin, MessageSender sender, KernelOptions options)
{
    private int _executionCount;

    /// <summary>execute_request.</summary>
    public async Task ExecuteAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        ExecuteRequest content;
        try
        {
            content = request.ContentAs(ProtocolJsonContext.Default.ExecuteRequest);
        }
        catch (JsonException e)
        {
            sender.Reply(KernelChannel.Shell, request, MessageTypes.ExecuteReply,
                new ExecuteReply { Status = "error", ExecutionCount = _executionCount, Ename = "BadRequest", Evalue = e.Message, Traceback = [] },
                ProtocolJsonContext.Default.ExecuteReply);
            return;
        }
        var store = content.StoreHistory && !content.Silent;
        if (store) _executionCount++;
        var count = _executionCount;
        var outcome = await RunAsync(request, content, count, cancellationToken).ConfigureAwait(false);
        await AnswerAsync(request, content, count, outcome, cancellationToken).ConfigureAwait(false);
        if (store) history.Record(count, content.Code, outcome);
        if (!outcome.Succeeded && content.StopOnError) AbortQueued();
    }

    private async Task<ExecutionOutcome> RunAsync(JupyterMessage request, ExecuteRequest content, int count, CancellationToken cancellationToken)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Interruptible before execute_input goes out: a client may interrupt as soon as it sees it, also while
        // the engine is still warming up.
        cell.Begin(running);
        try
        {
            if (!content.Silent) sender.Publish(request, MessageTypes.ExecuteInput, new ExecuteInput(content.Code, count), ProtocolJsonContext.Default.ExecuteInput);
            var sink = new ExecutionSink(sender, stdin, request, content.Silent, content.AllowStdin, options);
            cell.Enter(request, sink);
            var outcome = await RunCellAsync(content.Code, sink, running).ConfigureAwait(false);
            return running.IsCancellationRequested && outcome.Succeeded ? Interrupted() : outcome;
        }
        finally
        {
            cell.End();
        }
    }

    /// <summary>Runs the code once the engine is ready; an interrupt or an exception becomes the outcome.</summary>
    private async Task<ExecutionOutcome> RunCellAsync(string code, ExecutionSink sink, CancellationTokenSource running)
    {
        try
        {
            await startup.WaitAsync(running.Token).ConfigureAwait(false);
            return await runner.RunAsync(code, sink, running.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested)
        {
            return Interrupted();
        }
        catch (Exception e)
        {
            return ExecutionOutcome.Failed(e.GetType().Name, e.Message, e.ToString().Split('\n'));
        }
    }

    private static ExecutionOutcome Interrupted() =>
        ExecutionOutcome.Failed(nameof(OperationCanceledException), "The execution was interrupted.",
            ["OperationCanceledException: The execution was interrupted."]);

    /// <summary>The result (or error) on iopub, then execute_reply.</summary>
    private async Task AnswerAsync(JupyterMessage request, ExecuteRequest content, int count, ExecutionOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Succeeded)
        {
            if (outcome.Result is { } result && !content.Silent)
                sender.Publish(request, MessageTypes.ExecuteResult, new ExecuteResult(count, result.Data, result.Metadata), ProtocolJsonContext.Default.ExecuteResult);
            var expressions = await UserExpressionsAsync(content.UserExpressions, cancellationToken).ConfigureAwait(false);
            var payload = new JsonArray(outcome.Payload.Select(p => (JsonNode)p.DeepClone()).ToArray());
            sender.Reply(KernelChannel.Shell, request, MessageTypes.ExecuteReply,
                new ExecuteReply { Status = "ok", ExecutionCount = count, Payload = payload, UserExpressions = expressions },
                ProtocolJsonContext.Default.ExecuteReply);
            return;
        }
        var error = outcome.Error!;
        if (!content.Silent) sender.Publish(request, MessageTypes.Error, error, ProtocolJsonContext.Default.ErrorContent);
        sender.Reply(KernelChannel.Shell, request, MessageTypes.ExecuteReply,
            new ExecuteReply { Status = "error", ExecutionCount = count, Ename = error.Ename, Evalue = error.Evalue, Traceback = error.Traceback },
            ProtocolJsonContext.Default.ExecuteReply);
    }

    private async Task<JsonObject> UserExpressionsAsync(Dictionary<string, string>? expressions, CancellationToken cancellationToken)
    {
        var result = new JsonObject();
        if (expressions is null || expressions.Count == 0) return result;
        foreach (var (name, expression) in expressions)
        {
            ExecutionOutcome o;
            try { o = await engine.EvaluateAsync(expression, cancellationToken).ConfigureAwait(false); }
            catch (Exception e) { o = ExecutionOutcome.Failed(e.GetType().Name, e.Message, []); }
            result[name] = o.Succeeded
                ? new JsonObject { ["status"] = "ok", ["data"] = (o.Result ?? MimeBundle.Text("")).Data.DeepClone(), ["metadata"] = new JsonObject() }
                : new JsonObject { ["status"] = "error", ["ename"] = o.Error!.Ename, ["evalue"] = o.Error.Evalue, ["traceback"] = new JsonArray(o.Error.Traceback.Select(l => (JsonNode)l!).ToArray()) };
        }
        return result;
    }

    /// <summary>After an error with stop_on_error, every execute_request already queued is answered "aborted"; other requests stay queued.</summary>
    private void AbortQueued()
    {
        foreach (var m in queue.TakeWaiting())
        {
            if (m.MessageType != MessageTypes.ExecuteRequest)
            {
                queue.PutBack(m);
                continue;
            }
            sender.Status(m, "busy");
            sender.Reply(KernelChannel.Shell, m, MessageTypes.ExecuteReply,
                new ExecuteReply { Status = "aborted", ExecutionCount = _executionCount }, ProtocolJsonContext.Default.ExecuteReply);
            sender.Status(m, "idle");
        }
    }
}
