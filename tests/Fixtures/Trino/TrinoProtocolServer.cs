using System.Net;
using System.Security.Cryptography.X509Certificates;
using KernelGateway.Tests.Fixtures.Trino.Engine;
using KernelGateway.Tests.Fixtures.Trino.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Tests.Fixtures.Trino;

/// <summary>
/// A Trino (or Presto) coordinator speaking the client REST protocol on 127.0.0.1 (a free port), answering real SQL
/// by running it on an in-memory DuckDB: catalogs <c>memory</c> (schema <c>default</c>, writable) and <c>tpch</c>
/// (schema <c>tiny</c>: <c>nation</c>, <c>region</c>). Trino SQL passes through a thin dialect shim (type
/// spellings, typed literals, a few functions as DuckDB macros); DuckDB types map to Trino types and values are
/// encoded as Trino encodes them. Results stream in pages of about <see cref="TrinoServerOptions.TargetPageBytes"/>,
/// paging is idempotent (repeat token: same response; older: 410; unknown: 404), DELETE cancels, and
/// <see cref="Faults"/> injects retryable failures. Every request is recorded (<see cref="Requests"/>).
/// </summary>
public sealed class TrinoProtocolServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DuckDbEngine _engine;
    private readonly StatementHandler _handler;
    private readonly List<RecordedRequest> _requests = [];
    private Uri _baseUri = new("http://127.0.0.1/");

    private TrinoProtocolServer(TrinoServerOptions options)
    {
        Options = options;
        Certificate = options.Https ? SelfSignedCertificate.Create() : null;
        _engine = new DuckDbEngine();
        _handler = new StatementHandler(options, _engine, Faults, () => _baseUri);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, InertLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            if (Certificate is not null) l.UseHttps(Certificate);
        }));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>Starts a server; dispose it to stop it and free everything.</summary>
    public static async Task<TrinoProtocolServer> StartAsync(TrinoServerOptions? options = null, CancellationToken ct = default)
    {
        var server = new TrinoProtocolServer(options ?? new TrinoServerOptions());
        await server._app.StartAsync(ct);
        var port = new Uri(server._app.Urls.First()).Port;
        server._baseUri = new Uri($"{(server.Certificate is null ? "http" : "https")}://127.0.0.1:{port}/");
        return server;
    }

    /// <summary>The options it was started with.</summary>
    public TrinoServerOptions Options { get; }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41234/</c> (https with <see cref="TrinoServerOptions.Https"/>).</summary>
    public Uri BaseUri => _baseUri;

    /// <summary>The self-signed certificate it serves with <see cref="TrinoServerOptions.Https"/>; otherwise null.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Fault injection for the next requests.</summary>
    public TrinoFaults Faults { get; } = new();

    /// <summary>A snapshot of every request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    /// <summary>Every query a client DELETEd (its nextUri, its partialCancelUri or <c>/v1/query/{id}</c>), also after the
    /// query had ended (then nothing changed; <see cref="QueryRecord.Cancelled"/> says whether the cancel took effect).</summary>
    public IReadOnlyCollection<string> CancelledQueryIds => _handler.Queries.Values.Where(q => q.DeleteReceived).Select(q => q.Id).ToList();

    /// <summary>A snapshot of every query so far, in the order they were posted.</summary>
    public IReadOnlyList<QueryRecord> Queries => _handler.Order.Select(q => q.Snapshot()).ToList();

    /// <summary>Completes when a client has cancelled <paramref name="queryId"/> (at once if it already has).</summary>
    public Task WaitForCancelAsync(string queryId, CancellationToken ct) =>
        _handler.Cancels.GetOrAdd(queryId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(ct);

    /// <summary>Completes with the query's final record once its last response was built or it was cancelled.</summary>
    /// <exception cref="KeyNotFoundException">No query has that id.</exception>
    public Task<QueryRecord> WaitForQueryEndAsync(string queryId, CancellationToken ct) =>
        _handler.Queries.TryGetValue(queryId, out var q) ? q.Ended.WaitAsync(ct) : throw new KeyNotFoundException(queryId);

    /// <summary>Runs DuckDB SQL on the backing database (setup: <c>CREATE TABLE memory."default".t …</c>).</summary>
    public Task ExecuteDuckDbAsync(string duckDbSql, CancellationToken ct = default) => _engine.ExecuteAsync(duckDbSql, ct);

    /// <summary>The <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the query's first page carrying rows was fully written, or null.</summary>
    public long? FirstDataPageSentTicks(string queryId) => _handler.Queries.TryGetValue(queryId, out var q) ? q.FirstDataPageSentTicks : null;

    private async Task HandleAsync(HttpContext ctx)
    {
        var arrived = DateTimeOffset.UtcNow;
        try
        {
            await _handler.HandleAsync(ctx);
        }
        catch (Exception) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // the client went away; nothing to answer
        }
        catch (Exception e)
        {
            if (!ctx.Response.HasStarted)
            {
                ctx.Response.StatusCode = 500;
                await ctx.Response.WriteAsync(e.Message);
            }
        }
        finally
        {
            Record(ctx, arrived);
        }
    }

    private void Record(HttpContext ctx, DateTimeOffset arrived)
    {
        var headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase);
        var status = ctx.RequestAborted.IsCancellationRequested && !ctx.Response.HasStarted ? 0 : ctx.Response.StatusCode;
        lock (_requests) _requests.Add(new RecordedRequest(ctx.Request.Method, ctx.Request.Path + ctx.Request.QueryString, headers, status, arrived));
    }

    /// <summary>Stops the server, interrupts every query and frees DuckDB.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var q in _handler.Queries.Values) q.Abandon();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Task.WhenAll(_handler.Queries.Values.Select(q => q.RunTask)).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _engine.Dispose();
        Certificate?.Dispose();
    }

    /// <summary>A host lifetime that hooks no process signals: a fixture inside a test process must not take Ctrl+C
    /// or SIGTERM from it (the default console lifetime would, and only stop this server).</summary>
    private sealed class InertLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
