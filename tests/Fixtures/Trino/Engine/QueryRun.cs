using System.Buffers;
using System.Data;
using System.Text.Json;
using System.Threading.Channels;
using DuckDB.NET.Data;
using KernelGateway.Tests.Fixtures.Trino.Protocol;
using KernelGateway.Tests.Fixtures.Trino.Sql;
using KernelGateway.Tests.Fixtures.Trino.Types;

namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>
/// Runs one statement on DuckDB and renders its rows into pages of about <c>TargetPageBytes</c> of JSON, into a
/// bounded queue the protocol side reads (so pages are ready before the client asks, and memory stays bounded).
/// Session statements (USE, SET SESSION, PREPARE, transactions…) are answered here with the response headers
/// Trino sends. A failure becomes <see cref="Error"/>; the queue is then completed.
/// </summary>
internal sealed class QueryRun(DuckDbEngine engine, ClientSession session, string sql, TrinoServerOptions options)
{
    private const int PagesAhead = 4;
    private readonly Channel<ResultPage> _pages = Channel.CreateBounded<ResultPage>(new BoundedChannelOptions(options.RenderAhead ? PagesAhead : 1) { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _demand = new(0);
    private DuckDBCommand? _command;
    private long _rows, _bytes, _pagesDone;

    public IReadOnlyList<OutputColumn>? Columns { get; private set; }
    public string? UpdateType { get; private set; }
    public long? UpdateCount { get; private set; }
    public TrinoError? Error { get; private set; }
    public List<(string Name, string Value)> ResponseHeaders { get; } = [];
    public ChannelReader<ResultPage> Pages => _pages.Reader;
    public long Rows => Interlocked.Read(ref _rows);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long PagesRendered => Interlocked.Read(ref _pagesDone);

    /// <summary>Lets one more page be rendered (only needed without render-ahead).</summary>
    public void Demand()
    {
        if (!options.RenderAhead) _demand.Release();
    }

    /// <summary>Interrupts the DuckDB statement running now, if any.</summary>
    public void Interrupt()
    {
        try { Volatile.Read(ref _command)?.Cancel(); } catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or DuckDBException) { }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await Task.Yield();
            await RunStatementAsync(StatementParser.Parse(sql, session.Catalog ?? "memory", session.Schema ?? "default"), sql, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Error ??= TrinoError.Canceled();
        }
        catch (DuckDBException e)
        {
            Error = ct.IsCancellationRequested ? TrinoError.Canceled() : TrinoError.From(e, null, sql);
        }
        catch (TrinoFailure f)
        {
            Error = f.Error;
        }
        catch (Exception e)
        {
            Error = ct.IsCancellationRequested ? TrinoError.Canceled() : TrinoError.Internal(e);
        }
        finally
        {
            _pages.Writer.TryComplete();
        }
    }

    private async Task RunStatementAsync(TrinoStatement s, string original, CancellationToken ct)
    {
        switch (s.Kind)
        {
            case StatementKind.Query:
                await WithConnectionAsync(c => QueryAsync(c, s.Sql, s.Value ?? original, ct), ct);
                break;
            case StatementKind.ShowColumns:
                await WithConnectionAsync(c => QueryAsync(c, CatalogQueries.ShowColumns(c, s.Name!), original, ct), ct);
                break;
            case StatementKind.ShowCreateTable:
                await WithConnectionAsync(c => QueryAsync(c, CatalogQueries.ShowCreateTable(c, s.Name!), original, ct), ct);
                break;
            case StatementKind.Update:
                await WithConnectionAsync(c => UpdateAsync(c, s, ct), ct);
                break;
            case StatementKind.Execute:
                await RunStatementAsync(Prepared(s), original, ct);
                break;
            default:
                UpdateType = s.UpdateType;
                ResponseHeaders.AddRange(SessionStatements.Apply(s, session, engine));
                Columns = [new OutputColumn("result", TrinoType.Simple("boolean"))];
                await WriteResultAsync(ct);
                break;
        }
    }

    private TrinoStatement Prepared(TrinoStatement s)
    {
        var body = s.Value;
        if (body is null && !session.PreparedStatements.TryGetValue(s.Name!, out body))
        {
            throw new TrinoFailure(TrinoError.User($"Prepared statement not found: {s.Name}", 5, "NOT_FOUND"));
        }
        var bound = Parameters.Bind(body, s.Arguments ?? []);
        return StatementParser.Parse(bound, session.Catalog ?? "memory", session.Schema ?? "default");
    }

    private async Task WriteResultAsync(CancellationToken ct)
    {
        var page = RenderSingle(Columns![0].Type.Base == "boolean" ? true : UpdateCount);
        await PublishAsync(page, ct);
    }

    private static ResultPage RenderSingle(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteStartArray();
            if (value is bool b) w.WriteBooleanValue(b); else w.WriteNumberValue(Convert.ToInt64(value));
            w.WriteEndArray();
            w.WriteEndArray();
        }
        return new ResultPage(buffer.WrittenSpan.ToArray(), 1);
    }

