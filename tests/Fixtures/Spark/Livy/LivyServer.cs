using System.Net;
using System.Security.Cryptography.X509Certificates;
using KernelGateway.Tests.Fixtures.Spark.Livy.Engine;
using KernelGateway.Tests.Fixtures.Spark.Livy.Protocol;
using KernelGateway.Tests.Fixtures.Trino;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Tests.Fixtures.Spark.Livy;

/// <summary>
/// An Apache Livy server for tests, on 127.0.0.1 (a free port), speaking Livy's REST API as its servlets do:
/// sessions (<c>not_started → starting → idle ⇄ busy → dead/killed/error</c>) with statements
/// (<c>waiting → running → available</c>, or <c>cancelling → cancelled</c>), batches, logs, CSRF protection and
/// heartbeats. Statements run on a scripted interpreter (<see cref="Scripts"/>), and <c>sql</c> code and
/// <c>spark.sql("...").show()</c> run on an in-memory DuckDB. Every request is recorded (<see cref="Requests"/>);
/// tests wait for events (<see cref="WaitForRequestAsync"/>, the handles' waits), never for time. See the README.
/// </summary>
public sealed class LivyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LivyStore _store;
    private readonly DuckDbSql _sql = new();
    private readonly SessionRuntime _runtime;
    private readonly ITimer _watchdog;
    private readonly List<LivyRecordedRequest> _requests = [];
    private Uri _baseUri = new("http://127.0.0.1/");

    private LivyServer(LivyServerOptions options)
    {
        Options = options;
        Certificate = options.Https ? SelfSignedCertificate.Create() : null;
        _store = new LivyStore(options);
        _runtime = new SessionRuntime(_store, new Interpreter(Scripts, _sql, options));
        var gate = new RequestGate(options, Faults, Record);
        var backend = new LivyBackend(_store, _runtime, gate, options.PathBase.TrimEnd('/'));
        _watchdog = options.HeartbeatClock.CreateTimer(_ => _store.DeleteExpiredSessions(), null, options.HeartbeatWatchdogInterval, options.HeartbeatWatchdogInterval);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, InertLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            if (Certificate is not null) l.UseHttps(Certificate);
        }));
        _app = builder.Build();
        _app.Use(gate.InvokeAsync);
        var api = _app.MapGroup(backend.PathBase);
        api.MapSessions(backend);
        api.MapStatements(backend);
        api.MapBatches(backend);
    }

    /// <summary>Starts a server; dispose it to stop it and free everything.</summary>
    public static async Task<LivyServer> StartAsync(LivyServerOptions? options = null, CancellationToken ct = default)
    {
        var server = new LivyServer(options ?? new LivyServerOptions());
        await server._app.StartAsync(ct);
        var port = new Uri(server._app.Urls.First()).Port;
        server._baseUri = new Uri($"{(server.Certificate is null ? "http" : "https")}://127.0.0.1:{port}{server.Options.PathBase.TrimEnd('/')}/");
        return server;
    }

    /// <summary>The options it was started with.</summary>
    public LivyServerOptions Options { get; }

    /// <summary>Where it listens, path base included, ending in <c>/</c>: e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri => _baseUri;

    /// <summary>The self-signed certificate it serves with <see cref="LivyServerOptions.Https"/>; otherwise null.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>What scripted code answers.</summary>
    public LivyScripts Scripts { get; } = new();

    /// <summary>Failures for the next requests.</summary>
    public LivyFaults Faults { get; } = new();

    /// <summary>A snapshot of every request so far, in arrival order.</summary>
    public IReadOnlyList<LivyRecordedRequest> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    /// <summary>Completes with the first request (already recorded or still to come) that <paramref name="match"/> accepts.</summary>
    public async Task<LivyRecordedRequest> WaitForRequestAsync(Func<LivyRecordedRequest, bool> match, CancellationToken ct)
    {
        LivyRecordedRequest? found = null;
        await _store.Changed.WaitAsync(() => (found = Requests.FirstOrDefault(match)) is not null, ct);
        return found!;
    }

    /// <summary>A session the server knows (not deleted), to watch and steer.</summary>
    /// <exception cref="KeyNotFoundException">No such session.</exception>
    public LivySessionHandle Session(int id) =>
        new(_store, _store.FindSession(id) ?? throw new KeyNotFoundException($"the Livy fixture has no session {id}"));

    /// <summary>Every session the server knows, in id order.</summary>
    public IReadOnlyList<LivySessionHandle> Sessions => [.. _store.Sessions().Select(s => new LivySessionHandle(_store, s))];

    /// <summary>A batch the server knows (not deleted), to watch and steer.</summary>
    /// <exception cref="KeyNotFoundException">No such batch.</exception>
    public LivyBatchHandle Batch(int id) =>
        new(_store, _store.FindBatch(id) ?? throw new KeyNotFoundException($"the Livy fixture has no batch {id}"));

    /// <summary>Runs DuckDB SQL on the database <c>sql</c> statements query (setup: <c>CREATE TABLE t AS ...</c>).</summary>
    public Task ExecuteDuckDbAsync(string sql, CancellationToken ct = default) => _sql.ExecuteAsync(sql, ct);

    /// <summary>Stops the server, every session's driver, and frees DuckDB.</summary>
    public async ValueTask DisposeAsync()
    {
        await _watchdog.DisposeAsync();
        foreach (var s in _store.Sessions()) _store.DeleteSession(s);
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _runtime.StoppedAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _sql.Dispose();
        Certificate?.Dispose();
    }

    private void Record(HttpContext ctx, string body, DateTimeOffset arrived)
    {
        var headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase);
        var status = ctx.RequestAborted.IsCancellationRequested && !ctx.Response.HasStarted ? 0 : ctx.Response.StatusCode;
        lock (_requests)
            _requests.Add(new LivyRecordedRequest(_requests.Count + 1, ctx.Request.Method, ctx.Request.PathBase + ctx.Request.Path + ctx.Request.QueryString, headers, body, status, arrived));
        _store.Changed.Fire();
    }

    /// <summary>A host lifetime that hooks no process signals (a fixture inside a test process must not take Ctrl+C or SIGTERM).</summary>
    private sealed class InertLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
