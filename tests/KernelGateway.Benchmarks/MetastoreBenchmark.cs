using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;

namespace KernelGateway.Benchmarks;

/// <summary>
/// <c>--suite metastore</c>: issue 10's figures. A DuckDB catalog of 10,000 tables in 500 schemas (4 columns each,
/// commented) is built once; then, in one run, ours against DuckDB's own catalog functions on an open connection:
/// <list type="bullet">
/// <item>search: <see cref="MetastoreClient.SearchAsync"/> from cache (p50/p95 over a mix of exact, prefix, substring
/// and comment terms) and cold (a new client, names loaded first), against one <c>ILIKE</c> query over
/// <c>duckdb_tables()</c> and <c>duckdb_columns()</c>;</item>
/// <item>the first describe of a DuckDB table: a new client each time (nothing cached), against a fresh connection's
/// <c>DESCRIBE</c>;</item>
/// <item>completion from cache through a real kernel: <c>complete_request</c> in a <c>%%sql</c> cell after
/// <c>FROM schema.</c> and in a SELECT list (after one <c>%%sql</c> and the <c>%metastore</c> cells that load those
/// levels), against the same kernel's C# completion of <c>Console.Wri</c>.</item>
/// </list>
/// </summary>
public static class MetastoreBenchmark
{
    private const int Schemas = 500;
    private const int TablesPerSchema = 20;
    private const int Samples = 200;
    private static readonly string[] Words = ["orders", "customers", "sessions", "events", "payments", "titles", "members", "devices", "plays", "ratings"];
    private static readonly string[] SearchTerms = ["orders_10", "sess", "events", "team 42", "plays_1", "dept_123", "nothing_here", "rating"];

    public static async Task<int> RunAsync(string work, int runs, string? outFile, CancellationToken cancellationToken)
    {
        var data = Path.Combine(work, "kg-data");
        Directory.CreateDirectory(data);
        var file = Path.Combine(work, "bench.duckdb");
        var built = Stopwatch.StartNew();
        BuildCatalog(file);
        await File.WriteAllTextAsync(Path.Combine(data, "connections.json"),
            $$"""[{"name": "bench", "kind": "duckdb", "connection_string": "Data Source={{file.Replace("\\", "\\\\", StringComparison.Ordinal)}}"}]""", cancellationToken);
        var embedded = new EmbeddedWarehouse(data, sessionRows: 1_000);
        await embedded.EnsureSeededAsync(cancellationToken);

        var sb = new StringBuilder();
        sb.AppendLine("## KernelGateway metastore benchmark");
        sb.AppendLine();
        sb.AppendLine($"- date: {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}; nproc {Environment.ProcessorCount}; load {BenchmarkMachine.LoadAverages()}; .NET {Environment.Version}");
        sb.AppendLine($"- catalog: {Schemas * TablesPerSchema:N0} tables in {Schemas} schemas, 4 columns each, built in {built.ElapsedMilliseconds:N0} ms");
        sb.AppendLine();
        sb.AppendLine("| metric | KernelGateway | DuckDB / peer | ratio | target |");
        sb.AppendLine("|---|---:|---:|---:|---:|");

        MetastoreClient NewClient() => new(new WarehouseClient(ConnectionRegistry.Load(data, _ => null), embedded));

        var (warm, cold, duck) = await SearchAsync(NewClient, file, runs, cancellationToken);
        sb.AppendLine(Row("search from cache, p50 (ms)", Stats.Percentile(warm, 50), Stats.Percentile(duck, 50), null));
        sb.AppendLine(Row("search from cache, p95 (ms)", Stats.Percentile(warm, 95), Stats.Percentile(duck, 95), 50));
        sb.AppendLine(Row($"search cold: new client, names loaded (median of {runs}, ms)", Stats.Median(cold), Stats.Percentile(duck, 50), null));

        foreach (var (label, ours, peer, target) in await DescribeAsync(NewClient, file, embedded, runs, cancellationToken)) sb.AppendLine(Row(label, ours, peer, target));
        foreach (var (label, ours, peer, target) in await CompletionAsync(work, data, cancellationToken)) sb.AppendLine(Row(label, ours, peer, target));

        sb.AppendLine();
        sb.AppendLine("DuckDB / peer: search = one ILIKE query over duckdb_tables() and duckdb_columns() on an open connection; describe = "
            + "DESCRIBE on a DuckDB connection opened the same way; completion = the same kernel's C# completion of `Console.Wri` (a round trip of the same protocol).");
        var report = sb.ToString();
        Console.WriteLine(report);
        if (outFile is not null) await File.WriteAllTextAsync(outFile, report, cancellationToken);
        return 0;
    }

