using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KernelGateway.Formatting.Tabular;

namespace KernelGateway.Formatting.Tests;

/// <summary>
/// The data resource's own UTF-8 writer (typed per column, prebuilt names, its own integer, double, date and
/// string paths) against System.Text.Json: the same bytes as writing every cell with <see cref="Utf8JsonWriter"/>
/// (the renderer's previous implementation, kept here as the oracle), and values that parse back as they went in.
/// </summary>
public sealed class DataResourceWriterTests
{
    /// <summary>The document as <see cref="Utf8JsonWriter"/> writes it cell by cell.</summary>
    private static byte[] Reference(TabularResult table)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var names = table.Fields.Select(f => JsonEncodedText.Encode(f.Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)).ToArray();
            w.WriteStartObject();
            w.WriteStartObject("schema");
            w.WriteStartArray("fields");
            foreach (var f in table.Fields)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("type", f.Type);
                if (f.EngineType is { Length: > 0 }) w.WriteString("x-engine-type", f.EngineType);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("data");
            foreach (var row in table.Rows)
            {
                w.WriteStartObject();
                for (var c = 0; c < names.Length; c++)
                {
                    w.WritePropertyName(names[c]);
                    TabularRenderer.WriteValue(w, row[c], 0);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static TabularResult Column(Type type, IEnumerable values, string name = "v") =>
        TabularResult.FromRows([(name, type)], values.Cast<object?>().Select(v => new[] { v }), new TabularLimits { DataResourceRows = 1_000_000 });

    /// <summary>Same bytes as the oracle, and valid JSON; returns the parsed rows' "v" values.</summary>
    private static List<JsonElement> AssertSameAsUtf8JsonWriter(TabularResult table)
    {
        var ours = TabularRenderer.DataResource(table, new TabularLimits { DataResourceRows = 1_000_000 });
        var expected = Reference(table);
        if (!ours.AsSpan().SequenceEqual(expected))
        {
            var at = ours.AsSpan().CommonPrefixLength(expected);
            Assert.Fail($"differs at byte {at}: ours ...{Around(ours, at)}... expected ...{Around(expected, at)}...");
        }
        using var doc = JsonDocument.Parse(ours);
        return doc.RootElement.GetProperty("data").EnumerateArray()
            .Select(r => r.TryGetProperty("v", out var v) ? v.Clone() : r.Clone()).ToList();
    }

    private static string Around(byte[] bytes, int at) => Encoding.UTF8.GetString(bytes, Math.Max(0, at - 30), Math.Min(bytes.Length, at + 30) - Math.Max(0, at - 30));

    [Fact]
    public void Every_ascii_character_is_escaped_as_Utf8JsonWriter_escapes_it_html_sensitive_ones_included()
    {
        var values = Enumerable.Range(0, 128).Select(i => ((char)i).ToString())
            .Concat(["<script>alert('x')</script> & \"q\" \\ /", "tab\there", "line\nbreak\r\n", "\u007f", "", "plain", new string('a', 32), new string('a', 33)])
            .Concat(Enumerable.Range(0, 128).Select(i => "a longer string past the short path, with " + (char)i + " in the middle"))
            .ToList();
        var parsed = AssertSameAsUtf8JsonWriter(Column(typeof(string), values));
        Assert.Equal(values, parsed.Select(v => v.GetString()));
        // Relaxed escaping, as before: HTML-sensitive characters stay as they are.
        Assert.Contains("<script>alert('x')</script> & \\\"q\\\"", Encoding.UTF8.GetString(TabularRenderer.DataResource(Column(typeof(string), values))));
    }

    [Fact]
    public void Unicode_text_surrogate_pairs_and_lone_surrogates_are_written_as_Utf8JsonWriter_writes_them()
    {
        var values = new List<string>
        {
            "café", "naïve résumé", "中文字符", "Ελληνικά", "日本語のテキストとASCIIの混在 with more than thirty-two characters",
            "😀", "emoji 😀 in text", "𝄞 music", "a\u2028b\u2029c", "\uFEFF bom", "\u00A0nbsp", "\uFFFD", "\u0301 combining",
        };
        var parsed = AssertSameAsUtf8JsonWriter(Column(typeof(string), values));
        Assert.Equal(values, parsed.Select(v => v.GetString()));

        // Invalid UTF-16 goes to Utf8JsonWriter whatever it does with it: the same bytes, or the same exception.
        foreach (var invalid in new[] { "\uD83D", "x\uDE00y", "\uDE00\uD83D", "trailing high \uD83D" })
        {
            var table = Column(typeof(string), new[] { invalid });
            Exception? expectedError = null;
            byte[]? expected = null;
            try { expected = Reference(table); } catch (Exception e) { expectedError = e; }
            if (expectedError is not null) Assert.Throws(expectedError.GetType(), () => TabularRenderer.DataResource(table));
            else Assert.Equal(expected, TabularRenderer.DataResource(table));
        }
    }

    [Fact]
    public void Doubles_are_the_shortest_round_trip_text_and_parse_back_to_the_same_value()
    {
        var random = new Random(20261201);
        var values = new List<double>
        {
            0, -0.0, 1, -1, 0.1, 0.2, 0.1 + 0.2, 1.0 / 3, -2.0 / 3, 6.58, 1.3, 99.99, 1e-3, 0.001, 0.00099999, 0.0011, 1e-4, 1e-5, 1e-6,
            1e14, 1e15 - 1, 1e15, 1e15 + 2, 999999999999999.9, 123456789.123456789, 1e16, 1e21, 1e22, 1e300, -1e300,
            double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 2.2250738585072014E-308, 9007199254740993, 4.35, 0.5, 1.5, 2.5,
        };
        for (var i = 0; i < 20_000; i++)
        {
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64())); // any bit pattern (NaNs and infinities too)
            var magnitude = Math.Pow(10, random.Next(-8, 17));
            values.Add(Math.Round((random.NextDouble() - 0.5) * magnitude, random.Next(0, 12))); // decimal-looking values
            values.Add(random.Next(-1_000_000, 1_000_000) / 100.0);
        }
        var parsed = AssertSameAsUtf8JsonWriter(Column(typeof(double), values));
        for (var i = 0; i < values.Count; i++)
        {
            var d = values[i];
            if (double.IsFinite(d))
            {
                Assert.Equal(d.ToString("R", CultureInfo.InvariantCulture), parsed[i].GetRawText());
                Assert.Equal(d, parsed[i].GetDouble());
            }
            else Assert.Equal(JsonValueKind.Null, parsed[i].ValueKind); // JSON has no NaN or Infinity
        }
    }