    private async Task WithConnectionAsync(Func<DuckDBConnection, Task> work, CancellationToken ct)
    {
        if (session.TransactionId is { } id)
        {
            var t = engine.Find(id) ?? throw new TrinoFailure(TrinoError.User($"Unknown transaction ID: {id}", 20, "UNKNOWN_TRANSACTION"));
            await t.Turn.WaitAsync(ct);
            try { await work(t.Connection); } finally { t.Turn.Release(); }
            return;
        }
        await using var c = engine.Open(session.Catalog, session.Schema, session.TimeZone);
        await work(c);
    }

    private async Task UpdateAsync(DuckDBConnection c, TrinoStatement s, CancellationToken ct)
    {
        var shim = TrinoSqlShim.Rewrite(s.Sql, session.Catalog ?? "memory");
        await using var cmd = c.CreateCommand();
        cmd.CommandText = shim.DuckDb;
        Volatile.Write(ref _command, cmd);
        int count;
        try { count = await cmd.ExecuteNonQueryAsync(ct); }
        catch (DuckDBException e) when (!ct.IsCancellationRequested) { throw new TrinoFailure(TrinoError.From(e, shim, s.Sql)); }
        finally { Volatile.Write(ref _command, null); }
        UpdateType = s.UpdateType;
        if (s.CountsRows)
        {
            UpdateCount = s.UpdateType == "CREATE TABLE" ? CatalogQueries.CountCreated(c, s.Sql) : Math.Max(0, count);
            Columns = [new OutputColumn("rows", TrinoType.Simple("bigint"))];
        }
        else
        {
            Columns = [new OutputColumn("result", TrinoType.Simple("boolean"))];
        }
        await WriteResultAsync(ct);
    }

    private async Task QueryAsync(DuckDBConnection c, string duckSql, string original, CancellationToken ct)
    {
        var key = $"{session.Catalog}|{session.Schema}|{session.TimeZone}|{session.ParametricDatetime}|{duckSql}";
        if (options.ReplayResults && engine.RenderedResults.TryGetValue(key, out var rendered))
        {
            Columns = rendered.Columns;
            foreach (var page in rendered.Pages) await PublishAsync(page, ct);
            return;
        }
        List<ResultPage>? kept = options.ReplayResults ? [] : null;
        _kept = kept;
        await RunQueryAsync(c, duckSql, original, ct);
        if (kept is not null) engine.RenderedResults.TryAdd(key, (Columns!, kept));
    }

    private List<ResultPage>? _kept;

    private async Task RunQueryAsync(DuckDBConnection c, string duckSql, string original, CancellationToken ct)
    {
        var shim = TrinoSqlShim.Rewrite(duckSql, session.Catalog ?? "memory");
        var plan = ResultPlan.Describe(c, shim, original, session.ParametricDatetime);
        Columns = plan.Columns;
        await using var cmd = c.CreateCommand();
        cmd.CommandText = plan.Sql;
        cmd.UseStreamingMode = true;
        Volatile.Write(ref _command, cmd);
        try
        {
            await using var reader = (DuckDBDataReader)await cmd.ExecuteReaderAsync(CommandBehavior.Default, ct);
            await ReadPagesAsync(reader, plan, ct);
        }
        catch (DuckDBException e) when (!ct.IsCancellationRequested)
        {
            throw new TrinoFailure(TrinoError.From(e, shim, original, plan.LinesBefore));
        }
        finally
        {
            Volatile.Write(ref _command, null);
        }
    }

    private async Task ReadPagesAsync(DuckDBDataReader reader, ResultPlan plan, CancellationToken ct)
    {
        var zone = TimeZones.Find(session.TimeZone);
        var values = new TrinoValueWriter(zone.Info, zone.Name);
        var nested = new NestedJsonWriter(values);
        var buffer = new ArrayBufferWriter<byte>(Math.Min(options.TargetPageBytes + 4096, 4 << 20));
        var more = reader.Read();
        while (more)
        {
            ct.ThrowIfCancellationRequested();
            buffer.ResetWrittenCount();
            var rows = 0;
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartArray();
                do
                {
                    plan.WriteRow(w, reader, values, nested);
                    rows++;
                    if (rows % 64 == 0) w.Flush();
                    more = reader.Read();
                }
                while (more && w.BytesCommitted + w.BytesPending < options.TargetPageBytes && rows < (options.MaxRowsPerPage ?? int.MaxValue));
                w.WriteEndArray();
            }
            await PublishAsync(new ResultPage(buffer.WrittenSpan.ToArray(), rows), ct);
        }
    }

    private async Task PublishAsync(ResultPage page, CancellationToken ct)
    {
        if (!options.RenderAhead) await _demand.WaitAsync(ct);
        _kept?.Add(page);
        await _pages.Writer.WriteAsync(page, ct);
        Interlocked.Add(ref _rows, page.Rows);
        Interlocked.Add(ref _bytes, page.Data.Length);
        Interlocked.Increment(ref _pagesDone);
    }
}
