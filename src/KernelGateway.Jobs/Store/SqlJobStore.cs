using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;
using KernelGateway.Jobs.Model;

namespace KernelGateway.Jobs.Store;

/// <summary>
/// The SQL both stores share (tables <c>kg_schedules</c>, <c>kg_snapshots</c>, <c>kg_runs</c>; times as Unix
/// milliseconds; parameters as JSON text). A subclass opens connections, writes the schema in its types, begins write
/// transactions as its database needs, and claims runs its own way.
/// </summary>
public abstract class SqlJobStore : IJobStore
{
    private const string ScheduleColumns = "id, name, notebook, snapshot, cron, time_zone, parameters, kernel, timeout_ms, paused, missed_runs, max_concurrency, evaluated_until, created_at, updated_at";

    /// <summary>The run columns in the order <see cref="ReadRun"/> reads them.</summary>
    protected const string RunColumns = "id, schedule_id, schedule_name, occurrence, trigger_kind, state, queued_at, started_at, ended_at, parameters, snapshot, notebook, output_path, kernel, timeout_ms, failing_cell, error, cancel_requested, claimed_by, note";

    /// <summary>What a claim sets besides the state: start, heartbeat, owner and the output path (<c>runs/{schedule}/{schedule}-{id}.ipynb</c>, <c>adhoc</c> for runs without a schedule).</summary>
    protected const string ClaimAssignments =
        "state = 'running', started_at = @now, heartbeat_at = @now, claimed_by = @owner, " +
        "output_path = 'runs/' || COALESCE(schedule_name, 'adhoc') || '/' || COALESCE(schedule_name, 'adhoc') || '-' || CAST(id AS TEXT) || '.ipynb'";

    /// <summary>Opens a connection.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a write transaction (SQLite: <c>BEGIN IMMEDIATE</c>, so that two writers never deadlock on an upgrade).</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The schema statements, in this database's types.</summary>
    protected abstract string SchemaSql { get; }

    /// <summary>Whether an exception is a unique-key violation.</summary>
    protected abstract bool IsUniqueViolation(DbException e);

    /// <inheritdoc />
    public abstract Task<RunRecord?> ClaimNextAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual async Task InitializeAsync(CancellationToken cancellationToken) =>
        await WriteAsync(async (c, t) => await ExecuteAsync(c, t, SchemaSql, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc />
    public async Task<Schedule> AddScheduleAsync(Schedule s, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteAsync(async (c, t) =>
            {
                var id = (long)(await ScalarAsync(c, t, $"""
                    INSERT INTO kg_schedules (name, notebook, snapshot, cron, time_zone, parameters, kernel, timeout_ms, paused, missed_runs, max_concurrency, evaluated_until, created_at, updated_at)
                    VALUES (@name, @notebook, @snapshot, @cron, @tz, @parameters, @kernel, @timeout, @paused, @missed, @max, @evaluated, @created, @updated) RETURNING id
                    """, cancellationToken, ScheduleParameters(s)))!;
                await AddSnapshotAsync(c, t, id, s.Snapshot, s.Notebook, s.Updated, cancellationToken);
                return s with { Id = id };
            }, cancellationToken);
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            throw new JobException(JobError.Conflict, $"a schedule named '{s.Name}' exists", e);
        }
    }

    /// <inheritdoc />
    public async Task<Schedule?> GetScheduleAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {ScheduleColumns} FROM kg_schedules WHERE name = @name", ReadSchedule, cancellationToken, ("name", name))).FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<Schedule>> ListSchedulesAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {ScheduleColumns} FROM kg_schedules ORDER BY name", ReadSchedule, cancellationToken);

