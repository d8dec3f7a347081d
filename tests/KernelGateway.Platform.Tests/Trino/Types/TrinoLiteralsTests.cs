using System.Collections;
using System.Globalization;
using System.Net;
using System.Numerics;
using DuckDB.NET.Data;
using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Tests.Trino.Types;

/// <summary>
/// C# values as Trino SQL literals for <c>EXECUTE ... USING</c>, each expected text written by hand from Trino's
/// grammar (<c>SqlBase.g4</c>: strings are <c>'...'</c> with <c>''</c> the only escape, typed literals are
/// <c>TYPE 'text'</c>, an interval's sign is outside its quotes). Hostile strings are also run through DuckDB, whose
/// string literals follow the same standard rule, to show each is one literal holding exactly the text.
/// </summary>
public sealed class TrinoLiteralsTests
{
    private enum Color { Red, DarkBlue }

    public static TheoryData<object?, string> Literals => new()
    {
        { null, "NULL" },
        { DBNull.Value, "NULL" },
        { true, "true" },
        { false, "false" },
        { (sbyte)-5, "TINYINT '-5'" },
        { (byte)255, "SMALLINT '255'" },
        { (short)-32768, "SMALLINT '-32768'" },
        { (ushort)65535, "65535" },
        { 42, "42" },
        { -2147483648, "-2147483648" },
        { uint.MaxValue, "BIGINT '4294967295'" },
        { long.MaxValue, "BIGINT '9223372036854775807'" },
        { -1L, "BIGINT '-1'" },
        { long.MinValue, "BIGINT '-9223372036854775808'" },
        { 5UL, "5" },
        { ulong.MaxValue, "DECIMAL '18446744073709551615'" },
        { 1.5f, "REAL '1.5'" },
        { 0.1f, "REAL '0.1'" },
        { float.NaN, "CAST(nan() AS REAL)" },
        { float.PositiveInfinity, "CAST(infinity() AS REAL)" },
        { float.NegativeInfinity, "CAST(-infinity() AS REAL)" },
        { 1.5, "DOUBLE '1.5'" },
        { 0.1, "DOUBLE '0.1'" },
        { 1e20, "DOUBLE '1E+20'" },
        { double.Epsilon, "DOUBLE '5E-324'" },
        { -0.0, "DOUBLE '-0'" },
        { 1.0 / 3, "DOUBLE '0.3333333333333333'" },
        { double.NaN, "nan()" },
        { double.PositiveInfinity, "infinity()" },
        { double.NegativeInfinity, "-infinity()" },
        { 1.23m, "DECIMAL '1.23'" },
        { 1.50m, "DECIMAL '1.50'" },
        { -0.001m, "DECIMAL '-0.001'" },
        { "plain", "'plain'" },
        { "", "''" },
        { "it's", "'it''s'" },
        { "héllo ✓ 🎉", "'héllo ✓ 🎉'" },
        { 'x', "'x'" },
        { '\'', "''''" },
        { Color.DarkBlue, "'DarkBlue'" },
        { new byte[] { 0x0A, 0x0B, 0xFF }, "X'0A0BFF'" },
        { Array.Empty<byte>(), "X''" },
        { new DateOnly(2024, 1, 2), "DATE '2024-01-02'" },
        { new DateOnly(1, 1, 1), "DATE '0001-01-01'" },
        { new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(1_234_567), "TIMESTAMP '2024-01-02 03:04:05.1234567'" },
        { new DateTime(2024, 1, 2, 3, 4, 5, 120), "TIMESTAMP '2024-01-02 03:04:05.12'" },
        { new DateTime(2024, 1, 2), "TIMESTAMP '2024-01-02 00:00:00'" },
        { new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), "TIMESTAMP '2024-01-02 03:04:05 UTC'" },
        { new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Local), "TIMESTAMP '2024-01-02 03:04:05'" },
        { new DateTimeOffset(2024, 1, 2, 3, 4, 5, 123, new TimeSpan(5, 30, 0)), "TIMESTAMP '2024-01-02 03:04:05.123 +05:30'" },
        { new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-8)), "TIMESTAMP '2024-01-02 03:04:05 -08:00'" },
        { new TimeOnly(3, 4, 5, 123), "TIME '03:04:05.123'" },
        { new TimeOnly(0, 0), "TIME '00:00:00'" },
        { new TrinoTimeWithTimeZone(new TimeOnly(3, 4, 5), new TimeSpan(5, 30, 0)), "TIME '03:04:05 +05:30'" },
        { new TimeSpan(3, 4, 5, 6, 789), "INTERVAL '3 04:05:06.789' DAY TO SECOND" },
        { -new TimeSpan(3, 4, 5, 6, 789), "INTERVAL -'3 04:05:06.789' DAY TO SECOND" },
        { TimeSpan.Zero, "INTERVAL '0 00:00:00' DAY TO SECOND" },
        { TimeSpan.MinValue, "INTERVAL -'10675199 02:48:05.4775808' DAY TO SECOND" },
        { new TrinoYearMonthInterval(14), "INTERVAL '1-2' YEAR TO MONTH" },
        { new TrinoYearMonthInterval(-3), "INTERVAL -'0-3' YEAR TO MONTH" },
        { new Guid("12151fd2-7586-11e9-8f9e-2a86e4085a59"), "UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59'" },
        { IPAddress.Parse("10.0.0.1"), "IPADDRESS '10.0.0.1'" },
        { IPAddress.Parse("2001:db8::1"), "IPADDRESS '2001:db8::1'" },
        { new[] { 1, 2 }, "ARRAY[1, 2]" },
        { new List<string?> { "a", null, "it's" }, "ARRAY['a', NULL, 'it''s']" },
        { Array.Empty<int>(), "ARRAY[]" },
        { new object?[] { new[] { 1.5 }, null }, "ARRAY[ARRAY[DOUBLE '1.5'], NULL]" },
        { new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, "MAP(ARRAY['a', 'b'], ARRAY[1, 2])" },
        { new Dictionary<int, string>(), "MAP(ARRAY[], ARRAY[])" },
        { new Hashtable { ["k"] = new DateOnly(2024, 1, 2) }, "MAP(ARRAY['k'], ARRAY[DATE '2024-01-02'])" },
        { new OnlyReadOnlyDictionary(), "MAP(ARRAY['x'], ARRAY[1])" },
        { new TrinoRow(["id", "name"], [1L, "x"]), "ROW(BIGINT '1', 'x')" },
        { (Int128)12345678901234567L * 1_000_000_000_000L, "DECIMAL '12345678901234567000000000000'" },
        { new BigInteger(-7), "-7" },
    };

    [Theory]
    [MemberData(nameof(Literals))]
    public void A_value_becomes_its_Trino_literal(object? value, string literal)
    {
        Assert.Equal(literal, TrinoLiterals.Format(value));
    }

    [Fact]
    public void Literals_do_not_depend_on_the_current_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // decimal comma, other date order
            Assert.Equal("DOUBLE '1.5'", TrinoLiterals.Format(1.5));
            Assert.Equal("DECIMAL '-1234.5'", TrinoLiterals.Format(-1234.5m));
            Assert.Equal("TIMESTAMP '2024-01-02 03:04:05.5'", TrinoLiterals.Format(new DateTime(2024, 1, 2, 3, 4, 5, 500)));
            Assert.Equal("REAL '0.25'", TrinoLiterals.Format(0.25f));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    public static TheoryData<string> HostileStrings => new()
    {
        "'; drop table x; --",
        "' OR '1'='1",
        "\\'; drop table x; --",
        "\\",
        "'",
        "''",
        "a''b",
        "it’s (a typographic apostrophe)",
        "line\nbreak'; --",
        "/* comment */ '",
        "$$ dollar $$",
        "U&'\\0027'",
        "\"double quoted\"",
        "tab\tand\rcarriage",
    };

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public void A_hostile_string_is_one_literal_of_exactly_its_text(string text)
    {
        var literal = TrinoLiterals.Format(text);
        Assert.Equal("'" + text.Replace("'", "''") + "'", literal);
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {literal} AS v, 'after' AS marker";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(2, reader.FieldCount);
        Assert.Equal(text, reader.GetString(0));
        Assert.Equal("after", reader.GetString(1));
    }

    [Fact]
    public void The_classic_injection_is_a_harmless_string()
    {
        Assert.Equal("'''; drop table x; --'", TrinoLiterals.Format("'; drop table x; --"));
        Assert.Equal("ARRAY['''; drop table x; --']", TrinoLiterals.Format(new[] { "'; drop table x; --" }));
        Assert.Equal("MAP(ARRAY['''); --'], ARRAY['x'])", TrinoLiterals.Format(new Dictionary<string, string> { ["'); --"] = "x" }));
    }

    [Fact]
    public void A_string_that_cannot_reach_the_server_intact_is_refused()
    {
        // In code, not as theory data: the test runner's own serialization would repair the unpaired surrogates.
        foreach (var text in new[] { "a\0b", "\ud800", "x\udc00y", "\udc00\ud800" })
        {
            Assert.Throws<ArgumentException>(() => TrinoLiterals.Format(text));
            Assert.Throws<ArgumentException>(() => TrinoLiterals.Format(new[] { text }));
        }
        Assert.Equal("'\ud83c\udf89'", TrinoLiterals.Format("\ud83c\udf89")); // a pair is one character
    }

    [Fact]
    public void A_value_without_a_literal_is_refused_naming_its_type()
    {
        Assert.Contains("System.Uri", Assert.Throws<ArgumentException>(() => TrinoLiterals.Format(new Uri("http://x/"))).Message);
        Assert.Contains("System.Object", Assert.Throws<ArgumentException>(() => TrinoLiterals.Format(new[] { new object() })).Message);
        Assert.Throws<ArgumentException>(() => TrinoLiterals.Format(BigInteger.Pow(10, 38))); // 39 digits: beyond decimal(38)
        Assert.Throws<ArgumentException>(() => TrinoLiterals.Format(Int128.MaxValue));
        var loop = new List<object>();
        loop.Add(loop);
        Assert.Throws<ArgumentException>(() => TrinoLiterals.Format(loop));
    }

    /// <summary>A dictionary known only by <see cref="IReadOnlyDictionary{TKey, TValue}"/> (not <see cref="IDictionary"/>).</summary>
    private sealed class OnlyReadOnlyDictionary : IReadOnlyDictionary<string, int>
    {
        private readonly Dictionary<string, int> _inner = new() { ["x"] = 1 };

        public int this[string key] => _inner[key];
        public IEnumerable<string> Keys => _inner.Keys;
        public IEnumerable<int> Values => _inner.Values;
        public int Count => _inner.Count;
        public bool ContainsKey(string key) => _inner.ContainsKey(key);
        public bool TryGetValue(string key, out int value) => _inner.TryGetValue(key, out value);
        public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => _inner.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
