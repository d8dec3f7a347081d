using System.Net;
using System.Security.Cryptography.X509Certificates;
using KernelGateway.Tests.Fixtures.Spark.Connect.Service;
using KernelGateway.Tests.Fixtures.Trino;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Tests.Fixtures.Spark.Connect;

/// <summary>
/// A Spark Connect server for tests: the gRPC service <c>spark.connect.SparkConnectService</c> (ExecutePlan, AnalyzePlan,
/// Config, Interrupt, ReattachExecute, ReleaseExecute, ReleaseSession, FetchErrorDetails) on 127.0.0.1 (a free port),
/// over HTTP/2 without TLS or, with <see cref="SparkConnectServerOptions.UseTls"/>, with a self-signed certificate. It
/// answers real SQL by running it on an in-memory DuckDB (Spark SQL spellings rewritten, parameters bound, never
/// spliced) and DataFrame plans translated to SQL; results stream as Arrow batches with Spark's types; errors,
/// sessions, interrupts and reattachable executions behave as Spark's server code does. Every call and execution is
/// recorded; <see cref="Faults"/> breaks streams and holds executions.
/// </summary>
public sealed class SparkConnectServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerState _state;
    private Uri _uri = new("http://127.0.0.1/");

    private SparkConnectServer(SparkConnectServerOptions options)
    {
        _state = new ServerState(options);
        Certificate = options.UseTls ? SelfSignedCertificate.Create() : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, InertLifetime>();
        builder.Services.AddSingleton(_state);
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = options.MaxReceiveMessageBytes;
            o.MaxSendMessageSize = null;
            o.Interceptors.Add<CallRecorder>();
            o.Interceptors.Add<BearerTokenInterceptor>();
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            l.Use(_state.Connections.Middleware);
            if (Certificate is not null) l.UseHttps(Certificate);
        }));
        _app = builder.Build();
        _app.MapGrpcService<SparkConnectGrpcService>();
    }

    /// <summary>Starts a server; dispose it to stop it and free everything.</summary>
    public static async Task<SparkConnectServer> StartAsync(SparkConnectServerOptions? options = null, CancellationToken ct = default)
    {
        var server = new SparkConnectServer(options ?? new SparkConnectServerOptions());
        await server._app.StartAsync(ct);
        var port = new Uri(server._app.Urls.First()).Port;
        server._uri = new Uri($"{(server.Certificate is null ? "http" : "https")}://127.0.0.1:{port}/");
        return server;
    }

    /// <summary>The options it was started with.</summary>
    public SparkConnectServerOptions Options => _state.Options;

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41234/</c> (https with TLS): the address for a gRPC channel.</summary>
    public Uri Uri => _uri;

    /// <summary>The Spark Connect connection string: <c>sc://127.0.0.1:PORT/;use_ssl=false</c>, with <c>;token=…</c> when a
    /// token is required.</summary>
    public string ConnectionString =>
        $"sc://127.0.0.1:{_uri.Port}/;use_ssl={(Certificate is null ? "false" : "true")}" + (Options.RequiredToken is { } t ? $";token={t}" : "");

    /// <summary>The self-signed certificate it serves with TLS; otherwise null.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Fault injection for the next ExecutePlan calls.</summary>
    public SparkConnectFaults Faults => _state.Faults;

    /// <summary>Every call so far, in arrival order, refused ones included.</summary>
    public IReadOnlyList<SparkConnectCall> Calls => _state.Calls.Snapshot();

    /// <summary>Every ExecutePlan so far, in arrival order, as it stands now.</summary>
    public IReadOnlyList<SparkConnectExecution> Executions => _state.Executions.Snapshot().Select(e => e.Snapshot()).ToList();

    /// <summary>Every Interrupt call so far.</summary>
    public IReadOnlyList<SparkConnectInterrupt> Interrupts => _state.Interrupts.Snapshot();

    /// <summary>Every ReattachExecute call so far.</summary>
    public IReadOnlyList<SparkConnectReattach> Reattaches => _state.Reattaches.Snapshot();

    /// <summary>Every ReleaseExecute call so far.</summary>
    public IReadOnlyList<SparkConnectRelease> Releases => _state.Releases.Snapshot();

    /// <summary>The session ids of every ReleaseSession call so far.</summary>
    public IReadOnlyList<string> ReleasedSessions => _state.ReleasedSessions.Snapshot();

    /// <summary>Runs DuckDB SQL on the backing database, in <c>spark_catalog.default</c> (setup: <c>CREATE TABLE t …</c>).</summary>
    public Task ExecuteDuckDbAsync(string duckDbSql, CancellationToken ct = default) => _state.Db.ExecuteAsync(duckDbSql, ct);

    /// <summary>Completes with the first Interrupt call, at once if one was received.</summary>
    public Task<SparkConnectInterrupt> WaitForInterruptAsync(CancellationToken ct) => _state.Interrupts.WaitAsync(_ => true, ct);

    /// <summary>Completes with the first Interrupt call matching <paramref name="match"/>, at once if one was received.</summary>
    public Task<SparkConnectInterrupt> WaitForInterruptAsync(Func<SparkConnectInterrupt, bool> match, CancellationToken ct) => _state.Interrupts.WaitAsync(match, ct);

    /// <summary>Completes with the first ReattachExecute call matching <paramref name="match"/>, at once if one was received.</summary>
    public Task<SparkConnectReattach> WaitForReattachAsync(Func<SparkConnectReattach, bool> match, CancellationToken ct) => _state.Reattaches.WaitAsync(match, ct);

    /// <summary>Completes with the first ReleaseExecute call matching <paramref name="match"/>, at once if one was received.</summary>
    public Task<SparkConnectRelease> WaitForReleaseAsync(Func<SparkConnectRelease, bool> match, CancellationToken ct) => _state.Releases.WaitAsync(match, ct);

    /// <summary>Completes when a ReleaseSession for <paramref name="sessionId"/> was received (at once if it was).</summary>
    public Task WaitForSessionReleaseAsync(string sessionId, CancellationToken ct) => _state.ReleasedSessions.WaitAsync(s => s == sessionId, ct);

    /// <summary>Completes with the execution of <paramref name="operationId"/> once it has ended (FINISHED, FAILED or
    /// CANCELED), waiting for it to start if it has not yet.</summary>
    public async Task<SparkConnectExecution> WaitForExecutionEndAsync(string operationId, CancellationToken ct) =>
        await (await _state.Executions.WaitAsync(e => e.OperationId == operationId, ct)).Ended.WaitAsync(ct);

    /// <summary>Completes with the first execution matching <paramref name="match"/> once it has started (at once if one has).</summary>
    public async Task<SparkConnectExecution> WaitForExecutionAsync(Func<SparkConnectExecution, bool> match, CancellationToken ct) =>
        (await _state.Executions.WaitAsync(e => match(e.Snapshot()), ct)).Snapshot();

    /// <summary>Stops the server, interrupts every execution and frees DuckDB.</summary>
    public async ValueTask DisposeAsync()
    {
        await _state.StopAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Db.Dispose();
        Certificate?.Dispose();
    }

    /// <summary>A host lifetime that hooks no process signals: a fixture inside a test process must not take Ctrl+C or
    /// SIGTERM from it.</summary>
    private sealed class InertLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