    /// <inheritdoc />
    public Task<Schedule> UpdateScheduleAsync(Schedule s, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
    {
        var previous = await ScalarAsync(c, t, "SELECT snapshot FROM kg_schedules WHERE id = @id", cancellationToken, ("id", s.Id)) as string
            ?? throw new JobException(JobError.NotFound, $"no schedule with id {s.Id}");
        await ExecuteAsync(c, t, """
            UPDATE kg_schedules SET notebook = @notebook, snapshot = @snapshot, cron = @cron, time_zone = @tz, parameters = @parameters, kernel = @kernel,
              timeout_ms = @timeout, paused = @paused, missed_runs = @missed, max_concurrency = @max, evaluated_until = @evaluated, updated_at = @updated
            WHERE id = @id
            """, cancellationToken, [.. ScheduleParameters(s), ("id", s.Id)]);
        if (previous != s.Snapshot) await AddSnapshotAsync(c, t, s.Id, s.Snapshot, s.Notebook, s.Updated, cancellationToken);
        return s;
    }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SnapshotEntry>> SnapshotHistoryAsync(long scheduleId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT snapshot, notebook, taken_at FROM kg_snapshots WHERE schedule_id = @id ORDER BY taken_at, seq",
            r => new SnapshotEntry(r.GetString(0), r.GetString(1), Time(r.GetInt64(2))), cancellationToken, ("id", scheduleId));

    /// <inheritdoc />
    public Task<bool> RemoveScheduleAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
    {
        if (await ScalarAsync(c, t, "SELECT id FROM kg_schedules WHERE name = @name", cancellationToken, ("name", name)) is not long id) return false;
        await ExecuteAsync(c, t, "UPDATE kg_runs SET state = 'cancelled', ended_at = @now, error = 'its schedule was removed' WHERE schedule_id = @id AND state = 'queued'",
            cancellationToken, ("id", id), ("now", Ms(now)));
        await ExecuteAsync(c, t, "UPDATE kg_runs SET cancel_requested = 1 WHERE schedule_id = @id AND state = 'running'", cancellationToken, ("id", id));
        await ExecuteAsync(c, t, "UPDATE kg_runs SET schedule_id = NULL WHERE schedule_id = @id", cancellationToken, ("id", id));
        await ExecuteAsync(c, t, "DELETE FROM kg_snapshots WHERE schedule_id = @id", cancellationToken, ("id", id));
        await ExecuteAsync(c, t, "DELETE FROM kg_schedules WHERE id = @id", cancellationToken, ("id", id));
        return true;
    }, cancellationToken);

    /// <inheritdoc />
    public Task AdvanceEvaluationAsync(long scheduleId, DateTimeOffset until, CancellationToken cancellationToken) => WriteAsync(
        (c, t) => ExecuteAsync(c, t, "UPDATE kg_schedules SET evaluated_until = @until WHERE id = @id AND evaluated_until < @until", cancellationToken,
            ("id", scheduleId), ("until", Ms(until))), cancellationToken);

    /// <inheritdoc />
    public Task<RunRecord?> AddOccurrenceAsync(NewRun run, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
        (await QueryAsync(c, t, InsertRunSql + " ON CONFLICT (schedule_id, occurrence) DO NOTHING RETURNING " + RunColumns, ReadRun, cancellationToken, RunParameters(run))).FirstOrDefault(),
        cancellationToken);

    /// <inheritdoc />
    public Task<RunRecord> AddRunAsync(NewRun run, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
        (await QueryAsync(c, t, InsertRunSql + " RETURNING " + RunColumns, ReadRun, cancellationToken, RunParameters(run))).Single(), cancellationToken);

    private const string InsertRunSql = """
        INSERT INTO kg_runs (schedule_id, schedule_name, occurrence, trigger_kind, state, queued_at, ended_at, parameters, snapshot, notebook, kernel, timeout_ms, cancel_requested, note)
        VALUES (@schedule, @schedule_name, @occurrence, @trigger, @state, @queued, @ended, @parameters, @snapshot, @notebook, @kernel, @timeout, 0, @note)
        """;

    /// <inheritdoc />
    public Task<bool> CompleteAsync(long runId, RunCompletion r, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
        await ExecuteAsync(c, t, """
            UPDATE kg_runs SET state = @state, ended_at = @ended, failing_cell = @cell, error = @error, kernel = COALESCE(@kernel, kernel)
            WHERE id = @id AND state = 'running'
            """, cancellationToken, ("id", runId), ("state", r.State.Name()), ("ended", Ms(r.Ended)), ("cell", (long?)r.FailingCell), ("error", r.Error), ("kernel", r.Kernel)) == 1,
        cancellationToken);

