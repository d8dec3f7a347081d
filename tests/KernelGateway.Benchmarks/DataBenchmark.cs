using System.Diagnostics;
using System.Globalization;
using System.Text;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Platform.Warehouse;
using KernelGateway.Protocol;

namespace KernelGateway.Benchmarks;

/// <summary>
/// <c>--suite data</c>: the warehouse and %%sql figures of the warehouse issue, in one run:
/// <c>%%sql SELECT * FROM sessions</c> (10M rows) to first display through a real kernel; 1M rows to a DataFrame;
/// a 100k-row data resource serialized by us and by Debian's pandas (<c>to_json(orient="table")</c>).
/// </summary>
public static class DataBenchmark
{
    public static async Task<int> RunAsync(string work, string? outFile, CancellationToken cancellationToken)
    {
        var data = Path.Combine(work, "kg-data");
        var sb = new StringBuilder();
        sb.AppendLine("## KernelGateway data benchmark");
        sb.AppendLine();
        sb.AppendLine($"- date: {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}; nproc {Environment.ProcessorCount}; .NET {Environment.Version}");

        var embedded = new EmbeddedWarehouse(data);
        var seed = Stopwatch.StartNew();
        var manifest = await embedded.EnsureSeededAsync(cancellationToken);
        sb.AppendLine($"- seeding the demo warehouse ({manifest.Tables["sessions"]:N0} sessions): {seed.ElapsedMilliseconds:N0} ms");
        sb.AppendLine();
        sb.AppendLine("| metric | KernelGateway | peer | ratio |");
        sb.AppendLine("|---|---:|---:|---:|");

        // 1. %%sql SELECT * FROM sessions -> first display_data, through a real kernel process.
        var kind = KernelKind.CSharp(data);
        var connectionFile = Path.Combine(work, "data-bench.json");
        var connection = ConnectionInfo.CreateLocal();
        connection.Save(connectionFile);
        using (var kernel = KernelProcess.Start(kind, connectionFile))
        using (var client = new KernelGateway.Zmq.KernelClient(connection))
        {
            await client.WaitForReadyAsync(TimeSpan.FromSeconds(90), cancellationToken: cancellationToken);
            await client.ExecuteAsync("%sql SELECT 1", cancellationToken: cancellationToken); // warm: engine, connection
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var display = new TaskCompletionSource<double>();
                var clock = Stopwatch.StartNew();
                var request = client.CreateRequest(MessageTypes.ExecuteRequest, new Protocol.Messages.ExecuteRequest { Code = "%%sql\nSELECT * FROM sessions" }, ProtocolJsonContext.Default.ExecuteRequest);
                void OnMessage(KernelChannel ch, JupyterMessage m)
                {
                    if (ch == KernelChannel.IOPub && m.MessageType == MessageTypes.DisplayData && m.ParentHeader?.MessageId == request.Header.MessageId)
                        display.TrySetResult(clock.Elapsed.TotalMilliseconds);
                }
                client.MessageReceived += OnMessage;
                var outcome = await client.RunAsync(KernelChannel.Shell, request, cancellationToken);
                client.MessageReceived -= OnMessage;
                if (outcome.Status != "ok") throw new InvalidOperationException("%%sql failed: " + outcome.Reply.Content);
                times.Add(await display.Task);
            }
            var rss = (kernel.StatusKilobytes("VmRSS") ?? 0) / 1024.0;
            sb.AppendLine($"| `%%sql SELECT * FROM sessions` ({manifest.Tables["sessions"]:N0} rows) → first display, median of 5 (ms) | {Median(times):F0} | – | – |");
            sb.AppendLine($"| kernel RSS after those queries (MiB) | {rss:F0} | – | – |");
        }

        // 2. 1M rows to a DataFrame (DuckDB -> Arrow -> DataFrame).
        var client2 = new WarehouseClient(new ConnectionRegistry(), embedded);
        var frameTimes = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var clock = Stopwatch.StartNew();
            var df = await client2.QueryDataFrameAsync("SELECT i::BIGINT AS a, (i % 7)::INTEGER AS b, i / 3.0 AS c FROM range(1000000) t(i)", cancellationToken: cancellationToken);
            if (df.Rows.Count != 1_000_000) throw new InvalidOperationException("wrong row count");
            if (i > 0) frameTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        sb.AppendLine($"| 1M rows × 3 columns → DataFrame, median of 5 (rows/s) | {1_000_000 / Median(frameTimes) * 1000:N0} | – | – |");

        // 3. A 100k-row data resource: ours vs pandas to_json(orient="table") on the same rows.
        var csv = Path.Combine(work, "sample.csv");
        await client2.ExecuteAsync($"COPY (SELECT * FROM sessions ORDER BY session_id LIMIT 100000) TO '{csv.Replace("'", "''")}' (HEADER)", cancellationToken: cancellationToken);
        var limits = new TabularLimits { DataResourceRows = 100_000 };
        TabularResult table;
        await using (var reader = await client2.ReadAsync("SELECT * FROM sessions ORDER BY session_id LIMIT 100000", cancellationToken: cancellationToken))
            table = await TabularResult.ReadAsync(reader, limits, cancellationToken: cancellationToken);
        var ours = new List<double>();
        long bytes = 0;
        for (var i = 0; i < 6; i++)
        {
            var clock = Stopwatch.StartNew();
            bytes = TabularRenderer.DataResource(table, limits).Length;
            if (i > 0) ours.Add(clock.Elapsed.TotalMilliseconds);
        }
        var pandas = await PandasToJsonAsync(csv, cancellationToken);
        sb.AppendLine($"| 100k-row data resource ({table.Fields.Count} columns, {bytes / 1048576.0:F1} MiB) serialized, median of 5 (ms) | {Median(ours):F1} | {pandas:F1} (pandas `to_json(orient=\"table\")`) | {pandas / Median(ours):F1}× faster |");
        sb.AppendLine();
        sb.AppendLine("Command: `dotnet tests/KernelGateway.Benchmarks/bin/Release/net10.0/KernelGateway.Benchmarks.dll --suite data`");
        var report = sb.ToString();
        Console.WriteLine(report);
        if (outFile is not null) File.WriteAllText(outFile, report);
        return 0;
    }

    private static async Task<double> PandasToJsonAsync(string csv, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(KernelKind.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("""
            import sys, time, statistics, pandas as pd
            df = pd.read_csv(sys.argv[1])
            df.to_json(orient="table")
            times = []
            for _ in range(5):
                t = time.perf_counter(); df.to_json(orient="table"); times.append((time.perf_counter() - t) * 1000)
            print(statistics.median(times))
            """);
        psi.ArgumentList.Add(csv);
        using var p = Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = await p.StandardError.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken);
        if (p.ExitCode != 0) throw new InvalidOperationException("pandas failed: " + stderr);
        return double.Parse(stdout.Trim(), CultureInfo.InvariantCulture);
    }

    private static double Median(List<double> values)
    {
        var s = values.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
