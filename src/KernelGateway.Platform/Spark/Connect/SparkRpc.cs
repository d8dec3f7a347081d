using System.Reflection;
using Grpc.Core;
using KernelGateway.Platform.Spark.Connect.Proto;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// The calls of one session to the server: every request carries the session id, the user context, the client type
/// and the server-side session id seen so far; every reply is checked to belong to this session (a reply for another
/// session, or a server-side session id that changed because the server restarted or dropped the session, is an
/// error, as in Spark's Go and Python clients); every failure becomes a <see cref="SparkConnectException"/>, with the
/// server's details from <c>FetchErrorDetails</c> when it keeps them.
/// </summary>
internal sealed class SparkRpc
{
    /// <summary>How long the calls that clean up (interrupt, release, error details) may take.</summary>
    private static readonly TimeSpan HousekeepingDeadline = TimeSpan.FromSeconds(30);

    private readonly SparkConnectService.SparkConnectServiceClient _grpc;
    private readonly Metadata _headers;
    private readonly Lock _lock = new();
    private string? _serverSideSessionId;

    public SparkRpc(CallInvoker invoker, SparkConnectOptions options, ILogger log)
    {
        _grpc = new SparkConnectService.SparkConnectServiceClient(invoker);
        Options = options;
        Log = log;
        SessionId = (options.SessionId ?? Guid.NewGuid()).ToString("D");
        UserContext = new UserContext { UserId = options.UserId ?? Environment.UserName };
        ClientType = ClientTypeOf(options.UserAgent);
        _headers = [];
        if (options.Token is { } token) _headers.Add("authorization", "Bearer " + token);
        foreach (var (key, value) in options.Headers) _headers.Add(key, value);
    }

    public SparkConnectOptions Options { get; }

    public ILogger Log { get; }

    /// <summary>The session's id (a UUID).</summary>
    public string SessionId { get; }

    /// <summary>The user context of every request.</summary>
    public UserContext UserContext { get; }

    /// <summary>What every request says the client is: the user agent if given, then <c>kernelgateway/&lt;version&gt; dotnet/&lt;version&gt;</c>.</summary>
    public string ClientType { get; }

    /// <summary>The server's own id of the session, once a reply carried one.</summary>
    public string? ServerSideSessionId { get { lock (_lock) return _serverSideSessionId; } }

    /// <summary>Fetch the server's details of errors that have an error id; true by default.</summary>
    public bool FetchErrorDetails { get; set; } = true;

    public ExecutePlanRequest NewExecute(Plan plan, string operationId, bool reattachable, IEnumerable<string> tags)
    {
        var request = new ExecutePlanRequest { SessionId = SessionId, UserContext = UserContext, ClientType = ClientType, Plan = plan, OperationId = operationId };
        if (reattachable) request.RequestOptions.Add(new ExecutePlanRequest.Types.RequestOption { ReattachOptions = new ReattachOptions { Reattachable = true } });
        request.Tags.AddRange(tags);
        if (ServerSideSessionId is { } observed) request.ClientObservedServerSideSessionId = observed;
        return request;
    }

    public AsyncServerStreamingCall<ExecutePlanResponse> ExecutePlan(ExecutePlanRequest request, CancellationToken cancellationToken) =>
        _grpc.ExecutePlan(request, _headers, cancellationToken: cancellationToken);

    public AsyncServerStreamingCall<ExecutePlanResponse> ReattachExecute(string operationId, string? lastResponseId, CancellationToken cancellationToken)
    {
        var request = new ReattachExecuteRequest { SessionId = SessionId, UserContext = UserContext, ClientType = ClientType, OperationId = operationId };
        if (lastResponseId is not null) request.LastResponseId = lastResponseId;
        if (ServerSideSessionId is { } observed) request.ClientObservedServerSideSessionId = observed;
        return _grpc.ReattachExecute(request, _headers, cancellationToken: cancellationToken);
    }

    /// <summary>Releases an operation's responses up to <paramref name="untilResponseId"/>, or all of it (null); failures are logged, never thrown.</summary>
    public async Task ReleaseExecuteQuietlyAsync(string operationId, string? untilResponseId)
    {
        var request = new ReleaseExecuteRequest { SessionId = SessionId, UserContext = UserContext, ClientType = ClientType, OperationId = operationId };
        if (untilResponseId is null) request.ReleaseAll = new ReleaseExecuteRequest.Types.ReleaseAll();
        else request.ReleaseUntil = new ReleaseExecuteRequest.Types.ReleaseUntil { ResponseId = untilResponseId };
        if (ServerSideSessionId is { } observed) request.ClientObservedServerSideSessionId = observed;
        try
        {
            var reply = await _grpc.ReleaseExecuteAsync(request, _headers, DateTime.UtcNow + HousekeepingDeadline).ConfigureAwait(false);
            Verify(reply.SessionId, reply.ServerSideSessionId);
        }
        catch (Exception e) when (e is RpcException or SparkConnectException or ObjectDisposedException or InvalidOperationException)
        {
            Log.LogDebug("ReleaseExecute of operation {OperationId} ({What}) failed: {Error}", operationId, untilResponseId is null ? "all" : "until a response", e.Message);
        }
    }