    private static string Row(string label, double ours, double peer, double? target)
    {
        var row = $"| {label} | {ours:F2} | {peer:F2} | {ours / peer:F2} | {(target is { } t ? $"≤ {t:F0}" + (ours <= t ? " met" : " NOT met") : "")} |";
        Console.Error.WriteLine(row);
        return row;
    }

    /// <summary>500 schemas <c>dept_000</c>… of 20 tables <c>{word}_{n}</c>, commented, each with 4 commented columns.</summary>
    private static void BuildCatalog(string file)
    {
        using var db = new DuckDBConnection($"Data Source={file}");
        db.Open();
        var sql = new StringBuilder("BEGIN;\n");
        for (var s = 0; s < Schemas; s++)
        {
            var schema = $"dept_{s:000}";
            sql.Append(CultureInfo.InvariantCulture, $"CREATE SCHEMA {schema};\n");
            for (var t = 0; t < TablesPerSchema; t++)
            {
                var word = Words[t % Words.Length];
                var table = $"{schema}.{word}_{t}";
                sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {table} (id BIGINT NOT NULL, {word}_key VARCHAR, amount DECIMAL(12,2), updated_at TIMESTAMP);\n");
                sql.Append(CultureInfo.InvariantCulture, $"COMMENT ON TABLE {table} IS 'daily {word} for team {s}';\n");
                sql.Append(CultureInfo.InvariantCulture, $"COMMENT ON COLUMN {table}.amount IS 'amount in dollars';\n");
            }
        }
        sql.Append("COMMIT;");
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql.ToString();
        cmd.ExecuteNonQuery();
    }

