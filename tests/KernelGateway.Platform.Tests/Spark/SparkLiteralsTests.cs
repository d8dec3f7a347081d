using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Spark.Connect.Proto;
using Kind = KernelGateway.Platform.Spark.Connect.Proto.Expression.Types.Literal.LiteralTypeOneofCase;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>C# values as Spark Connect literals (expressions.proto Expression.Literal); expected numbers worked out by hand.</summary>
public sealed class SparkLiteralsTests
{
    [Fact]
    public void Integers_keep_their_width_and_unsigned_ones_widen()
    {
        Assert.Equal((Kind.Byte, -5), (SparkLiterals.From((sbyte)-5).LiteralTypeCase, SparkLiterals.From((sbyte)-5).Byte));
        Assert.Equal((Kind.Short, 200), (SparkLiterals.From((byte)200).LiteralTypeCase, SparkLiterals.From((byte)200).Short));
        Assert.Equal(Kind.Short, SparkLiterals.From((short)-3).LiteralTypeCase);
        Assert.Equal((Kind.Integer, 65535), (SparkLiterals.From((ushort)65535).LiteralTypeCase, SparkLiterals.From((ushort)65535).Integer));
        Assert.Equal((Kind.Integer, 42), (SparkLiterals.From(42).LiteralTypeCase, SparkLiterals.From(42).Integer));
        Assert.Equal((Kind.Long, 4294967295L), (SparkLiterals.From(uint.MaxValue).LiteralTypeCase, SparkLiterals.From(uint.MaxValue).Long));
        Assert.Equal((Kind.Long, long.MinValue), (SparkLiterals.From(long.MinValue).LiteralTypeCase, SparkLiterals.From(long.MinValue).Long));
        var big = SparkLiterals.From(ulong.MaxValue).Decimal;
        Assert.Equal(("18446744073709551615", 20, 0), (big.Value, big.Precision, big.Scale));
    }

    [Fact]
    public void Floats_doubles_booleans_strings_and_bytes_are_their_own_kinds()
    {
        Assert.Equal(1.5f, SparkLiterals.From(1.5f).Float);
        Assert.Equal(Kind.Double, SparkLiterals.From(double.NaN).LiteralTypeCase);
        Assert.True(SparkLiterals.From(true).Boolean);
        Assert.Equal("'; drop table x; --", SparkLiterals.From("'; drop table x; --").String);
        Assert.Equal("c", SparkLiterals.From('c').String);
        Assert.Equal("00112233-4455-6677-8899-aabbccddeeff", SparkLiterals.From(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff")).String);
        Assert.Equal(new byte[] { 0, 255, 7 }, SparkLiterals.From(new byte[] { 0, 255, 7 }).Binary.ToByteArray());
        Assert.Equal(Kind.Null, SparkLiterals.From(null).LiteralTypeCase);
        Assert.Equal(DataType.KindOneofCase.Null, SparkLiterals.From(DBNull.Value).Null.KindCase);
    }

    [Theory]
    [InlineData("1.50", "1.50", 3, 2)]
    [InlineData("0.05", "0.05", 2, 2)]
    [InlineData("-123.4", "-123.4", 4, 1)]
    [InlineData("0", "0", 1, 0)]
    [InlineData("100", "100", 3, 0)]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335", 29, 0)]
    public void Decimals_carry_their_digits_precision_and_scale(string value, string text, int precision, int scale)
    {
        var d = SparkLiterals.From(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)).Decimal;
        Assert.Equal((text, precision, scale), (d.Value, d.Precision, d.Scale));
    }

    [Fact]
    public void Dates_are_days_and_timestamps_microseconds_since_the_epoch()
    {
        Assert.Equal(19723, SparkLiterals.From(new DateOnly(2024, 1, 1)).Date);
        Assert.Equal(-1, SparkLiterals.From(new DateOnly(1969, 12, 31)).Date);
        // 2024-01-01T00:00:00.123456+02:00 is 2023-12-31T22:00:00.123456Z
        var offset = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234560);
        Assert.Equal((Kind.Timestamp, 1704060000123456L), (SparkLiterals.From(offset).LiteralTypeCase, SparkLiterals.From(offset).Timestamp));
        Assert.Equal(1704060000123456L, SparkLiterals.From(offset.UtcDateTime).Timestamp);
        Assert.Equal(1704060000123456L, SparkLiterals.From(offset.UtcDateTime.ToLocalTime()).Timestamp);
    }

    [Fact]
    public void A_datetime_of_unspecified_kind_is_a_wall_clock_timestamp_ntz()
    {
        var wall = SparkLiterals.From(new DateTime(2024, 1, 1, 12, 34, 56, 789, DateTimeKind.Unspecified));
        Assert.Equal((Kind.TimestampNtz, 1704112496789000L), (wall.LiteralTypeCase, wall.TimestampNtz));
    }

    [Fact]
    public void Sub_microsecond_ticks_round_toward_the_past_also_before_the_epoch()
    {
        Assert.Equal(-1L, SparkLiterals.From(DateTime.UnixEpoch.AddTicks(-1)).Timestamp);
        Assert.Equal(0L, SparkLiterals.From(DateTime.UnixEpoch.AddTicks(9)).Timestamp);
    }

    [Fact]
    public void Time_spans_are_day_time_intervals_in_microseconds()
    {
        var span = new TimeSpan(1, 2, 0, 3).Add(TimeSpan.FromTicks(40));
        Assert.Equal((Kind.DayTimeInterval, 93603000004L), (SparkLiterals.From(span).LiteralTypeCase, SparkLiterals.From(span).DayTimeInterval));
    }

    [Fact]
    public void Sequences_are_arrays_of_one_element_type()
    {
        var ints = SparkLiterals.From(new[] { 1, 2, 3 }).Array;
        Assert.Equal(DataType.KindOneofCase.Integer, ints.ElementType.KindCase);
        Assert.Equal([1, 2, 3], ints.Elements.Select(e => e.Integer));
        var withNull = SparkLiterals.From(new List<string?> { "a", null }).Array;
        Assert.Equal(DataType.KindOneofCase.String, withNull.ElementType.KindCase);
        Assert.Equal([Kind.String, Kind.Null], withNull.Elements.Select(e => e.LiteralTypeCase));
        var decimals = SparkLiterals.From(new[] { 1.5m, 123.25m }).Array.ElementType.Decimal;
        Assert.Equal((5, 2), (decimals.Precision, decimals.Scale));
        Assert.Equal(DataType.KindOneofCase.Null, SparkLiterals.From(Array.Empty<int>()).Array.ElementType.KindCase);
        var map = SparkLiterals.From(new Dictionary<string, long> { ["a"] = 1 }).Map;
        Assert.Equal((DataType.KindOneofCase.String, DataType.KindOneofCase.Long, "a", 1L), (map.KeyType.KindCase, map.ValueType.KindCase, map.Keys[0].String, map.Values[0].Long));
    }

    [Fact]
    public void Values_without_a_spark_literal_are_refused()
    {
        Assert.Contains("TimeOnly", Assert.Throws<ArgumentException>(() => SparkLiterals.From(new TimeOnly(1, 2))).Message);
        Assert.Contains("enum", Assert.Throws<ArgumentException>(() => SparkLiterals.From(DayOfWeek.Monday)).Message);
        Assert.Contains("one type", Assert.Throws<ArgumentException>(() => SparkLiterals.From(new object[] { 1, "a" })).Message);
    }
}