    public Task<AnalyzePlanResponse> AnalyzeAsync(AnalyzePlanRequest request, CancellationToken cancellationToken)
    {
        request.SessionId = SessionId;
        request.UserContext = UserContext;
        request.ClientType = ClientType;
        if (ServerSideSessionId is { } observed) request.ClientObservedServerSideSessionId = observed;
        return CallAsync(() => _grpc.AnalyzePlanAsync(request, _headers, cancellationToken: cancellationToken), r => (r.SessionId, r.ServerSideSessionId));
    }

    public async Task<ConfigResponse> ConfigAsync(ConfigRequest.Types.Operation operation, CancellationToken cancellationToken)
    {
        var request = new ConfigRequest { SessionId = SessionId, UserContext = UserContext, ClientType = ClientType, Operation = operation };
        if (ServerSideSessionId is { } observed) request.ClientObservedServerSideSessionId = observed;
        var reply = await CallAsync(() => _grpc.ConfigAsync(request, _headers, cancellationToken: cancellationToken), r => (r.SessionId, r.ServerSideSessionId)).ConfigureAwait(false);
        foreach (var warning in reply.Warnings) Log.LogWarning("Spark config: {Warning}", warning);
        return reply;
    }

    /// <summary>Interrupts operations of the session; returns the ids the server says it interrupted.</summary>
    public async Task<IReadOnlyList<string>> InterruptAsync(Action<InterruptRequest> what, CancellationToken cancellationToken)
    {
        var request = new InterruptRequest { SessionId = SessionId, UserContext = UserContext, ClientType = ClientType };
        what(request);
        if (ServerSideSessionId is { } observed) request.ClientObservedServerSideSessionId = observed;
        var reply = await CallAsync(() => _grpc.InterruptAsync(request, _headers, DateTime.UtcNow + HousekeepingDeadline, cancellationToken), r => (r.SessionId, r.ServerSideSessionId)).ConfigureAwait(false);
        return [.. reply.InterruptedIds];
    }

    public Task ReleaseSessionAsync(CancellationToken cancellationToken)
    {
        var request = new ReleaseSessionRequest { SessionId = SessionId, UserContext = UserContext, ClientType = ClientType };
        return CallAsync(() => _grpc.ReleaseSessionAsync(request, _headers, DateTime.UtcNow + HousekeepingDeadline, cancellationToken), r => (r.SessionId, r.ServerSideSessionId));
    }

    /// <summary>Checks a reply belongs to this session, and remembers (or checks) the server's id of the session.</summary>
    /// <exception cref="SparkConnectException">The reply is for another session, or the server's session changed.</exception>
    public void Verify(string sessionId, string serverSideSessionId)
    {
        if (sessionId.Length > 0 && sessionId != SessionId)
            throw new SparkConnectException($"the server answered for session {sessionId}, but this client's session is {SessionId}", StatusCode.Internal);
        if (serverSideSessionId.Length == 0) return;
        lock (_lock)
        {
            _serverSideSessionId ??= serverSideSessionId;
            if (_serverSideSessionId != serverSideSessionId)
                throw new SparkConnectException($"the server's session {SessionId} changed (the server restarted or released it): its state is gone; create a new client", StatusCode.FailedPrecondition);
        }
    }

    /// <summary>The exception for a failed call, with the server's error details when it has them (fetching them never fails the caller).</summary>
    public async Task<SparkConnectException> FailureAsync(RpcException e, string? operationId)
    {
        var failure = SparkErrors.FromRpc(e, Options.Endpoint, operationId);
        if (!FetchErrorDetails || failure.ErrorId is null || SparkErrors.IsCanceled(failure)) return failure;
        try
        {
            var request = new FetchErrorDetailsRequest { SessionId = SessionId, UserContext = UserContext, ClientType = ClientType, ErrorId = failure.ErrorId };
            if (ServerSideSessionId is { } observed) request.ClientObservedServerSideSessionId = observed;
            var details = await _grpc.FetchErrorDetailsAsync(request, _headers, DateTime.UtcNow + HousekeepingDeadline).ConfigureAwait(false);
            return SparkErrors.WithDetails(failure, details);
        }
        catch (RpcException fetch)
        {
            Log.LogDebug("FetchErrorDetails({ErrorId}) failed: {Error}", failure.ErrorId, fetch.Status.Detail);
            return failure;
        }
    }

    private async Task<T> CallAsync<T>(Func<AsyncUnaryCall<T>> call, Func<T, (string SessionId, string ServerSideSessionId)> ids)
    {
        T reply;
        try
        {
            reply = await call().ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw await FailureAsync(e, null).ConfigureAwait(false);
        }
        var (session, serverSide) = ids(reply);
        Verify(session, serverSide);
        return reply;
    }

    private static string ClientTypeOf(string? userAgent)
    {
        var version = typeof(SparkRpc).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(SparkRpc).Assembly.GetName().Version?.ToString() ?? "0";
        var ours = $"kernelgateway/{version} dotnet/{Environment.Version}";
        return userAgent is null ? ours : $"{userAgent} {ours}";
    }
}
