using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KernelGateway.Platform.Trino;
using KernelGateway.Protocol;
using KernelGateway.Tests.Fixtures.Trino;

namespace KernelGateway.Benchmarks;

/// <summary>
/// <c>--suite trino</c>: the Trino issue's figures, in one run against the Trino protocol server of tests/Fixtures
/// (which answers repeats of a query from the pages it rendered the first time, so the server is not what is
/// measured): rows/s read and decoded by our client (to CLR rows, to Arrow columns) and by the npm
/// <c>trino-client</c>, each in a process of its own, from the same pages of the same server, runs interleaved; and
/// <c>%%trino</c> over a 1M-row result through a real kernel, from the moment the server has sent the first page
/// with rows to the first table display.
/// </summary>
public static class TrinoBenchmark
{
    /// <summary>A million typical mixed rows: bigint, varchar, double, boolean, decimal, date, timestamp.</summary>
    private const string MixedRows = """
        SELECT a * 1000 + b AS id, 'member-' || CAST(b AS varchar) AS name, CAST(a * 1000 + b AS double) / 7 AS score,
               b % 2 = 0 AS even, CAST(b AS decimal(10,2)) / 4 AS amount, DATE '2024-01-01' AS day,
               TIMESTAMP '2024-01-01 12:34:56.789' AS seen
        FROM UNNEST(sequence(0, 999)) AS x(a) CROSS JOIN UNNEST(sequence(0, 999)) AS y(b)
        """;

    private const string MillionRows = "SELECT a * 1000 + b AS n FROM UNNEST(sequence(0, 999)) AS x(a) CROSS JOIN UNNEST(sequence(0, 999)) AS y(b)";

    public static async Task<int> RunAsync(string work, int runs, string? outFile, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## KernelGateway Trino benchmark");
        sb.AppendLine();
        sb.AppendLine($"- date: {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}; nproc {Environment.ProcessorCount}; .NET {Environment.Version}; load {BenchmarkMachine.Load()}");
        // Identical queries are answered from the pages of the first run: what is measured is the clients, not the server.
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { ReplayResults = true }, cancellationToken);
        var connection = $"trino://bench@127.0.0.1:{server.BaseUri.Port}/memory/default";

