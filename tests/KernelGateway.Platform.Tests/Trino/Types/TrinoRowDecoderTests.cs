using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using System.Text.Json;
using KernelGateway.Platform.Trino;
using Xunit.Abstractions;

namespace KernelGateway.Platform.Tests.Trino.Types;

/// <summary>Rows of a whole result page decoded by column; and how fast (measured and printed, never asserted).</summary>
public sealed class TrinoRowDecoderTests(ITestOutputHelper output)
{
    /// <summary>The typical mixed row of the throughput figure: bigint, varchar, double, date, timestamp, boolean, decimal.</summary>
    internal static readonly TrinoColumn[] MixedColumns =
    [
        new("id", TrinoType.Parse("bigint")),
        new("name", TrinoType.Parse("varchar")),
        new("score", TrinoType.Parse("double")),
        new("day", TrinoType.Parse("date")),
        new("at", TrinoType.Parse("timestamp(3)")),
        new("active", TrinoType.Parse("boolean")),
        new("price", TrinoType.Parse("decimal(12,2)")),
    ];

    /// <summary>A <c>QueryResults</c> page of <paramref name="rows"/> mixed rows, as a Trino server writes it.</summary>
    internal static byte[] MixedPage(int rows)
    {
        var json = new StringBuilder("{\"id\":\"20240102_030405_00001_abcde\",\"columns\":[],\"data\":[");
        for (var i = 0; i < rows; i++)
        {
            if (i > 0) json.Append(',');
            json.Append(CultureInfo.InvariantCulture,
                $"[{i},\"member-{i % 977}\",{(i % 1000) * 0.25},\"2024-{1 + i % 12:00}-{1 + i % 28:00}\",\"2024-01-02 03:{i / 60 % 60:00}:{i % 60:00}.{i % 1000:000}\",{(i % 3 == 0 ? "true" : "false")},\"{i % 100000}.{i % 100:00}\"]");
        }
        json.Append("],\"stats\":{\"state\":\"RUNNING\"}}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>Positions a reader on the page's <c>data</c> array.</summary>
    private static Utf8JsonReader OnData(byte[] page)
    {
        var reader = new Utf8JsonReader(page);
        while (reader.Read())
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("data") && reader.CurrentDepth == 1)
            {
                reader.Read();
                return reader;
            }
        throw new InvalidOperationException("no data");
    }

    [Fact]
    public void The_rows_of_a_page_decode_into_one_array_of_values_per_row()
    {
        var page = MixedPage(3);
        var reader = OnData(page);
        var rows = new List<object?[]>();
        Assert.Equal(3, new TrinoRowDecoder(MixedColumns).ReadRows(ref reader, rows));
        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);
        ExpectedValues.AssertSame(
            new object?[] { 2L, "member-2", 0.5, new DateOnly(2024, 3, 3), new DateTime(2024, 1, 2, 3, 0, 2, 2), false, 2.02m },
            rows[2]);
    }

    [Fact]
    public void A_row_with_too_few_or_too_many_values_is_a_format_error()
    {
        var decoder = new TrinoRowDecoder([new TrinoColumn("a", TrinoType.Parse("integer")), new TrinoColumn("b", TrinoType.Parse("integer"))]);
        foreach (var json in new[] { "[[1]]", "[[1,2,3]]", "[1]", "{}" })
        {
            Assert.Throws<FormatException>(() =>
            {
                var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
                reader.Read();
                decoder.ReadRows(ref reader, new List<object?[]>());
            });
        }
    }

    /// <summary>
    /// Three ways of decoding a 100k-row page held in memory, best of several runs (the first ones warm the JIT
    /// up): rows kept in a list (every value a CLR object that survives, so the GC's promotions dominate), rows
    /// handed on one at a time, and columns appended to Arrow straight from the JSON (no object per value).
    /// Printed, never asserted: a test's timing is the machine's, not the code's.
    /// </summary>
    [Fact]
    public void Decoding_a_100k_row_page_is_measured()
    {
        const int Rows = 100_000;
        var page = MixedPage(Rows);
        var decoder = new TrinoRowDecoder(MixedColumns);
        var kept = Best(() =>
        {
            var rows = new List<object?[]>(Rows);
            var reader = OnData(page);
            decoder.ReadRows(ref reader, rows);
            Assert.Equal(Rows, rows.Count);
        });
        var streamed = Best(() =>
        {
            var reader = OnData(page);
            var count = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                decoder.ReadRow(ref reader);
                count++;
            }
            Assert.Equal(Rows, count);
        });
        var arrow = Best(() =>
        {
            var builder = new TrinoArrowBatchBuilder(MixedColumns);
            var reader = OnData(page);
            builder.AppendRows(ref reader);
            Assert.Equal(Rows, builder.Build().Length);
        });
        var gc = (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Batch ? ", non-concurrent" : ", concurrent");
        output.WriteLine($"{Rows:N0} mixed rows ({page.Length / 1024.0 / 1024.0:F1} MiB of JSON, 7 columns), one core, {gc} GC:");
        output.WriteLine($"  rows kept in a list:  {Rows / kept.TotalSeconds,12:N0} rows/s ({kept.TotalMilliseconds:F1} ms)");
        output.WriteLine($"  rows handed on:       {Rows / streamed.TotalSeconds,12:N0} rows/s ({streamed.TotalMilliseconds:F1} ms)");
        output.WriteLine($"  Arrow from the JSON:  {Rows / arrow.TotalSeconds,12:N0} rows/s ({arrow.TotalMilliseconds:F1} ms)");
    }

    private static TimeSpan Best(Action decode)
    {
        var best = TimeSpan.MaxValue;
        for (var run = 0; run < 15; run++)
        {
            var clock = Stopwatch.StartNew();
            decode();
            clock.Stop();
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        return best;
    }
}
