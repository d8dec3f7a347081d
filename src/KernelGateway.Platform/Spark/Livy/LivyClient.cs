using System.Globalization;
using System.Net;
using KernelGateway.Platform.Sql;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// A client of an Apache Livy server over its REST API: interactive sessions and their statements, batches, logs.
/// Every call takes a <see cref="CancellationToken"/> passed to the I/O; <see cref="RunStatementAsync"/> also cancels
/// the statement on the server when it fires, and <see cref="FollowBatchAsync(int, int, CancellationToken)"/> kills the batch. Failures are
/// <see cref="LivyException"/>s naming the request and carrying Livy's message, never a credential.
/// </summary>
public sealed class LivyClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client of the server in <paramref name="options"/>.</summary>
    /// <param name="options">Where and as whom; validated here.</param>
    /// <param name="handler">The HTTP handler (tests); a pooled <see cref="SocketsHttpHandler"/> by default.</param>
    /// <param name="timeProvider">The clock for polling and retry delays; the system clock by default.</param>
    /// <exception cref="ArgumentException">The options cannot work (see <see cref="LivyOptions.Validated"/>).</exception>
    public LivyClient(LivyOptions options, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null)
    {
        Options = options.Validated();
        Time = timeProvider ?? TimeProvider.System;
        _http = new HttpClient(handler ?? CreateHandler(Options), disposeHandler: handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("kernelgateway-livy/1");
        Transport = new LivyTransport(_http, Options, Time);
    }

    /// <summary>The connection.</summary>
    public LivyOptions Options { get; }

    internal TimeProvider Time { get; }

    internal LivyTransport Transport { get; }

    /// <summary>Creates an interactive session (<c>POST /sessions</c>, 201). Sent once, never retried: a retry could start a second session.
    /// The session starts in the background: wait for it with <see cref="WaitForIdleAsync"/>.</summary>
    /// <exception cref="LivyException">Refused (e.g. 400 "Duplicate session name"), or the server could not be reached.</exception>
    /// <exception cref="ArgumentException">The kind is not one of <see cref="LivyKinds"/>.</exception>
    public Task<LivySession> CreateSessionAsync(LivySessionRequest request, CancellationToken cancellationToken = default) =>
        Transport.PostAsync("sessions", request with { Kind = request.Kind is null ? null : LivyKinds.Normalize(request.Kind) },
            LivyJsonContext.Default.LivySessionRequest, LivyJsonContext.Default.LivySession, retry: false, cancellationToken);

    /// <summary>A session (<c>GET /sessions/{id}</c>). Any request about a session counts as its heartbeat.</summary>
    /// <exception cref="LivyException">Unknown (404) or another failure.</exception>
    public Task<LivySession> GetSessionAsync(int sessionId, CancellationToken cancellationToken = default) =>
        Transport.GetAsync($"sessions/{sessionId}", LivyJsonContext.Default.LivySession, cancellationToken);

    /// <summary>A session by name (<c>GET /sessions/{name}</c>, Livy 0.7+), or null when the server has none of that name.</summary>
    /// <exception cref="ArgumentException">The name is all digits (Livy would read it as an id).</exception>
    public async Task<LivySession?> FindSessionAsync(string name, CancellationToken cancellationToken = default)
    {
        if (name.Length == 0 || name.All(char.IsAsciiDigit)) throw new ArgumentException($"a session name must not be empty or all digits: '{name}'", nameof(name));
        try
        {
            return await Transport.GetAsync($"sessions/{Uri.EscapeDataString(name)}", LivyJsonContext.Default.LivySession, cancellationToken).ConfigureAwait(false);
        }
        catch (LivyException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A page of the server's sessions (<c>GET /sessions?from&amp;size</c>; Livy's default size is 100).</summary>
    public Task<LivyPage<LivySession>> ListSessionsAsync(int from = 0, int size = 100, CancellationToken cancellationToken = default) =>
        Transport.GetAsync($"sessions?from={from}&size={size}", LivyJsonContext.Default.LivyPageLivySession, cancellationToken);

    /// <summary>A session's state (<c>GET /sessions/{id}/state</c>): the cheapest request about a session, so the one heartbeats use.</summary>
    public async Task<string> GetSessionStateAsync(int sessionId, CancellationToken cancellationToken = default) =>
        (await Transport.GetAsync($"sessions/{sessionId}/state", LivyJsonContext.Default.LivyStateView, cancellationToken).ConfigureAwait(false)).State;

    /// <summary>Deletes (stops) a session (<c>DELETE /sessions/{id}</c>). True when it was deleted, false when the server no longer knew it (404): both mean it is gone.</summary>
    public Task<bool> DeleteSessionAsync(int sessionId, CancellationToken cancellationToken = default) =>
        Transport.DeleteAsync($"sessions/{sessionId}", cancellationToken);

    /// <summary>A page of a session's log (<c>GET /sessions/{id}/log?from&amp;size</c>). Livy's defaults: the last 100 lines.</summary>
    public Task<LivyLog> GetSessionLogAsync(int sessionId, int? from = null, int? size = null, CancellationToken cancellationToken = default) =>
        Transport.GetAsync($"sessions/{sessionId}/log{Paging(from, size)}", LivyJsonContext.Default.LivyLog, cancellationToken);

    /// <summary>
    /// Polls a session's state until it is idle, with a delay growing from 10 ms to 1 s. A session that ends instead
    /// (error, dead, killed, shutting_down) fails with its last 50 log lines.
    /// </summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="timeout">How long to wait; <see cref="LivyOptions.SessionStartTimeout"/> by default.</param>
    /// <param name="cancellationToken">Stops waiting (the session is left as it is).</param>
    /// <returns>The idle session.</returns>
    /// <exception cref="LivySessionException">The session ended, or the server no longer knows it.</exception>
    /// <exception cref="TimeoutException">It was not idle in time.</exception>
    public async Task<LivySession> WaitForIdleAsync(int sessionId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? Options.SessionStartTimeout;
        var start = Time.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            string state;
            try
            {
                state = await GetSessionStateAsync(sessionId, cancellationToken).ConfigureAwait(false);
            }
            catch (LivyException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                throw new LivySessionException(sessionId, "gone (the server no longer knows it: deleted, or expired for want of a heartbeat)", []);
            }
            if (state == LivySessionStates.Idle) return await GetSessionAsync(sessionId, cancellationToken).ConfigureAwait(false);
            if (LivySessionStates.IsFinal(state)) throw new LivySessionException(sessionId, state, await LastLogAsync(sessionId, cancellationToken).ConfigureAwait(false));
            if (Time.GetElapsedTime(start) >= limit)
                throw new TimeoutException($"Livy session {sessionId} is still {state} after {limit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s (session_start_timeout)");
            await Task.Delay(LivyPolling.Delay(attempt), Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Submits code to a session (<c>POST /sessions/{id}/statements</c>, 201). Sent once, never retried: a retry could run the code twice.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="code">The code.</param>
    /// <param name="kind">Its kind (<see cref="LivyKinds"/>); the session's kind when null (required for a <c>shared</c> session).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="ArgumentException">The kind is not one of <see cref="LivyKinds"/>.</exception>
    public Task<LivyStatement> SubmitStatementAsync(int sessionId, string code, string? kind = null, CancellationToken cancellationToken = default) =>
        Transport.PostAsync($"sessions/{sessionId}/statements", new LivyStatementRequest(code, kind is null ? null : LivyKinds.Normalize(kind)),
            LivyJsonContext.Default.LivyStatementRequest, LivyJsonContext.Default.LivyStatement, retry: false, cancellationToken);

    /// <summary>A statement (<c>GET /sessions/{id}/statements/{statementId}</c>).</summary>
    public Task<LivyStatement> GetStatementAsync(int sessionId, int statementId, CancellationToken cancellationToken = default) =>
        Transport.GetAsync($"sessions/{sessionId}/statements/{statementId}", LivyJsonContext.Default.LivyStatement, cancellationToken);

    /// <summary>Asks the server to cancel a statement (<c>POST .../statements/{statementId}/cancel</c>); it then goes cancelling, then cancelled.</summary>
    public Task CancelStatementAsync(int sessionId, int statementId, CancellationToken cancellationToken = default) =>
        Transport.PostAsync($"sessions/{sessionId}/statements/{statementId}/cancel", new LivyMessage(null), LivyJsonContext.Default.LivyMessage,
            LivyJsonContext.Default.LivyMessage, retry: true, cancellationToken);

    /// <summary>
    /// Runs code in a session and returns its output sorted for display. Polls the statement with a delay growing from
    /// 10 ms to 1 s, reporting its progress (<see cref="QueryProgress"/>: engine <c>livy</c>, the statement's state, Done
    /// of Total 1000 = Livy's progress). When <paramref name="cancellationToken"/> fires, the statement is cancelled on
    /// the server and waited for (up to <see cref="LivyOptions.CancelTimeout"/>).
    /// </summary>
    /// <exception cref="LivyStatementException">The code failed (ename, evalue, traceback).</exception>
    /// <exception cref="LivyStatementCancelledException">The token fired, or someone else cancelled the statement.</exception>
    /// <exception cref="LivyException">The server could not be reached or refused the statement.</exception>
    public Task<LivyStatementResult> RunStatementAsync(int sessionId, string code, string? kind = null, IProgress<QueryProgress>? progress = null, CancellationToken cancellationToken = default) =>
        new LivyStatementRun(this, sessionId, progress).RunAsync(code, kind, cancellationToken);

    /// <summary>Submits a batch (<c>POST /batches</c>, 201). Sent once, never retried.</summary>
    /// <exception cref="ArgumentException">No file.</exception>
    public Task<LivyBatch> SubmitBatchAsync(LivyBatchRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.File)) throw new ArgumentException("a batch needs its application file", nameof(request));
        return Transport.PostAsync("batches", request, LivyJsonContext.Default.LivyBatchRequest, LivyJsonContext.Default.LivyBatch, retry: false, cancellationToken);
    }

    /// <summary>A batch (<c>GET /batches/{id}</c>).</summary>
    public Task<LivyBatch> GetBatchAsync(int batchId, CancellationToken cancellationToken = default) =>
        Transport.GetAsync($"batches/{batchId}", LivyJsonContext.Default.LivyBatch, cancellationToken);

    /// <summary>A batch's state (<c>GET /batches/{id}/state</c>).</summary>
    public async Task<string> GetBatchStateAsync(int batchId, CancellationToken cancellationToken = default) =>
        (await Transport.GetAsync($"batches/{batchId}/state", LivyJsonContext.Default.LivyStateView, cancellationToken).ConfigureAwait(false)).State;

    /// <summary>A page of a batch's log (<c>GET /batches/{id}/log?from&amp;size</c>). Livy's defaults: the last 100 lines.</summary>
    public Task<LivyLog> GetBatchLogAsync(int batchId, int? from = null, int? size = null, CancellationToken cancellationToken = default) =>
        Transport.GetAsync($"batches/{batchId}/log{Paging(from, size)}", LivyJsonContext.Default.LivyLog, cancellationToken);

    /// <summary>Deletes (kills) a batch (<c>DELETE /batches/{id}</c>). True when deleted, false when the server no longer knew it.</summary>
    public Task<bool> DeleteBatchAsync(int batchId, CancellationToken cancellationToken = default) =>
        Transport.DeleteAsync($"batches/{batchId}", cancellationToken);

    /// <summary>A page of the server's batches (<c>GET /batches?from&amp;size</c>).</summary>
    public Task<LivyPage<LivyBatch>> ListBatchesAsync(int from = 0, int size = 100, CancellationToken cancellationToken = default) =>
        Transport.GetAsync($"batches?from={from}&size={size}", LivyJsonContext.Default.LivyPageLivyBatch, cancellationToken);

    /// <summary>
    /// Follows a batch to its end: its state changes and every new log line, once each, in order (the log is read in
    /// pages of <paramref name="pageSize"/> lines with <c>from</c>/<c>size</c>, and compared section by section with
    /// what was already reported), until a final state (success, dead, killed, error), which is the last event.
    /// Polls with a delay growing from 10 ms to 1 s. When the token fires, the batch is deleted (killed) and the
    /// enumeration ends with <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="batchId">The batch.</param>
    /// <param name="pageSize">Lines per log request.</param>
    /// <param name="cancellationToken">Kills the batch and ends the enumeration.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is not positive.</exception>
    public IAsyncEnumerable<LivyBatchEvent> FollowBatchAsync(int batchId, int pageSize, CancellationToken cancellationToken = default) =>
        new LivyBatchFollower(this, batchId, pageSize > 0 ? pageSize : throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "must be positive")).FollowAsync(cancellationToken);

    /// <summary>Follows a batch to its end, reading its log 100 lines a request (see the other overload).</summary>
    public IAsyncEnumerable<LivyBatchEvent> FollowBatchAsync(int batchId, CancellationToken cancellationToken = default) =>
        FollowBatchAsync(batchId, 100, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Options.ToString();

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>The last 50 lines of a session's log, or none when they cannot be had (the session may be gone).</summary>
    internal async Task<IReadOnlyList<string>> LastLogAsync(int sessionId, CancellationToken cancellationToken)
    {
        try
        {
            return (await GetSessionLogAsync(sessionId, size: 50, cancellationToken: cancellationToken).ConfigureAwait(false)).Lines;
        }
        catch (LivyException)
        {
            return [];
        }
    }

    private static string Paging(int? from, int? size) =>
        (from, size) switch
        {
            (null, null) => "",
            (null, { } s) => $"?size={s}",
            ({ } f, null) => $"?from={f}",
            ({ } f, { } s) => $"?from={f}&size={s}",
        };

    private static SocketsHttpHandler CreateHandler(LivyOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (!options.VerifyCertificate) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        return handler;
    }
}