    /// <inheritdoc />
    public async Task<RunRecord?> GetRunAsync(long runId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {RunColumns} FROM kg_runs WHERE id = @id", ReadRun, cancellationToken, ("id", runId))).FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("limit", (long)Math.Max(1, query.Limit)) };
        if (query.Schedule is { } s) { where.Add("schedule_name = @schedule"); parameters.Add(("schedule", s)); }
        if (query.State is { } st) { where.Add("state = @state"); parameters.Add(("state", st.Name())); }
        if (query.Since is { } since) { where.Add("queued_at >= @since"); parameters.Add(("since", Ms(since))); }
        if (query.Until is { } until) { where.Add("queued_at < @until"); parameters.Add(("until", Ms(until))); }
        var sql = new StringBuilder($"SELECT {RunColumns} FROM kg_runs");
        if (where.Count > 0) sql.Append(" WHERE ").Append(string.Join(" AND ", where));
        sql.Append(" ORDER BY id DESC LIMIT @limit");
        return QueryAsync(sql.ToString(), ReadRun, cancellationToken, [.. parameters]);
    }

    /// <inheritdoc />
    public Task<RunRecord?> RequestCancelAsync(long runId, DateTimeOffset now, CancellationToken cancellationToken) => WriteAsync(async (c, t) =>
    {
        await ExecuteAsync(c, t, "UPDATE kg_runs SET state = 'cancelled', ended_at = @now, cancel_requested = 1, error = 'cancelled before it started' WHERE id = @id AND state = 'queued'",
            cancellationToken, ("id", runId), ("now", Ms(now)));
        await ExecuteAsync(c, t, "UPDATE kg_runs SET cancel_requested = 1 WHERE id = @id AND state = 'running'", cancellationToken, ("id", runId));
        return (await QueryAsync(c, t, $"SELECT {RunColumns} FROM kg_runs WHERE id = @id", ReadRun, cancellationToken, ("id", runId))).FirstOrDefault();
    }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<long>> CancelRequestedAsync(string owner, CancellationToken cancellationToken) =>
        QueryAsync("SELECT id FROM kg_runs WHERE state = 'running' AND cancel_requested = 1 AND claimed_by = @owner", r => r.GetInt64(0), cancellationToken, ("owner", owner));

    /// <inheritdoc />
    public Task HeartbeatAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken) => WriteAsync(
        (c, t) => ExecuteAsync(c, t, "UPDATE kg_runs SET heartbeat_at = @now WHERE state = 'running' AND claimed_by = @owner", cancellationToken, ("owner", owner), ("now", Ms(now))),
        cancellationToken);

    /// <inheritdoc />
    public Task<int> FailAbandonedAsync(DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken) => WriteAsync(
        (c, t) => ExecuteAsync(c, t, "UPDATE kg_runs SET state = 'failed', ended_at = @now, error = 'its scheduler stopped while it ran (no heartbeat)' WHERE state = 'running' AND heartbeat_at < @stale",
            cancellationToken, ("now", Ms(now)), ("stale", Ms(staleBefore))), cancellationToken);

    // ---- helpers for subclasses ----

