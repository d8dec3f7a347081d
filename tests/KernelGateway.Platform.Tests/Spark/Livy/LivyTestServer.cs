using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Platform.Sql;
using KernelGateway.Tests.Fixtures.Spark.Livy;

namespace KernelGateway.Platform.Tests.Spark.Livy;

/// <summary>
/// The Livy the contract tests of a class talk to: the fixture of tests/Fixtures/Spark/Livy, or a real Livy when
/// <c>KG_TEST_LIVY_URL</c> holds a connection string such as <c>livy+http://livy:8998</c>. Tests that need the
/// fixture's scripts, faults or records are skipped against a real server.
/// </summary>
public sealed class LivyTestServer : IAsyncLifetime
{
    /// <summary>A guard against a hang, never a timing assertion: five minutes, as a real Livy may take a minute or more to start a session.</summary>
    public static CancellationToken Soon => new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token;

    /// <summary>The fixture, or null against a real server.</summary>
    public LivyServer? Fixture { get; private set; }

    /// <summary>The connection string of the server.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>True against a real server.</summary>
    public bool Live => Fixture is null;

    public async Task InitializeAsync()
    {
        var live = Environment.GetEnvironmentVariable("KG_TEST_LIVY_URL");
        if (!string.IsNullOrEmpty(live))
        {
            ConnectionString = live;
            return;
        }
        Fixture = await LivyServer.StartAsync();
        ConnectionString = "livy+" + Fixture.BaseUri;
    }

    public async Task DisposeAsync()
    {
        if (Fixture is not null) await Fixture.DisposeAsync();
    }

    /// <summary>A client of the server; <paramref name="query"/> adds URL keys.</summary>
    public LivyClient NewClient(string query = "") =>
        new(LivyOptions.Parse(ConnectionString + (query.Length == 0 ? "" : (ConnectionString.Contains('?') ? "&" : "?") + query.TrimStart('&', '?'))));

    /// <summary>The fixture, skipping the test against a real server.</summary>
    public LivyServer RequireFixture(string why)
    {
        Skip.If(Fixture is null, $"needs the Livy fixture ({why})");
        return Fixture!;
    }

    /// <summary>A session of <paramref name="kind"/>, idle; deleted when the returned handle is disposed.</summary>
    public async Task<IdleSession> IdleSessionAsync(LivyClient client, string kind, CancellationToken ct)
    {
        var session = await client.CreateSessionAsync(new LivySessionRequest { Kind = kind, Name = "kg-test-" + Guid.NewGuid().ToString("N")[..8] }, ct);
        return new IdleSession(client, await client.WaitForIdleAsync(session.Id, TimeSpan.FromMinutes(5), ct));
    }
}

/// <summary>An idle session that is deleted on dispose.</summary>
public sealed record IdleSession(LivyClient Client, LivySession Session) : IAsyncDisposable
{
    public int Id => Session.Id;

    public async ValueTask DisposeAsync() => await Client.DeleteSessionAsync(Session.Id, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
}

/// <summary>Progress reports, kept in order; <see cref="SeenAsync"/> waits for one that matches.</summary>
public sealed class RecordedProgress : IProgress<QueryProgress>
{
    private readonly List<QueryProgress> _reports = [];
    private readonly List<(Func<QueryProgress, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    public IReadOnlyList<QueryProgress> Reports
    {
        get { lock (_reports) return [.. _reports]; }
    }

    public void Report(QueryProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
            foreach (var w in _waiters.Where(w => w.Match(value)).ToList()) w.Seen.TrySetResult();
        }
    }

    public Task SeenAsync(Func<QueryProgress, bool> match, CancellationToken ct)
    {
        lock (_reports)
        {
            if (_reports.Any(match)) return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, seen));
            return seen.Task.WaitAsync(ct);
        }
    }
}

/// <summary>Code that runs on the fixture and on a real Livy alike.</summary>
public static class LivyCode
{
    /// <summary>A Spark job that runs until it is cancelled (its tasks sleep for ten minutes); the fixture holds it instead.</summary>
    public const string LongRunningScala = "sc.parallelize(1 to 1000, 10).map { i => Thread.sleep(600000); i }.count()";

    /// <summary>One row, one column.</summary>
    public const string ShowOne = "spark.sql(\"SELECT 1 AS one\").show()";
}