    [Fact]
    public void Floats_halves_and_decimals_are_written_as_Utf8JsonWriter_writes_them()
    {
        AssertSameAsUtf8JsonWriter(Column(typeof(float), new[] { 0f, 3.14f, -1.5e-10f, float.MaxValue, float.NaN, float.NegativeInfinity, 1f / 3 }));
        AssertSameAsUtf8JsonWriter(Column(typeof(Half), new[] { (Half)1.5, Half.MaxValue, Half.NaN }));
        var decimals = new[] { 0m, 1.50m, -0.0001m, 1234.25m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, 79228162514264337593543950335m / 7 };
        var parsed = AssertSameAsUtf8JsonWriter(Column(typeof(decimal), decimals));
        Assert.Equal(decimals, parsed.Select(v => v.GetDecimal()));
    }

    [Fact]
    public void Integers_of_every_width_and_digit_count_are_exact()
    {
        var longs = new List<long> { 0, -1, 1, long.MinValue, long.MaxValue, int.MinValue, int.MaxValue, long.MinValue + 1 };
        for (var p = 1L; p <= 1_000_000_000_000_000_000; p *= 10) longs.AddRange([p - 1, p, p + 1, -p, -(p - 1)]);
        var parsed = AssertSameAsUtf8JsonWriter(Column(typeof(long), longs));
        Assert.Equal(longs, parsed.Select(v => v.GetInt64()));

        var ints = new[] { 0, 7, -7, 10, 99, 100, int.MinValue, int.MaxValue, 358353 };
        Assert.Equal(ints, AssertSameAsUtf8JsonWriter(Column(typeof(int), ints)).Select(v => v.GetInt32()));
        AssertSameAsUtf8JsonWriter(Column(typeof(short), new short[] { short.MinValue, -1, 0, short.MaxValue }));
        AssertSameAsUtf8JsonWriter(Column(typeof(byte), new byte[] { 0, 9, 10, 255 }));
        AssertSameAsUtf8JsonWriter(Column(typeof(ulong), new[] { 0UL, ulong.MaxValue }));
        AssertSameAsUtf8JsonWriter(Column(typeof(System.Numerics.BigInteger), new[] { System.Numerics.BigInteger.Pow(10, 40), -System.Numerics.BigInteger.Pow(2, 70) }));
    }

