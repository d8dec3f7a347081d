using System.Runtime.CompilerServices;
using Grpc.Core;
using KernelGateway.Platform.Spark.Connect.Proto;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// The responses of one <c>ExecutePlan</c>, across reattaches. A reattachable execution is finished only by a
/// <c>result_complete</c> response: when its stream ends without one (the server rotates long streams), or breaks
/// (<c>UNAVAILABLE</c>, a dropped HTTP/2 stream or connection, <c>INVALID_CURSOR.DISCONNECTED</c>), the stream goes
/// on with <c>ReattachExecute(operation_id, last_response_id)</c>, at most <c>maxAttempts</c> times in a row without
/// a response in between (broken streams after a short, growing pause). If the server never saw the
/// <c>ExecutePlan</c> (a reattach finds no such operation before any response arrived), it is sent again. A
/// non-reattachable execution simply ends with its stream. Responses read are released through the
/// <see cref="SparkReleaser"/>, the whole operation at <c>result_complete</c>.
/// </summary>
internal sealed class SparkResponseStream(SparkRpc rpc, ExecutePlanRequest request, bool reattachable, int maxAttempts, SparkReleaser? releaser)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    private volatile bool _interrupted;

    public string OperationId => request.OperationId;

    /// <summary>The id of the last response received.</summary>
    public string? LastResponseId { get; private set; }

    /// <summary>Whether the server sent <c>result_complete</c>.</summary>
    public bool ResultComplete { get; private set; }

    /// <summary>How many times the stream was reattached.</summary>
    public int Reattaches { get; private set; }

    /// <summary>Set when the operation is being interrupted: an ending stream is then not reattached.</summary>
    public void Interrupt() => _interrupted = true;

    /// <summary>The responses, in order, once each.</summary>
    /// <exception cref="SparkConnectException">The server failed the operation or broke the protocol.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled, or the stream ended while interrupted.</exception>
    public async IAsyncEnumerable<ExecutePlanResponse> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var call = rpc.ExecutePlan(request, cancellationToken);
        var attempts = 0;
        var reattaching = false;
        try
        {
            while (true)
            {
                var (response, broken) = await NextAsync(call, reattaching, cancellationToken).ConfigureAwait(false);
                if (response is not null)
                {
                    attempts = 0;
                    yield return response;
                    if (response.ResponseId.Length > 0 && releaser is not null && !ResultComplete) releaser.Until(response.ResponseId);
                    continue;
                }
                call.Dispose();
                if (!reattachable || ResultComplete) yield break;
                if (_interrupted) throw new OperationCanceledException($"operation {OperationId} was interrupted");
                if (++attempts > maxAttempts)
                    throw broken?.Failure is { } failure
                        ? await rpc.FailureAsync(failure, OperationId).ConfigureAwait(false)
                        : new SparkConnectException($"the result stream of operation {OperationId} ended {attempts} times in a row without a response or its result_complete", StatusCode.DataLoss) { OperationId = OperationId };
                if (broken is { Restart: true })
                {
                    rpc.Log.LogDebug("Operation {OperationId} was unknown to the server: sending ExecutePlan again", OperationId);
                    call = rpc.ExecutePlan(request, cancellationToken);
                    reattaching = false;
                    continue;
                }
                if (broken is not null) await Task.Delay(Pause(attempts), cancellationToken).ConfigureAwait(false);
                rpc.Log.LogDebug("Reattaching to operation {OperationId} after {Response} ({Why})", OperationId, LastResponseId ?? "no response", broken?.Failure?.Status.Detail ?? "stream ended");
                Reattaches++;
                call = rpc.ReattachExecute(OperationId, LastResponseId, cancellationToken);
                reattaching = true;
            }
        }
        finally
        {
            call.Dispose();
        }
    }

    /// <summary>The next response (null at the end of this call's stream), or why the stream broke when it can go on.</summary>
    private async Task<(ExecutePlanResponse? Response, Broken? Broken)> NextAsync(AsyncServerStreamingCall<ExecutePlanResponse> call, bool reattaching, CancellationToken cancellationToken)
    {
        try
        {
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false)) return (null, null);
        }
        catch (RpcException e) when (reattachable && !cancellationToken.IsCancellationRequested && !_interrupted && CanGoOn(e, reattaching) is { } broken)
        {
            return (null, broken);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw await rpc.FailureAsync(e, OperationId).ConfigureAwait(false);
        }
        var response = call.ResponseStream.Current;
        rpc.Verify(response.SessionId, response.ServerSideSessionId);
        if (response.OperationId.Length > 0 && response.OperationId != OperationId)
            throw new SparkConnectException($"the server sent a response of operation {response.OperationId} in the stream of {OperationId}", StatusCode.Internal) { OperationId = OperationId };
        if (response.ResponseId.Length > 0) LastResponseId = response.ResponseId;
        if (response.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete)
        {
            ResultComplete = true;
            _ = releaser?.AllAsync();
        }
        return (response, null);
    }

    /// <summary>Whether a broken stream can go on: by reattaching, or by executing again when the server never saw the operation.</summary>
    private Broken? CanGoOn(RpcException e, bool reattaching)
    {
        var failure = SparkErrors.FromRpc(e, rpc.Options.Endpoint, OperationId);
        if (reattaching && LastResponseId is null && (failure.ErrorClass ?? failure.ServerMessage).Contains("INVALID_HANDLE.OPERATION_NOT_FOUND", StringComparison.Ordinal))
            return new Broken(e, Restart: true);
        var transport = failure.ErrorClass is null && e.Status.DebugException is not null; // the status was made here, from a transport failure
        var retryable = e.StatusCode == StatusCode.Unavailable || transport
            || (failure.ErrorClass ?? failure.ServerMessage).Contains("INVALID_CURSOR.DISCONNECTED", StringComparison.Ordinal);
        return retryable ? new Broken(e, Restart: false) : null;
    }

    private static TimeSpan Pause(int attempt) =>
        TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, FirstPause.Ticks << Math.Min(attempt - 1, 10)));

    private sealed record Broken(RpcException Failure, bool Restart);
}
