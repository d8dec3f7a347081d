using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Protocol;
using KernelGateway.Tests.Fixtures.Spark.Connect;
using KernelGateway.Tests.Fixtures.Trino;

namespace KernelGateway.Benchmarks;

/// <summary>
/// <c>--suite spark</c>: the Spark issue's figures, in one run against the Spark Connect protocol server of
/// tests/Fixtures (with <c>CacheResults</c>: a repeated query is answered from the Arrow batches encoded the first
/// time, so the server is not what is measured): rows/s of a 1M-row result read over gRPC and decoded from its Arrow
/// batches by our client (to Arrow record batches, and on to a DataFrame) and by npm <c>apache-arrow</c> over
/// <c>@grpc/grpc-js</c>, each in a process of its own, from the same batches of the same server, runs interleaved; and
/// <c>%%spark</c> over that result through a real kernel, from the execute request to the first table display.
/// </summary>
public static class SparkBenchmark
{
    private const string MixedRows = """
        SELECT id, concat('member-', CAST(id % 1000 AS STRING)) AS name, CAST(id AS DOUBLE) / 7 AS score,
               id % 2 = 0 AS even, CAST(id % 100000 AS DECIMAL(10,2)) / 4 AS amount, DATE '2024-01-01' AS day,
               TIMESTAMP '2024-01-01 12:34:56.789' AS seen
        FROM million
        """;

    public static async Task<int> RunAsync(string work, int runs, string? outFile, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## KernelGateway Spark benchmark");
        sb.AppendLine();
        sb.AppendLine($"- date: {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}; nproc {Environment.ProcessorCount}; .NET {Environment.Version}; load {BenchmarkMachine.Load()}");
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { CacheResults = true }, cancellationToken);
        await server.ExecuteDuckDbAsync("CREATE TABLE million AS SELECT range AS id FROM range(1000000)", cancellationToken);

