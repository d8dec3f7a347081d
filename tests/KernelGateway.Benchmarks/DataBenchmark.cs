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
        var sqlRuns = "";
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
            for (var i = 0; i < SqlRuns; i++)
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
            sb.AppendLine($"| `%%sql SELECT * FROM sessions` ({manifest.Tables["sessions"]:N0} rows) → first display, median of {SqlRuns} (ms) | {Stats.Median(times):F0} | – | – |");
            sqlRuns = string.Join(", ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)));
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
        sb.AppendLine($"| 1M rows × 3 columns → DataFrame, median of 5 (rows/s) | {1_000_000 / Stats.Median(frameTimes) * 1000:N0} | – | – |");

        // 3. A 100k-row data resource: ours vs pandas to_json(orient="table") on the same rows. pandas gets the same
        // 100k rows and 10 columns (through CSV, so `day` is a string that it writes as the same "yyyy-MM-dd" text we
        // write for a DATE) and index=False, so both documents hold the same 10 properties per row. Both sides time
        // the whole serialization of in-memory rows to one UTF-8 JSON text (pandas: to_json, then .encode(); to_json
        // alone, a str, is reported too). The runs alternate, ours then pandas', in one long-lived pandas process,
        // so both sides see the same machine (2 shared cores are noisy); median of SerializeRuns after one warm-up.
        var csv = Path.Combine(work, "sample.csv");
        await client2.ExecuteAsync($"COPY (SELECT * FROM sessions ORDER BY session_id LIMIT 100000) TO '{csv.Replace("'", "''")}' (HEADER)", cancellationToken: cancellationToken);
        var limits = new TabularLimits { DataResourceRows = 100_000 };
        TabularResult table;
        await using (var reader = await client2.ReadAsync("SELECT * FROM sessions ORDER BY session_id LIMIT 100000", cancellationToken: cancellationToken))
            table = await TabularResult.ReadAsync(reader, limits, cancellationToken: cancellationToken);
        var ours = new List<double>();
        var pandasStr = new List<double>();
        var pandasBytes = new List<double>();
        long bytes = 0;
        using var pandas = PandasToJson.Start(csv);
        for (var i = 0; i <= SerializeRuns; i++)
        {
            var clock = Stopwatch.StartNew();
            bytes = TabularRenderer.DataResource(table, limits).Length;
            var elapsed = clock.Elapsed.TotalMilliseconds;
            var (str, utf8) = await pandas.RunAsync(cancellationToken);
            if (i == 0) continue;
            ours.Add(elapsed);
            pandasStr.Add(str);
            pandasBytes.Add(utf8);
        }
        sb.AppendLine($"| 100k-row data resource ({table.Fields.Count} columns; ours {bytes / 1048576.0:F1} MiB, pandas {pandas.Length / 1048576.0:F1} MiB) serialized to UTF-8 bytes, median of {SerializeRuns} (ms) | {Stats.Median(ours):F1} | {Stats.Median(pandasBytes):F1} (pandas `to_json(orient=\"table\", index=False).encode()`; {Stats.Median(pandasStr):F1} to a str alone) | {Stats.Median(pandasBytes) / Stats.Median(ours):F1}× faster ({Stats.Median(pandasStr) / Stats.Median(ours):F1}× against the str) |");
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        sb.AppendLine();
        sb.AppendLine($"- %%sql runs (ms): [{sqlRuns}]; serialization runs, ours (ms): [{string.Join(", ", ours.Select(t => t.ToString("F1", CultureInfo.InvariantCulture)))}], pandas to bytes (ms): [{string.Join(", ", pandasBytes.Select(t => t.ToString("F1", CultureInfo.InvariantCulture)))}]; load average then: {load}");
        sb.AppendLine();
        sb.AppendLine("Command: `dotnet tests/KernelGateway.Benchmarks/bin/Release/net10.0/KernelGateway.Benchmarks.dll --suite data`");
        var report = sb.ToString();
        Console.WriteLine(report);
        if (outFile is not null) File.WriteAllText(outFile, report);
        return 0;
    }

    private const int SerializeRuns = 11;
    private const int SqlRuns = 9;

    /// <summary>
    /// Debian's pandas in a process of its own, holding the CSV as a DataFrame; each run times
    /// <c>to_json(orient="table", index=False)</c> and then <c>.encode()</c>, one run per line asked on stdin.
    /// </summary>
    private sealed class PandasToJson : IDisposable
    {
        private readonly Process _process;

        private PandasToJson(Process process, long length)
        {
            _process = process;
            Length = length;
        }

        /// <summary>Bytes of pandas' UTF-8 document.</summary>
        public long Length { get; }

        public static PandasToJson Start(string csv)
        {
            var psi = new ProcessStartInfo(KernelKind.Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("""
                import sys, time, pandas as pd
                df = pd.read_csv(sys.argv[1])
                print(len(df.to_json(orient="table", index=False).encode("utf-8")), flush=True)
                for line in sys.stdin:
                    t0 = time.perf_counter()
                    text = df.to_json(orient="table", index=False)
                    t1 = time.perf_counter()
                    data = text.encode("utf-8")
                    t2 = time.perf_counter()
                    del text, data
                    print((t1 - t0) * 1000, (t2 - t0) * 1000, flush=True)
                """);
            psi.ArgumentList.Add(csv);
            var p = Process.Start(psi)!;
            var first = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException("pandas failed to start (is python3-pandas installed?)");
            return new PandasToJson(p, long.Parse(first, CultureInfo.InvariantCulture));
        }

        /// <summary>One run: milliseconds to the str, and to the bytes.</summary>
        public async Task<(double Str, double Bytes)> RunAsync(CancellationToken cancellationToken)
        {
            await _process.StandardInput.WriteLineAsync("run".AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
            var line = await _process.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("pandas stopped");
            var parts = line.Split(' ');
            return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill();
            }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }
}