    private static async Task<(List<double> Warm, List<double> Cold, List<double> DuckDb)> SearchAsync(Func<MetastoreClient> newClient, string file, int runs, CancellationToken cancellationToken)
    {
        var cold = new List<double>();
        MetastoreClient client = null!;
        for (var i = 0; i < runs; i++)
        {
            client = newClient();
            var clock = Stopwatch.StartNew();
            var answer = await client.SearchAsync("orders_10", cancellationToken: cancellationToken);
            cold.Add(clock.Elapsed.TotalMilliseconds);
            Check(answer.Items.Count > 0 && answer.Errors.Count == 0, $"cold search found nothing or failed: {string.Join("; ", answer.Errors)}");
        }
        var warm = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            var term = SearchTerms[i % SearchTerms.Length];
            var clock = Stopwatch.StartNew();
            var answer = await client.SearchAsync(term, cancellationToken: cancellationToken);
            warm.Add(clock.Elapsed.TotalMilliseconds);
            Check(answer.Errors.Count == 0 && (answer.Items.Count > 0 || term == "nothing_here"), $"search '{term}' failed: {string.Join("; ", answer.Errors)}");
        }
        var duck = new List<double>();
        await using var db = new DuckDBConnection($"Data Source={file}");
        await db.OpenAsync(cancellationToken);
        for (var i = 0; i < Samples; i++)
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = """
                SELECT schema_name, table_name, comment FROM duckdb_tables() WHERE table_name ILIKE '%' || $t || '%' OR comment ILIKE '%' || $t || '%'
                UNION ALL SELECT schema_name, table_name || '.' || column_name, comment FROM duckdb_columns() WHERE column_name ILIKE '%' || $t || '%'
                ORDER BY 2 LIMIT 50
                """;
            cmd.Parameters.Add(new DuckDBParameter("t", SearchTerms[i % SearchTerms.Length]));
            var clock = Stopwatch.StartNew();
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) { }
            duck.Add(clock.Elapsed.TotalMilliseconds);
        }
        return (warm, cold, duck);
    }

    /// <summary>
    /// The first describe of a table in three cases: the database file is already open in the process (as in a
    /// kernel after a %%sql cell) and it is not (DuckDB loads the file's catalog of 10,000 tables first), each with a
    /// new client (nothing cached); and the embedded warehouse's <c>sessions</c> in one client, after a refresh.
    /// Beside each, DuckDB's own DESCRIBE on a connection opened the same way (for the embedded warehouse: a new
    /// connection to it, already open).
    /// </summary>
    private static async Task<List<(string, double, double, double?)>> DescribeAsync(Func<MetastoreClient> newClient, string file, EmbeddedWarehouse embedded, int runs, CancellationToken cancellationToken)
    {
        string Table(int i) => $"dept_{i * 7 % Schemas:000}.{Words[i % Words.Length]}_{i % TablesPerSchema}";
        async Task<double> Ours(string address)
        {
            var client = newClient();
            var clock = Stopwatch.StartNew();
            var table = await client.DescribeAsync(address, cancellationToken);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            Check(table.Columns.Count > 0, $"describe {address} gave no columns");
            return elapsed;
        }
        async Task<double> Duck(Func<Task<DuckDBConnection>> open, string table)
        {
            var clock = Stopwatch.StartNew();
            await using var db = await open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"DESCRIBE {table}";
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) { }
            return clock.Elapsed.TotalMilliseconds;
        }
        async Task<DuckDBConnection> OpenFile()
        {
            var db = new DuckDBConnection($"Data Source={file}");
            await db.OpenAsync(cancellationToken);
            return db;
        }

        // Closed: every open loads the file's catalog.
        var closedOurs = new List<double>();
        var closedDuck = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            closedOurs.Add(await Ours($"bench.bench.{Table(i)}"));
            closedDuck.Add(await Duck(OpenFile, Table(i)));
        }
        // Open: one connection held for the whole loop keeps DuckDB's database instance (and its catalog) loaded.
        var openOurs = new List<double>();
        var openDuck = new List<double>();
        await using (var held = await OpenFile())
        {
            for (var i = 1; i <= Samples / 2; i++)
            {
                openOurs.Add(await Ours($"bench.bench.{Table(i)}"));
                openDuck.Add(await Duck(OpenFile, Table(i)));
            }
        }
        // The embedded warehouse as a kernel's long-lived client sees it: its database opened by an earlier lookup,
        // the cache emptied by a refresh (not timed) before each describe.
        var embeddedOurs = new List<double>();
        var embeddedDuck = new List<double>();
        var kept = newClient();
        await using var heldEmbedded = await embedded.OpenAsync(cancellationToken);
        for (var i = 0; i < Samples / 2; i++)
        {
            await kept.RefreshAsync("warehouse", cancellationToken);
            var clock = Stopwatch.StartNew();
            var sessions = await kept.DescribeAsync("warehouse.memory.main.sessions", cancellationToken);
            embeddedOurs.Add(clock.Elapsed.TotalMilliseconds);
            Check(sessions.Columns.Count > 0, "describe of sessions gave no columns");
            embeddedDuck.Add(await Duck(async () =>
            {
                var duplicate = heldEmbedded.Duplicate();
                await duplicate.OpenAsync(cancellationToken);
                return duplicate;
            }, "sessions"));
        }
        return
        [
            ("first describe, 10k-table file already open in the process, p50 (ms)", Stats.Percentile(openOurs, 50), Stats.Percentile(openDuck, 50), null),
            ("first describe, 10k-table file already open in the process, p95 (ms)", Stats.Percentile(openOurs, 95), Stats.Percentile(openDuck, 95), 30),
            ("first describe of the embedded warehouse's sessions after a refresh, p50 (ms)", Stats.Percentile(embeddedOurs, 50), Stats.Percentile(embeddedDuck, 50), null),
            ("first describe of the embedded warehouse's sessions after a refresh, p95 (ms)", Stats.Percentile(embeddedOurs, 95), Stats.Percentile(embeddedDuck, 95), 30),
            ($"first describe, 10k-table file not open (DuckDB loads its catalog; median of {runs}, ms)", Stats.Median(closedOurs), Stats.Median(closedDuck), null),
        ];
    }

    /// <summary>complete_request round trips through a real kernel over ZMQ, after one warm-up that fills the cache.</summary>
    private static async Task<List<(string, double, double, double?)>> CompletionAsync(string work, string data, CancellationToken cancellationToken)
    {
        var connectionFile = Path.Combine(work, "metastore-bench.json");
        var connection = ConnectionInfo.CreateLocal();
        connection.Save(connectionFile);
        using var kernel = KernelProcess.Start(KernelKind.CSharp(data), connectionFile);
        using var client = new KernelGateway.Zmq.KernelClient(connection);
        await client.WaitForReadyAsync(TimeSpan.FromSeconds(90), cancellationToken: cancellationToken);
        // As a user's session would be: the file opened by a query, then the levels completed here looked up once
        // (a lookup waits at most 1 s inside completion, and opening this 10k-table file alone takes longer).
        foreach (var cell in new[] { "%%sql bench\nSELECT 1", "%metastore tables bench.bench.dept_042", "%metastore describe bench.bench.dept_042.orders_0" })
        {
            var warm = await client.ExecuteAsync(cell, cancellationToken: cancellationToken);
            Check(warm.Status == "ok", $"{cell} failed: {warm.Reply.Content}");
        }

        async Task<List<double>> Measure(string code, string expected, string? cursorAfter = null)
        {
            var times = new List<double>();
            for (var i = 0; i < Samples + 10; i++)
            {
                var clock = Stopwatch.StartNew();
                var reply = await client.RunAsync(KernelChannel.Shell,
                    client.CreateRequest(MessageTypes.CompleteRequest, new CompleteRequest(code, CodePointLength(cursorAfter is null ? code : code[..(code.IndexOf(cursorAfter, StringComparison.Ordinal) + cursorAfter.Length)])), ProtocolJsonContext.Default.CompleteRequest),
                    cancellationToken);
                var elapsed = clock.Elapsed.TotalMilliseconds;
                var matches = reply.Reply.Content.TryGetProperty("matches", out var m) ? m.EnumerateArray().Select(x => x.GetString()).ToList() : [];
                if (i == 0) Check(matches.Contains(expected), $"completing '{code}' gave [{string.Join(", ", matches.Take(10))}], not {expected}");
                if (i >= 10) times.Add(elapsed); // the first ones fill the metastore cache
            }
            return times;
        }

        var tables = await Measure("%%sql bench\nSELECT * FROM dept_042.", "orders_0");
        var columns = await Measure("%%sql bench\nSELECT amo FROM dept_042.orders_0", "amount", cursorAfter: "amo");
        var csharp = await Measure("Console.Wri", "WriteLine");
        return
        [
            ("completion from cache after FROM schema., p50 (ms)", Stats.Percentile(tables, 50), Stats.Percentile(csharp, 50), null),
            ("completion from cache after FROM schema., p95 (ms)", Stats.Percentile(tables, 95), Stats.Percentile(csharp, 95), 20),
            ("completion from cache in a SELECT list, p95 (ms)", Stats.Percentile(columns, 95), Stats.Percentile(csharp, 95), 20),
        ];
    }

    private static int CodePointLength(string s) => s.EnumerateRunes().Count();

    private static void Check(bool condition, string message)
    {
        if (!condition) throw new InvalidOperationException(message);
    }
}