        var arrow = new List<double>();
        var frame = new List<double>();
        var theirs = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (rows, ms) = await ChildReadAsync(server.ConnectionString, "arrow", MixedRows, cancellationToken);
            arrow.Add(rows / ms * 1000);
            var (frameRows, frameMs) = await ChildReadAsync(server.ConnectionString, "frame", MixedRows, cancellationToken);
            frame.Add(frameRows / frameMs * 1000);
            var (nodeRows, nodeMs) = await NodeReadAsync(server, MixedRows, cancellationToken);
            theirs.Add(nodeRows / nodeMs * 1000);
            if (nodeRows != rows || frameRows != rows) throw new InvalidOperationException($"rows read: ours {rows}, DataFrame {frameRows}, apache-arrow {nodeRows}");
        }
        var batches = server.Executions.Last().ArrowBatches;
        var firstDisplay = await FirstDisplayAsync(work, server, runs, cancellationToken);

        sb.AppendLine($"- query: 1,000,000 rows × 7 columns (bigint, string, double, boolean, decimal(10,2), date, timestamp) in {batches} Arrow batches (Spark's limits: 10,000 rows or about 2.8 MiB each); the server answers repeats from the batches it encoded the first time (`CacheResults`)");
        sb.AppendLine("- each client reads in a process of its own, twice per process, and the second read is the figure (the first warms the JIT); every reader reads every value of the first column (a sum) so nothing is left undecoded; runs interleaved");
        sb.AppendLine();
        sb.AppendLine($"| metric | KernelGateway | apache-arrow 21.2.0 + @grpc/grpc-js 1.14.7 (Node {BenchmarkMachine.NodeVersion()}) | ratio |");
        sb.AppendLine("|---|---:|---:|---:|");
        sb.AppendLine($"| rows/s read over gRPC and decoded to Arrow record batches, median of {runs} | {Stats.Median(arrow):N0} | {Stats.Median(theirs):N0} | {Stats.Median(arrow) / Stats.Median(theirs):0.0}× |");
        sb.AppendLine($"| rows/s read over gRPC and loaded into a DataFrame (typed columns), median of {runs} | {Stats.Median(frame):N0} | {Stats.Median(theirs):N0} | {Stats.Median(frame) / Stats.Median(theirs):0.0}× |");
        sb.AppendLine($"| `%%spark` 1M rows: execute request → first table display, median of {runs} (ms) | {Stats.Median(firstDisplay):0.0} | – | – |");
        sb.AppendLine();
        sb.AppendLine($"- ours to Arrow (rows/s): {string.Join(", ", arrow.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))}");
        sb.AppendLine($"- ours to a DataFrame (rows/s): {string.Join(", ", frame.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))}");
        sb.AppendLine($"- apache-arrow (rows/s): {string.Join(", ", theirs.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)))}");
        sb.AppendLine($"- first display (ms): {string.Join(", ", firstDisplay.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}");
        Console.Write(sb);
        if (outFile is not null) await File.WriteAllTextAsync(outFile, sb.ToString(), cancellationToken);
        return 0;
    }

    /// <summary>
    /// The reading process (<c>--spark-read CONNECTION MODE SQL</c>): reads the query twice with our client, as Arrow
    /// batches (<c>arrow</c>) or into a DataFrame (<c>frame</c>), and prints the second read's <c>{rows, elapsedMs}</c>.
    /// </summary>
    public static async Task<int> ChildAsync(string connection, string mode, string sql)
    {
        await using var client = new SparkConnectClient(connection);
        (long Rows, double Ms) result = default;
        for (var i = 0; i < 2; i++)
            result = mode == "frame" ? await ReadFrameAsync(client, sql) : await ReadArrowAsync(client, sql);
        Console.WriteLine(JsonSerializer.Serialize(new { rows = result.Rows, elapsedMs = result.Ms }));
        return 0;
    }

    private static async Task<(long Rows, double Ms)> ReadArrowAsync(SparkConnectClient client, string sql)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0, sum = 0;
        await foreach (var batch in client.ReadArrowAsync(sql))
            using (batch)
            {
                rows += batch.Length;
                foreach (var v in ((Int64Array)batch.Column(0)).Values) sum += v;
            }
        GC.KeepAlive(sum);
        return (rows, clock.Elapsed.TotalMilliseconds);
    }

    private static async Task<(long Rows, double Ms)> ReadFrameAsync(SparkConnectClient client, string sql)
    {
        var clock = Stopwatch.StartNew();
        var frame = await client.QueryDataFrameAsync(sql);
        var sum = 0L;
        foreach (var v in (Microsoft.Data.Analysis.PrimitiveDataFrameColumn<long>)frame.Columns[0]) sum += v ?? 0;
        GC.KeepAlive(sum);
        return (frame.Rows.Count, clock.Elapsed.TotalMilliseconds);
    }

    private static async Task<(long Rows, double Ms)> ChildReadAsync(string connection, string mode, string sql, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(KernelKind.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(SparkBenchmark).Assembly.Location, "--spark-read", connection, mode, sql }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"the {mode} reader failed: {await stderr}");
        using var doc = JsonDocument.Parse(await stdout);
        return (doc.RootElement.GetProperty("rows").GetInt64(), doc.RootElement.GetProperty("elapsedMs").GetDouble());
    }

    private static async Task<(long Rows, double Ms)> NodeReadAsync(SparkConnectServer server, string sql, CancellationToken cancellationToken)
    {
        var stdout = await NodeTrinoClients.RunNodeAsync(["spark-bench-read.mjs", "--server", server.Uri.ToString(), "--runs", "2", "--sql", sql], cancellationToken);
        using var doc = JsonDocument.Parse(stdout);
        if (doc.RootElement.TryGetProperty("error", out var error)) throw new InvalidOperationException($"apache-arrow reader: {error}");
        return (doc.RootElement.GetProperty("rows").GetInt64(), doc.RootElement.GetProperty("elapsedMs").GetDouble());
    }

    private static async Task<List<double>> FirstDisplayAsync(string work, SparkConnectServer server, int runs, CancellationToken cancellationToken)
    {
        var data = Path.Combine(work, "spark-kernel");
        var connections = $$"""[ { "name": "spark", "kind": "spark", "connection_string": "{{server.ConnectionString}}" } ]""";
        var kind = KernelKind.CSharp(data, extra: new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000", ["KG_CONNECTIONS"] = connections });
        var connectionFile = Path.Combine(work, "spark-bench.json");
        var connection = ConnectionInfo.CreateLocal();
        connection.Save(connectionFile);
        using var kernel = KernelProcess.Start(kind, connectionFile);
        using var client = new KernelGateway.Zmq.KernelClient(connection);
        await client.WaitForReadyAsync(TimeSpan.FromSeconds(90), cancellationToken: cancellationToken);
        await client.ExecuteAsync("%%spark\n" + MixedRows, cancellationToken: cancellationToken); // warm: JIT, the gRPC channel
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var shown = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var request = client.CreateRequest(MessageTypes.ExecuteRequest, new Protocol.Messages.ExecuteRequest { Code = "%%spark\n" + MixedRows }, ProtocolJsonContext.Default.ExecuteRequest);
            void OnMessage(KernelChannel channel, JupyterMessage m)
            {
                if (channel == KernelChannel.IOPub && m.MessageType == MessageTypes.DisplayData && m.ParentHeader?.MessageId == request.Header.MessageId
                    && m.Content.GetProperty("data").TryGetProperty("application/vnd.dataresource+json", out _))
                    shown.TrySetResult(Stopwatch.GetTimestamp());
            }
            client.MessageReceived += OnMessage;
            var sent = Stopwatch.GetTimestamp();
            var outcome = await client.RunAsync(KernelChannel.Shell, request, cancellationToken);
            client.MessageReceived -= OnMessage;
            if (outcome.Status != "ok") throw new InvalidOperationException("%%spark failed: " + outcome.Reply.Content);
            times.Add(Stopwatch.GetElapsedTime(sent, await shown.Task).TotalMilliseconds);
        }
        return times;
    }
}