    [Fact]
    public void Dates_times_guids_and_booleans_are_written_as_before()
    {
        var dates = new[] { DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(2024, 2, 29), new DateOnly(999, 1, 9), new DateOnly(2026, 10, 3) };
        var parsed = AssertSameAsUtf8JsonWriter(Column(typeof(DateOnly), dates));
        Assert.Equal(dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), parsed.Select(v => v.GetString()));
        // Days repeat in any order, more distinct ones than the writer remembers: never a stale text.
        var repeated = Enumerable.Range(0, 5000).Select(i => DateOnly.FromDayNumber(700_000 + i * 7919 % 1000)).ToList();
        parsed = AssertSameAsUtf8JsonWriter(Column(typeof(DateOnly), repeated));
        Assert.Equal(repeated.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), parsed.Select(v => v.GetString()));

        var times = new[]
        {
            new DateTime(2024, 1, 2, 3, 4, 5), new DateTime(2024, 1, 2, 3, 4, 5, 678), new DateTime(2024, 1, 2).AddTicks(1), DateTime.MinValue, DateTime.MaxValue,
            new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Local),
        };
        parsed = AssertSameAsUtf8JsonWriter(Column(typeof(DateTime), times));
        Assert.Equal("2024-01-02T03:04:05", parsed[0].GetString());
        Assert.Equal("2024-01-02T03:04:05.678", parsed[1].GetString());
        Assert.Equal("2024-01-02T03:04:05.0000000Z", parsed[5].GetString());

        AssertSameAsUtf8JsonWriter(Column(typeof(DateTimeOffset), new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(-330)) }));
        AssertSameAsUtf8JsonWriter(Column(typeof(TimeOnly), new[] { new TimeOnly(0, 0), new TimeOnly(23, 59, 59, 999), TimeOnly.MaxValue }));
        AssertSameAsUtf8JsonWriter(Column(typeof(TimeSpan), new[] { TimeSpan.Zero, TimeSpan.FromHours(-25.5) }));
        AssertSameAsUtf8JsonWriter(Column(typeof(Guid), new[] { Guid.Empty, new Guid("0f8fad5b-d9cb-469f-a165-70867728950e") }));
        Assert.Equal([true, false], AssertSameAsUtf8JsonWriter(Column(typeof(bool), new[] { true, false })).Select(v => v.GetBoolean()));
        AssertSameAsUtf8JsonWriter(Column(typeof(byte[]), new[] { Array.Empty<byte>(), new byte[] { 0, 255, 1 }, new byte[1000] }));
    }

    [Fact]
    public void Nulls_nested_values_and_columns_holding_other_types_than_declared_are_written_as_before()
    {
        var mixed = new object?[]
        {
            null, DBNull.Value, 1, 2L, 3.5, "s", true, new DateOnly(2024, 1, 1), new DateTime(2024, 1, 1), 1.25m, 'c', (sbyte)-3, (ushort)7, 8u,
            new List<int> { 1, 2 }, new Dictionary<string, object?> { ["k"] = "v", ["n"] = null, ["deep"] = new[] { new Dictionary<string, object> { ["x"] = 1.5 } } },
            new object(), DayOfWeek.Monday, Int128.MaxValue, double.NaN,
        };
        var parsed = AssertSameAsUtf8JsonWriter(Column(typeof(object), mixed));
        Assert.Equal(JsonValueKind.Null, parsed[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, parsed[1].ValueKind);
        Assert.Equal(1.5, parsed[15].GetProperty("deep")[0].GetProperty("x").GetDouble());

        // Declared int, holding a long, a string and a double: each is written as what it is.
        AssertSameAsUtf8JsonWriter(Column(typeof(int), new object?[] { 1, 5_000_000_000L, "x", 2.5, null }));
        AssertSameAsUtf8JsonWriter(Column(typeof(string), new object?[] { "a", 1, null, new DateOnly(2024, 1, 1) }));
        AssertSameAsUtf8JsonWriter(Column(typeof(double), new object?[] { 1.5, 2, null, "NaN" }));
    }

    [Fact]
    public void Many_columns_escaped_names_long_values_and_no_rows_or_columns_are_written_as_before()
    {
        var columns = new (string, Type)[] { ("id", typeof(long)), ("na\"me <b>", typeof(string)), ("score ü", typeof(double)), ("day", typeof(DateOnly)), ("ok", typeof(bool)), ("", typeof(int)), ("id", typeof(decimal)) };
        var random = new Random(7);
        var rows = Enumerable.Range(0, 3000).Select(i => new object?[]
        {
            (long)i * 1_000_003, i % 17 == 0 ? null : i % 100 == 0 ? new string('é', 5000 + i) : i % 3 == 0 ? "needs \"escape\" \\ " + i : "device" + i % 5,
            i % 11 == 0 ? double.NaN : random.Next(0, 100_000) / 100.0, DateOnly.FromDayNumber(730000 + i), i % 2 == 0, i, i / 7m,
        });
        var table = TabularResult.FromRows(columns, rows, new TabularLimits { DataResourceRows = 1_000_000 });
        AssertSameAsUtf8JsonWriter(table);

        AssertSameAsUtf8JsonWriter(TabularResult.FromRows(columns, []));
        AssertSameAsUtf8JsonWriter(TabularResult.FromRows([], [[], []]));
        using var doc = JsonDocument.Parse(TabularRenderer.DataResource(TabularResult.FromRows([], [[], []])));
        Assert.Equal("[{},{}]", doc.RootElement.GetProperty("data").GetRawText());
    }

    [Fact]
    public void Only_the_first_rows_up_to_the_limit_are_written()
    {
        var table = Column(typeof(int), Enumerable.Range(0, 100));
        using var doc = JsonDocument.Parse(TabularRenderer.DataResource(table, new TabularLimits { DataResourceRows = 7 }));
        Assert.Equal(Enumerable.Range(0, 7), doc.RootElement.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("v").GetInt32()));
    }
}
