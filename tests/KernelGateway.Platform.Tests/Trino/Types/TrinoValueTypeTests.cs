using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Tests.Trino.Types;

/// <summary>The small value types: rows, year-month intervals, times with time zone — equality and Trino's text.</summary>
public sealed class TrinoValueTypeTests
{
    [Fact]
    public void Rows_with_the_same_names_and_equal_values_are_equal_by_content()
    {
        TrinoRow Make() => new(["a", "b", null], [new object?[] { 1L, new byte[] { 1, 2 } }, new Dictionary<object, object?> { ["k"] = double.NaN }, null]);
        Assert.Equal(Make(), Make());
        Assert.Equal(Make().GetHashCode(), Make().GetHashCode());
        Assert.NotEqual(Make(), new TrinoRow(["a", "c", null], Make().Values));
        Assert.NotEqual(Make(), new TrinoRow(["a", "b", "field2"], Make().Values)); // a named field2 is not the anonymous third field
        Assert.NotEqual(Make(), new TrinoRow(["a", "b", null], [new object?[] { 1L, new byte[] { 1, 3 } }, Make()[1], null]));
    }

    [Fact]
    public void A_row_reads_like_Trino_prints_it()
    {
        var row = new TrinoRow(["id", null, "tags", "at", "inner"],
            [7L, "x", new object?[] { "a", null }, new DateTime(2024, 1, 2, 3, 4, 5, 120), new TrinoRow(["n"], [new Dictionary<object, object?> { [1] = 2.5 }])]);
        Assert.Equal("{id=7, x, tags=[a, null], at=2024-01-02 03:04:05.12, inner={n={1=2.5}}}", row.ToString());
    }

    [Fact]
    public void A_row_is_a_read_only_dictionary_in_field_order()
    {
        IReadOnlyDictionary<string, object?> row = new TrinoRow(["b", "a"], [1, 2]);
        Assert.Equal(["b", "a"], row.Keys);
        Assert.Equal([1, 2], row.Values.Cast<int>());
        Assert.True(row.TryGetValue("a", out var a));
        Assert.Equal(2, a);
        Assert.False(row.ContainsKey("c"));
        Assert.Equal([new KeyValuePair<string, object?>("b", 1), new KeyValuePair<string, object?>("a", 2)], row);
    }

    [Fact]
    public void A_duplicated_field_name_reaches_the_first_field()
    {
        var row = new TrinoRow(["x", "x"], [1, 2]);
        Assert.Equal(1, row["x"]);
        Assert.Equal(2, row[1]);
    }

    [Theory]
    [InlineData(14, "1-2")]
    [InlineData(-3, "-0-3")]
    [InlineData(0, "0-0")]
    [InlineData(-25, "-2-1")]
    [InlineData(int.MaxValue, "178956970-7")]
    [InlineData(int.MinValue, "-178956970-8")]
    public void A_year_month_interval_reads_as_Trino_writes_it_and_parses_back(int months, string text)
    {
        var interval = new TrinoYearMonthInterval(months);
        Assert.Equal(text, interval.ToString());
        Assert.Equal(interval, TrinoYearMonthInterval.Parse(text));
    }

    [Fact]
    public void A_year_month_interval_splits_into_years_and_months_with_its_sign()
    {
        var interval = TrinoYearMonthInterval.FromYearsAndMonths(-1, -2);
        Assert.Equal((-14, -1, -2), (interval.TotalMonths, interval.Years, interval.Months));
        Assert.True(new TrinoYearMonthInterval(1).CompareTo(new TrinoYearMonthInterval(2)) < 0);
        Assert.Throws<FormatException>(() => TrinoYearMonthInterval.Parse("1-12"));
    }

    [Fact]
    public void A_time_with_time_zone_reads_as_Trino_writes_it_and_knows_its_UTC_time()
    {
        var value = new TrinoTimeWithTimeZone(new TimeOnly(3, 4, 5, 120), new TimeSpan(5, 30, 0));
        Assert.Equal("03:04:05.12+05:30", value.ToString());
        Assert.Equal(new TimeOnly(21, 34, 5, 120), value.UtcTime);
        Assert.Equal(value, TrinoTimeWithTimeZone.Parse("03:04:05.12+05:30"));
        Assert.Equal("23:00:00-08:00", new TrinoTimeWithTimeZone(new TimeOnly(23, 0), TimeSpan.FromHours(-8)).ToString());
    }
}