    /// <summary>Runs <paramref name="work"/> in a write transaction and commits it.</summary>
    protected async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Runs a statement; returns the rows affected.</summary>
    protected static async Task<int> ExecuteAsync(DbConnection c, DbTransaction? t, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(c, t, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row, or null.</summary>
    protected static async Task<object?> ScalarAsync(DbConnection c, DbTransaction? t, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(c, t, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>Rows read by <paramref name="read"/>.</summary>
    protected static async Task<IReadOnlyList<T>> QueryAsync<T>(DbConnection c, DbTransaction? t, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(c, t, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, sql, read, cancellationToken, parameters);
    }

    private static DbCommand Command(DbConnection c, DbTransaction? t, string sql, (string Name, object? Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.CommandText = sql;
        command.Transaction = t;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return command;
    }

    private static Task AddSnapshotAsync(DbConnection c, DbTransaction t, long id, string snapshot, string notebook, DateTimeOffset taken, CancellationToken cancellationToken) =>
        ExecuteAsync(c, t, "INSERT INTO kg_snapshots (schedule_id, snapshot, notebook, taken_at) VALUES (@id, @snapshot, @notebook, @taken)", cancellationToken,
            ("id", id), ("snapshot", snapshot), ("notebook", notebook), ("taken", Ms(taken)));

    /// <summary>A time as stored: Unix milliseconds.</summary>
    protected static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : Time(r.GetInt64(i));

    private static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static JsonObject Json(string text) => JsonNode.Parse(text) as JsonObject ?? [];

    private static (string, object?)[] ScheduleParameters(Schedule s) =>
    [
        ("name", s.Name), ("notebook", s.Notebook), ("snapshot", s.Snapshot), ("cron", s.Cron), ("tz", s.TimeZone), ("parameters", s.Parameters.ToJsonString()),
        ("kernel", s.Kernel), ("timeout", (long?)s.Timeout?.TotalMilliseconds), ("paused", s.Paused ? 1L : 0L), ("missed", s.MissedRuns.Name()),
        ("max", (long)s.MaxConcurrency), ("evaluated", Ms(s.EvaluatedUntil)), ("created", Ms(s.Created)), ("updated", Ms(s.Updated)),
    ];

    private static (string, object?)[] RunParameters(NewRun r) =>
    [
        ("schedule", r.ScheduleId), ("schedule_name", r.ScheduleName), ("occurrence", r.Occurrence is { } o ? Ms(o) : null), ("trigger", r.Trigger),
        ("state", r.State.Name()), ("queued", Ms(r.Queued)), ("ended", r.State.IsFinal() ? Ms(r.Queued) : null), ("parameters", r.Parameters.ToJsonString()),
        ("snapshot", r.Snapshot), ("notebook", r.Notebook), ("kernel", r.Kernel), ("timeout", (long?)r.Timeout?.TotalMilliseconds), ("note", r.Note),
    ];

    private static Schedule ReadSchedule(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Json(r.GetString(6)), Text(r, 7),
        Long(r, 8) is { } ms ? TimeSpan.FromMilliseconds(ms) : null, r.GetInt64(9) != 0, MissedRunPolicies.Parse(r.GetString(10)), (int)r.GetInt64(11),
        Time(r.GetInt64(12)), Time(r.GetInt64(13)), Time(r.GetInt64(14)));

    /// <summary>Reads a row of <see cref="RunColumns"/>.</summary>
    protected static RunRecord ReadRun(DbDataReader r) => new(
        r.GetInt64(0), Long(r, 1), Text(r, 2), Time(r, 3), r.GetString(4), RunStates.Parse(r.GetString(5)), Time(r.GetInt64(6)), Time(r, 7), Time(r, 8),
        Json(r.GetString(9)), r.GetString(10), r.GetString(11), Text(r, 12), Text(r, 13), Long(r, 14) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        Long(r, 15) is { } cell ? (int)cell : null, Text(r, 16), r.GetInt64(17) != 0, Text(r, 18), Text(r, 19));

    /// <summary>The schema with this database's types put in: <c>{id}</c> (an auto-numbered primary key), <c>{int}</c> (64-bit) and <c>{text}</c>.</summary>
    protected static string Schema(string id, string integer, string text) => $"""
        CREATE TABLE IF NOT EXISTS kg_schedules (
          id {id}, name {text} NOT NULL UNIQUE, notebook {text} NOT NULL, snapshot {text} NOT NULL, cron {text} NOT NULL, time_zone {text} NOT NULL,
          parameters {text} NOT NULL, kernel {text}, timeout_ms {integer}, paused {integer} NOT NULL, missed_runs {text} NOT NULL, max_concurrency {integer} NOT NULL,
          evaluated_until {integer} NOT NULL, created_at {integer} NOT NULL, updated_at {integer} NOT NULL);
        CREATE TABLE IF NOT EXISTS kg_snapshots (
          seq {id}, schedule_id {integer} NOT NULL, snapshot {text} NOT NULL, notebook {text} NOT NULL, taken_at {integer} NOT NULL);
        CREATE INDEX IF NOT EXISTS kg_snapshots_schedule ON kg_snapshots (schedule_id);
        CREATE TABLE IF NOT EXISTS kg_runs (
          id {id}, schedule_id {integer}, schedule_name {text}, occurrence {integer}, trigger_kind {text} NOT NULL, state {text} NOT NULL,
          queued_at {integer} NOT NULL, started_at {integer}, ended_at {integer}, heartbeat_at {integer}, parameters {text} NOT NULL, snapshot {text} NOT NULL,
          notebook {text} NOT NULL, output_path {text}, kernel {text}, timeout_ms {integer}, failing_cell {integer}, error {text},
          cancel_requested {integer} NOT NULL, claimed_by {text}, note {text});
        CREATE UNIQUE INDEX IF NOT EXISTS kg_runs_occurrence ON kg_runs (schedule_id, occurrence);
        CREATE INDEX IF NOT EXISTS kg_runs_state ON kg_runs (state, id);
        CREATE INDEX IF NOT EXISTS kg_runs_schedule_name ON kg_runs (schedule_name, id);
        """;
}
