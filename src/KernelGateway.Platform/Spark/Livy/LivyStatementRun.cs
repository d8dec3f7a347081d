using System.Globalization;
using KernelGateway.Platform.Sql;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>One run of <see cref="LivyClient.RunStatementAsync"/>: submit, poll, report progress, cancel on the server when asked.</summary>
internal sealed class LivyStatementRun(LivyClient client, int sessionId, IProgress<QueryProgress>? progress)
{
    private readonly long _start = client.Time.GetTimestamp();
    private (string State, double Progress)? _reported;

    public async Task<LivyStatementResult> RunAsync(string code, string? kind, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Once the POST is sent the statement may exist: finish the request (bounded by the request timeout) so its
        // id is known and a cancellation can reach it, rather than abandon a statement that runs on unseen.
        var statement = await client.SubmitStatementAsync(sessionId, code, kind, CancellationToken.None).ConfigureAwait(false);
        Report(statement);
        try
        {
            statement = await PollAsync(statement, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (ct.IsCancellationRequested)
        {
            throw await CancelAsync(statement.Id, ct, e).ConfigureAwait(false);
        }
        return Result(statement);
    }

    private async Task<LivyStatement> PollAsync(LivyStatement statement, CancellationToken ct)
    {
        for (var attempt = 0; !LivyStatementStates.IsFinal(statement.State); attempt++)
        {
            await Task.Delay(LivyPolling.Delay(attempt), client.Time, ct).ConfigureAwait(false);
            statement = await client.GetStatementAsync(sessionId, statement.Id, ct).ConfigureAwait(false);
            Report(statement);
        }
        return statement;
    }

    private LivyStatementResult Result(LivyStatement statement)
    {
        if (statement.State == LivyStatementStates.Cancelled)
            throw new LivyStatementCancelledException(sessionId, statement.Id, statement.State, CancellationToken.None);
        if (statement.Output is null)
        {
            if (statement.State == LivyStatementStates.Error) throw new LivyStatementException(sessionId, statement.Id, "Error", "the statement failed without an output", []);
            throw new LivyException($"statement {statement.Id} of Livy session {sessionId} is {statement.State} without an output");
        }
        return LivyStatementResult.From(statement.Output, sessionId, statement.Id) with { Statement = statement };
    }

    /// <summary>POSTs the cancel, then waits (up to <see cref="LivyOptions.CancelTimeout"/>) until the statement is final.</summary>
    private async Task<LivyStatementCancelledException> CancelAsync(int statementId, CancellationToken ct, Exception cause)
    {
        using var bound = new CancellationTokenSource(client.Options.CancelTimeout, client.Time);
        string? state = null;
        try
        {
            await client.CancelStatementAsync(sessionId, statementId, bound.Token).ConfigureAwait(false);
            state = LivyStatementStates.Cancelling;
            for (var attempt = 0; ; attempt++)
            {
                var statement = await client.GetStatementAsync(sessionId, statementId, bound.Token).ConfigureAwait(false);
                state = statement.State;
                Report(statement);
                if (LivyStatementStates.IsFinal(state)) break;
                await Task.Delay(LivyPolling.Delay(attempt), client.Time, bound.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is LivyException or OperationCanceledException)
        {
            cause = e;
        }
        return new LivyStatementCancelledException(sessionId, statementId, state, ct, cause);
    }

    private void Report(LivyStatement statement)
    {
        if (progress is null || _reported == (statement.State, statement.Progress)) return;
        _reported = (statement.State, statement.Progress);
        progress.Report(new QueryProgress
        {
            Engine = "livy",
            State = statement.State,
            QueryId = string.Create(CultureInfo.InvariantCulture, $"{sessionId}/{statement.Id}"),
            Done = (long)Math.Round(Math.Clamp(statement.Progress, 0, 1) * 1000),
            Total = 1000,
            Unit = "‰",
            Elapsed = client.Time.GetElapsedTime(_start),
        });
    }
}