        // 1. Ours (to CLR rows, to Arrow) and trino-client, each in a process of its own reading the same query from the
        //    same server, interleaved; every process reads twice and the second read counts (the first warms its JIT).
        var ours = new List<double>();
        var arrow = new List<double>();
        var theirs = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (rows, ms) = await ChildReadAsync(connection, "clr", MixedRows, cancellationToken);
            ours.Add(rows / ms * 1000);
            var (arrowRows, arrowMs) = await ChildReadAsync(connection, "arrow", MixedRows, cancellationToken);
            arrow.Add(arrowRows / arrowMs * 1000);
            var (nodeRows, nodeMs) = await NodeReadAsync(server, MixedRows, cancellationToken);
            theirs.Add(nodeRows / nodeMs * 1000);
            if (nodeRows != rows || arrowRows != rows) throw new InvalidOperationException($"rows read: ours {rows}, Arrow {arrowRows}, trino-client {nodeRows}");
        }
        var (pages, bytes) = await PagesAsync(connection, MixedRows, cancellationToken);

        // 2. %%trino over a million rows: first data page sent -> first table display, through a real kernel.
        var firstDisplay = await FirstDisplayAsync(work, server, runs, cancellationToken);

        sb.AppendLine($"- query: 1,000,000 rows × 7 columns (bigint, varchar, double, boolean, decimal(10,2), date, timestamp(3)); {pages} pages of about {bytes / Math.Max(1, pages) / 1024:N0} KiB; the server answers repeats of it from the pages it rendered the first time (`ReplayResults`), so it costs little beside the clients");
        sb.AppendLine("- each client reads in a process of its own, twice per process, and the second read is the figure (the first warms the JIT); runs interleaved: ours to CLR rows, ours to Arrow, trino-client");
        sb.AppendLine();
        sb.AppendLine("| metric | KernelGateway | trino-client 0.2.9 (Node " + BenchmarkMachine.NodeVersion() + ") | ratio |");
        sb.AppendLine("|---|---:|---:|---:|");
        sb.AppendLine($"| rows/s read from the server and decoded to CLR values (rows of objects), median of {runs} | {Stats.Median(ours):N0} | {Stats.Median(theirs):N0} | {Stats.Median(ours) / Stats.Median(theirs):0.0}× |");
        sb.AppendLine($"| rows/s read from the server and decoded to typed Arrow columns, median of {runs} | {Stats.Median(arrow):N0} | {Stats.Median(theirs):N0} | {Stats.Median(arrow) / Stats.Median(theirs):0.0}× |");
        sb.AppendLine($"| `%%trino` 1M rows: first page with rows sent → first table display, median of {runs} (ms) | {Stats.Median(firstDisplay):0.0} | – | – |");
        sb.AppendLine();
        sb.AppendLine($"- ours (rows/s): {string.Join(", ", ours.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))}");
        sb.AppendLine($"- trino-client (rows/s): {string.Join(", ", theirs.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))}");
        sb.AppendLine($"- ours to Arrow (rows/s): {string.Join(", ", arrow.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))}");
        sb.AppendLine($"- first display (ms): {string.Join(", ", firstDisplay.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}");
        Console.Write(sb);
        if (outFile is not null) await File.WriteAllTextAsync(outFile, sb.ToString(), cancellationToken);
        return 0;
    }

    /// <summary>
    /// The reading process (<c>--trino-read CONNECTION MODE SQL</c>): reads the query twice with our client, to CLR rows
    /// (<c>clr</c>) or to Arrow (<c>arrow</c>), and prints the second read's <c>{rows, elapsedMs}</c>.
    /// </summary>
    public static async Task<int> ChildAsync(string connection, string mode, string sql)
    {
        using var client = new TrinoClient(TrinoConnectionOptions.Parse(connection));
        (long Rows, double Ms) result = default;
        for (var i = 0; i < 2; i++)
            result = mode == "arrow" ? await ReadArrowAsync(client, sql, CancellationToken.None) : await ReadAsync(client, sql, CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(new { rows = result.Rows, elapsedMs = result.Ms }));
        return 0;
    }

    private static async Task<(long Rows, double Ms)> ChildReadAsync(string connection, string mode, string sql, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(KernelKind.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(TrinoBenchmark).Assembly.Location, "--trino-read", connection, mode, sql }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"the {mode} reader failed: {await stderr}");
        using var doc = JsonDocument.Parse(await stdout);
        return (doc.RootElement.GetProperty("rows").GetInt64(), doc.RootElement.GetProperty("elapsedMs").GetDouble());
    }

    private static async Task<(long Rows, double Ms)> ReadAsync(TrinoClient client, string sql, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var query = client.Submit(sql, cancellationToken: cancellationToken);
        long rows = 0;
        await foreach (var page in query.ReadPagesAsync(cancellationToken)) rows += page.Rows.Count;
        return (rows, clock.Elapsed.TotalMilliseconds);
    }

    private static async Task<(long Rows, double Ms)> ReadArrowAsync(TrinoClient client, string sql, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0;
        await foreach (var batch in client.ReadArrowAsync(sql, cancellationToken: cancellationToken))
            using (batch) rows += batch.Length;
        return (rows, clock.Elapsed.TotalMilliseconds);
    }

    private static async Task<(long Rows, double Ms)> NodeReadAsync(TrinoProtocolServer server, string sql, CancellationToken cancellationToken)
    {
        var stdout = await NodeTrinoClients.RunNodeAsync(["bench-read.mjs", "--server", server.BaseUri.ToString(), "--user", "bench", "--catalog", "memory", "--schema", "default", "--runs", "2", "--sql", sql], cancellationToken);
        using var doc = JsonDocument.Parse(stdout);
        if (doc.RootElement.TryGetProperty("error", out var error)) throw new InvalidOperationException($"trino-client: {error}");
        return (doc.RootElement.GetProperty("rows").GetInt64(), doc.RootElement.GetProperty("elapsedMs").GetDouble());
    }

    private static async Task<List<double>> FirstDisplayAsync(string work, TrinoProtocolServer server, int runs, CancellationToken cancellationToken)
    {
        var data = Path.Combine(work, "trino-kernel");
        var connections = $$"""[ { "name": "trino", "kind": "trino", "connection_string": "trino://bench@127.0.0.1:{{server.BaseUri.Port}}/memory/default" } ]""";
        var kind = KernelKind.CSharp(data, extra: new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000", ["KG_CONNECTIONS"] = connections });
        var connectionFile = Path.Combine(work, "trino-bench.json");
        var connection = ConnectionInfo.CreateLocal();
        connection.Save(connectionFile);
        using var kernel = KernelProcess.Start(kind, connectionFile);
        using var client = new KernelGateway.Zmq.KernelClient(connection);
        await client.WaitForReadyAsync(TimeSpan.FromSeconds(90), cancellationToken: cancellationToken);
        await client.ExecuteAsync("%%trino\n" + MillionRows, cancellationToken: cancellationToken); // warm: JIT, HTTP connection
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var shown = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var request = client.CreateRequest(MessageTypes.ExecuteRequest, new Protocol.Messages.ExecuteRequest { Code = "%%trino\n" + MillionRows }, ProtocolJsonContext.Default.ExecuteRequest);
            void OnMessage(KernelChannel channel, JupyterMessage m)
            {
                if (channel == KernelChannel.IOPub && m.MessageType == MessageTypes.DisplayData && m.ParentHeader?.MessageId == request.Header.MessageId
                    && m.Content.GetProperty("data").TryGetProperty("application/vnd.dataresource+json", out _))
                    shown.TrySetResult(Stopwatch.GetTimestamp());
            }
            var before = server.Queries.Count;
            client.MessageReceived += OnMessage;
            var outcome = await client.RunAsync(KernelChannel.Shell, request, cancellationToken);
            client.MessageReceived -= OnMessage;
            if (outcome.Status != "ok") throw new InvalidOperationException("%%trino failed: " + outcome.Reply.Content);
            var id = server.Queries[before].Id;
            var sent = server.FirstDataPageSentTicks(id) ?? throw new InvalidOperationException($"no data page recorded for {id}");
            times.Add(Stopwatch.GetElapsedTime(sent, await shown.Task).TotalMilliseconds);
        }
        return times;
    }

    /// <summary>How many responses a query's result takes and how many bytes they hold.</summary>
    private static async Task<(int Pages, long Bytes)> PagesAsync(string connection, string sql, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var options = TrinoConnectionOptions.Parse(connection);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Server, "v1/statement")) { Content = new StringContent(sql) };
        request.Headers.Add("X-Trino-Client-Capabilities", "PATH,PARAMETRIC_DATETIME,SESSION_AUTHORIZATION");
        var (pages, bytes) = (0, 0L);
        while (true)
        {
            request.Headers.Add("X-Trino-User", options.User);
            byte[] body;
            using (var response = await http.SendAsync(request, cancellationToken)) body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            request.Dispose();
            (pages, bytes) = (pages + 1, bytes + body.Length);
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("nextUri", out var next) || next.ValueKind != JsonValueKind.String) return (pages, bytes);
            request = new HttpRequestMessage(HttpMethod.Get, next.GetString());
        }
    }
}
