using System.Net;
using System.Text;
using System.Text.Json;
using Apache.Arrow.Types;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Tests.Trino.Types;

/// <summary>
/// The reference table, written by hand from the protocol (Trino's <c>JsonDecodingUtils</c> and the Python
/// client's <c>mapper.py</c> for how each type's value is sent): for every type, a JSON value as the server sends
/// it, the CLR value it decodes to, the CLR type of the column, the Table Schema type and the Arrow type. Every
/// case runs with the signature in Trino's spelling and in Presto's.
/// </summary>
public sealed class TrinoValueReferenceTests
{
    public sealed record Case(Sig Signature, string Json, object? Expected, Type Clr, string TableSchema, string Arrow);

    private static readonly Sig Varchar = Sig.Varchar;

    private static DateTime At(long ticks) => new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified).AddTicks(ticks);

    private static DateTimeOffset Utc(long ticks) => new(At(ticks), TimeSpan.Zero);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // boolean and integers; numbers sent as strings are accepted, as the Java client does
        ["boolean true"] = new(Sig.Of("boolean"), "true", true, typeof(bool), "boolean", "bool"),
        ["boolean false"] = new(Sig.Of("boolean"), "false", false, typeof(bool), "boolean", "bool"),
        ["boolean as string"] = new(Sig.Of("boolean"), "\"true\"", true, typeof(bool), "boolean", "bool"),
        ["tinyint"] = new(Sig.Of("tinyint"), "-128", (sbyte)-128, typeof(sbyte), "integer", "int8"),
        ["smallint"] = new(Sig.Of("smallint"), "32767", (short)32767, typeof(short), "integer", "int16"),
        ["integer"] = new(Sig.Of("integer"), "-2147483648", int.MinValue, typeof(int), "integer", "int32"),
        ["integer as string"] = new(Sig.Of("integer"), "\"42\"", 42, typeof(int), "integer", "int32"),
        ["bigint"] = new(Sig.Of("bigint"), "9223372036854775807", long.MaxValue, typeof(long), "integer", "int64"),
        ["bigint as string"] = new(Sig.Of("bigint"), "\"-9223372036854775808\"", long.MinValue, typeof(long), "integer", "int64"),

        // real and double, with the three non-finite values Trino sends as strings
        ["real"] = new(Sig.Of("real"), "1.5", 1.5f, typeof(float), "number", "float"),
        ["real 0.1"] = new(Sig.Of("real"), "0.1", 0.1f, typeof(float), "number", "float"),
        ["real NaN"] = new(Sig.Of("real"), "\"NaN\"", float.NaN, typeof(float), "number", "float"),
        ["real -Infinity"] = new(Sig.Of("real"), "\"-Infinity\"", float.NegativeInfinity, typeof(float), "number", "float"),
        ["double"] = new(Sig.Of("double"), "0.1", 0.1, typeof(double), "number", "double"),
        ["double exponent"] = new(Sig.Of("double"), "1.0E10", 1e10, typeof(double), "number", "double"),
        ["double integral"] = new(Sig.Of("double"), "3", 3.0, typeof(double), "number", "double"),
        ["double NaN"] = new(Sig.Of("double"), "\"NaN\"", double.NaN, typeof(double), "number", "double"),
        ["double Infinity"] = new(Sig.Of("double"), "\"Infinity\"", double.PositiveInfinity, typeof(double), "number", "double"),
        ["double -Infinity"] = new(Sig.Of("double"), "\"-Infinity\"", double.NegativeInfinity, typeof(double), "number", "double"),

        // decimal: System.Decimal up to 28 digits of precision, the exact text beyond (decided by the type)
        ["decimal(10,2)"] = new(Sig.Of("decimal", 10L, 2L), "\"12.30\"", 12.30m, typeof(decimal), "number", "decimal128(10,2)"),
        ["decimal negative"] = new(Sig.Of("decimal", 10L, 2L), "\"-0.05\"", -0.05m, typeof(decimal), "number", "decimal128(10,2)"),
        ["decimal(28,0) max"] = new(Sig.Of("decimal", 28L, 0L), "\"9999999999999999999999999999\"", 9999999999999999999999999999m, typeof(decimal), "number", "decimal128(28,0)"),
        ["decimal(28,28)"] = new(Sig.Of("decimal", 28L, 28L), "\"0.1234567890123456789012345678\"", 0.1234567890123456789012345678m, typeof(decimal), "number", "decimal128(28,28)"),
        ["decimal(38,2) wide"] = new(Sig.Of("decimal", 38L, 2L), "\"123456789012345678901234567890123456.78\"", "123456789012345678901234567890123456.78", typeof(string), "number", "decimal128(38,2)"),
        ["decimal(29,0) small value"] = new(Sig.Of("decimal", 29L, 0L), "\"1\"", "1", typeof(string), "number", "decimal128(29,0)"),

        // strings
        ["varchar"] = new(Varchar, "\"héllo ✓ 𝄞\"", "héllo ✓ 𝄞", typeof(string), "string", "utf8"),
        ["varchar escaped"] = new(Varchar, "\"a\\\"b\\\\c\\n\\u00e9\\ud834\\udd1e\"", "a\"b\\c\né𝄞", typeof(string), "string", "utf8"),
        ["varchar(10)"] = new(Sig.Of("varchar", 10L), "\"abc\"", "abc", typeof(string), "string", "utf8"),
        ["char(3)"] = new(Sig.Of("char", 3L), "\"ab \"", "ab ", typeof(string), "string", "utf8"),
        ["json"] = new(Sig.Of("json"), "\"{\\\"a\\\":[1,2]}\"", "{\"a\":[1,2]}", typeof(string), "object", "utf8"),

        // binary: base64
        ["varbinary"] = new(Sig.Of("varbinary"), "\"AAEC/w==\"", new byte[] { 0, 1, 2, 255 }, typeof(byte[]), "string", "binary"),
        ["varbinary empty"] = new(Sig.Of("varbinary"), "\"\"", Array.Empty<byte>(), typeof(byte[]), "string", "binary"),
        ["HyperLogLog"] = new(Sig.Of("HyperLogLog"), "\"AgwBAIA=\"", new byte[] { 2, 12, 1, 0, 128 }, typeof(byte[]), "string", "binary"),
        ["qdigest"] = new(Sig.Of("qdigest", Sig.Of("bigint")), "\"AQI=\"", new byte[] { 1, 2 }, typeof(byte[]), "string", "binary"),
        ["tdigest"] = new(Sig.Of("tdigest"), "\"AQ==\"", new byte[] { 1 }, typeof(byte[]), "string", "binary"),
        ["P4HyperLogLog"] = new(Sig.Of("P4HyperLogLog"), "\"Aw==\"", new byte[] { 3 }, typeof(byte[]), "string", "binary"),
        ["SetDigest"] = new(Sig.Of("SetDigest"), "\"BA==\"", new byte[] { 4 }, typeof(byte[]), "string", "binary"),

        // date: DateOnly, and the text for a year DateOnly cannot hold
        ["date"] = new(Sig.Of("date"), "\"2024-02-29\"", new DateOnly(2024, 2, 29), typeof(DateOnly), "date", "date32"),
        ["date epoch"] = new(Sig.Of("date"), "\"1970-01-01\"", new DateOnly(1970, 1, 1), typeof(DateOnly), "date", "date32"),
        ["date first"] = new(Sig.Of("date"), "\"0001-01-01\"", new DateOnly(1, 1, 1), typeof(DateOnly), "date", "date32"),
        ["date last"] = new(Sig.Of("date"), "\"9999-12-31\"", new DateOnly(9999, 12, 31), typeof(DateOnly), "date", "date32"),
        ["date year 0"] = new(Sig.Of("date"), "\"0000-01-01\"", "0000-01-01", typeof(DateOnly), "date", "date32"),
        ["date BC"] = new(Sig.Of("date"), "\"-0001-12-31\"", "-0001-12-31", typeof(DateOnly), "date", "date32"),
        ["date past 9999"] = new(Sig.Of("date"), "\"+10000-01-01\"", "+10000-01-01", typeof(DateOnly), "date", "date32"),

        // time(p): TimeOnly to 7 digits (µs Arrow to 6, ns at 7), text beyond
        ["time default"] = new(Sig.Of("time"), "\"03:04:05.123\"", new TimeOnly(3, 4, 5, 123), typeof(TimeOnly), "time", "time64[us]"),
        ["time(0)"] = new(Sig.Of("time", 0L), "\"03:04:05\"", new TimeOnly(3, 4, 5), typeof(TimeOnly), "time", "time64[us]"),
        ["time(3)"] = new(Sig.Of("time", 3L), "\"23:59:59.999\"", new TimeOnly(23, 59, 59, 999), typeof(TimeOnly), "time", "time64[us]"),
        ["time(6)"] = new(Sig.Of("time", 6L), "\"00:00:00.000001\"", new TimeOnly(10), typeof(TimeOnly), "time", "time64[us]"),
        ["time(7)"] = new(Sig.Of("time", 7L), "\"23:59:59.9999999\"", TimeOnly.MaxValue, typeof(TimeOnly), "time", "time64[ns]"),
        ["time(9)"] = new(Sig.Of("time", 9L), "\"03:04:05.123456789\"", "03:04:05.123456789", typeof(string), "time", "utf8"),
        ["time(12)"] = new(Sig.Of("time", 12L), "\"03:04:05.123456789012\"", "03:04:05.123456789012", typeof(string), "time", "utf8"),

        // time(p) with time zone
        ["time with time zone"] = new(Sig.Of("time with time zone", 3L), "\"03:04:05.123+05:30\"", new TrinoTimeWithTimeZone(new TimeOnly(3, 4, 5, 123), new TimeSpan(5, 30, 0)), typeof(TrinoTimeWithTimeZone), "time", "utf8"),
        ["time with time zone negative"] = new(Sig.Of("time with time zone", 0L), "\"23:00:00-08:00\"", new TrinoTimeWithTimeZone(new TimeOnly(23, 0), TimeSpan.FromHours(-8)), typeof(TrinoTimeWithTimeZone), "time", "utf8"),
        ["time with time zone presto"] = new(Sig.Of("time with time zone"), "\"03:04:05.123 UTC\"", new TrinoTimeWithTimeZone(new TimeOnly(3, 4, 5, 123), TimeSpan.Zero), typeof(TrinoTimeWithTimeZone), "time", "utf8"),
        ["time with time zone presto zone id"] = new(Sig.Of("time with time zone"), "\"03:04:05.123 America/Los_Angeles\"", new TrinoTimeWithTimeZone(new TimeOnly(3, 4, 5, 123), TimeSpan.FromHours(-8)), typeof(TrinoTimeWithTimeZone), "time", "utf8"),
        ["time(9) with time zone"] = new(Sig.Of("time with time zone", 9L), "\"03:04:05.123456789+01:00\"", "03:04:05.123456789+01:00", typeof(string), "time", "utf8"),

        // timestamp(p), p = 0..12: DateTime (kind unspecified) to 7 digits, the text beyond
        ["timestamp(0)"] = new(Sig.Of("timestamp", 0L), "\"2024-01-02 03:04:05\"", At(0), typeof(DateTime), "datetime", "timestamp[us]"),
        ["timestamp(1)"] = new(Sig.Of("timestamp", 1L), "\"2024-01-02 03:04:05.1\"", At(1_000_000), typeof(DateTime), "datetime", "timestamp[us]"),
        ["timestamp(2)"] = new(Sig.Of("timestamp", 2L), "\"2024-01-02 03:04:05.12\"", At(1_200_000), typeof(DateTime), "datetime", "timestamp[us]"),
        ["timestamp(3)"] = new(Sig.Of("timestamp", 3L), "\"2024-01-02 03:04:05.123\"", At(1_230_000), typeof(DateTime), "datetime", "timestamp[us]"),
        ["timestamp(4)"] = new(Sig.Of("timestamp", 4L), "\"2024-01-02 03:04:05.1234\"", At(1_234_000), typeof(DateTime), "datetime", "timestamp[us]"),
        ["timestamp(5)"] = new(Sig.Of("timestamp", 5L), "\"2024-01-02 03:04:05.12345\"", At(1_234_500), typeof(DateTime), "datetime", "timestamp[us]"),
        ["timestamp(6)"] = new(Sig.Of("timestamp", 6L), "\"2024-01-02 03:04:05.123456\"", At(1_234_560), typeof(DateTime), "datetime", "timestamp[us]"),
        ["timestamp(7)"] = new(Sig.Of("timestamp", 7L), "\"2024-01-02 03:04:05.1234567\"", At(1_234_567), typeof(DateTime), "datetime", "utf8"),
        ["timestamp(8)"] = new(Sig.Of("timestamp", 8L), "\"2024-01-02 03:04:05.12345678\"", "2024-01-02 03:04:05.12345678", typeof(string), "datetime", "utf8"),
        ["timestamp(9)"] = new(Sig.Of("timestamp", 9L), "\"2024-01-02 03:04:05.123456789\"", "2024-01-02 03:04:05.123456789", typeof(string), "datetime", "utf8"),
        ["timestamp(10)"] = new(Sig.Of("timestamp", 10L), "\"2024-01-02 03:04:05.1234567890\"", "2024-01-02 03:04:05.1234567890", typeof(string), "datetime", "utf8"),
        ["timestamp(11)"] = new(Sig.Of("timestamp", 11L), "\"2024-01-02 03:04:05.12345678901\"", "2024-01-02 03:04:05.12345678901", typeof(string), "datetime", "utf8"),
        ["timestamp(12)"] = new(Sig.Of("timestamp", 12L), "\"2024-01-02 03:04:05.123456789012\"", "2024-01-02 03:04:05.123456789012", typeof(string), "datetime", "utf8"),
        ["timestamp default"] = new(Sig.Of("timestamp"), "\"2024-01-02 03:04:05.123\"", At(1_230_000), typeof(DateTime), "datetime", "timestamp[us]"),
        ["timestamp last"] = new(Sig.Of("timestamp", 3L), "\"9999-12-31 23:59:59.999\"", new DateTime(9999, 12, 31, 23, 59, 59, 999), typeof(DateTime), "datetime", "timestamp[us]"),
        ["timestamp past 9999"] = new(Sig.Of("timestamp", 3L), "\"+10000-01-01 00:00:00.000\"", "+10000-01-01 00:00:00.000", typeof(DateTime), "datetime", "timestamp[us]"),

        // timestamp(p) with time zone: DateTimeOffset to 7 digits; UTC, offsets and IANA zone ids
        ["timestamptz(0)"] = new(Sig.Of("timestamp with time zone", 0L), "\"2024-01-02 03:04:05 UTC\"", Utc(0), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz(1)"] = new(Sig.Of("timestamp with time zone", 1L), "\"2024-01-02 03:04:05.1 UTC\"", Utc(1_000_000), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz(2)"] = new(Sig.Of("timestamp with time zone", 2L), "\"2024-01-02 03:04:05.12 UTC\"", Utc(1_200_000), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz(3)"] = new(Sig.Of("timestamp with time zone", 3L), "\"2024-01-02 03:04:05.123 UTC\"", Utc(1_230_000), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz(4)"] = new(Sig.Of("timestamp with time zone", 4L), "\"2024-01-02 03:04:05.1234 UTC\"", Utc(1_234_000), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz(5)"] = new(Sig.Of("timestamp with time zone", 5L), "\"2024-01-02 03:04:05.12345 UTC\"", Utc(1_234_500), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz(6)"] = new(Sig.Of("timestamp with time zone", 6L), "\"2024-01-02 03:04:05.123456 UTC\"", Utc(1_234_560), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz(7)"] = new(Sig.Of("timestamp with time zone", 7L), "\"2024-01-02 03:04:05.1234567 UTC\"", Utc(1_234_567), typeof(DateTimeOffset), "datetime", "utf8"),
        ["timestamptz(8)"] = new(Sig.Of("timestamp with time zone", 8L), "\"2024-01-02 03:04:05.12345678 UTC\"", "2024-01-02 03:04:05.12345678 UTC", typeof(string), "datetime", "utf8"),
        ["timestamptz(9)"] = new(Sig.Of("timestamp with time zone", 9L), "\"2024-01-02 03:04:05.123456789 Europe/Paris\"", "2024-01-02 03:04:05.123456789 Europe/Paris", typeof(string), "datetime", "utf8"),
        ["timestamptz(10)"] = new(Sig.Of("timestamp with time zone", 10L), "\"2024-01-02 03:04:05.1234567890 UTC\"", "2024-01-02 03:04:05.1234567890 UTC", typeof(string), "datetime", "utf8"),
        ["timestamptz(11)"] = new(Sig.Of("timestamp with time zone", 11L), "\"2024-01-02 03:04:05.12345678901 UTC\"", "2024-01-02 03:04:05.12345678901 UTC", typeof(string), "datetime", "utf8"),
        ["timestamptz(12)"] = new(Sig.Of("timestamp with time zone", 12L), "\"2024-01-02 03:04:05.123456789012 +01:00\"", "2024-01-02 03:04:05.123456789012 +01:00", typeof(string), "datetime", "utf8"),
        ["timestamptz offset"] = new(Sig.Of("timestamp with time zone", 3L), "\"2024-01-02 03:04:05.123 +05:30\"", new DateTimeOffset(At(1_230_000), new TimeSpan(5, 30, 0)), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz negative offset"] = new(Sig.Of("timestamp with time zone", 3L), "\"2024-01-02 03:04:05.123 -08:00\"", new DateTimeOffset(At(1_230_000), TimeSpan.FromHours(-8)), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz zone id summer"] = new(Sig.Of("timestamp with time zone", 3L), "\"2024-07-01 12:00:00.000 America/Los_Angeles\"", new DateTimeOffset(2024, 7, 1, 12, 0, 0, TimeSpan.FromHours(-7)), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz zone id winter"] = new(Sig.Of("timestamp with time zone", 3L), "\"2024-01-15 12:00:00.000 America/Los_Angeles\"", new DateTimeOffset(2024, 1, 15, 12, 0, 0, TimeSpan.FromHours(-8)), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz zone id half hour"] = new(Sig.Of("timestamp with time zone", 3L), "\"2024-01-02 03:04:05.123 Asia/Kolkata\"", new DateTimeOffset(At(1_230_000), new TimeSpan(5, 30, 0)), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz zone id twice-passed hour"] = new(Sig.Of("timestamp with time zone", 3L), "\"2024-11-03 01:30:00.000 America/New_York\"", new DateTimeOffset(2024, 11, 3, 1, 30, 0, TimeSpan.FromHours(-4)), typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),
        ["timestamptz past 9999"] = new(Sig.Of("timestamp with time zone", 3L), "\"+10000-01-01 00:00:00.000 UTC\"", "+10000-01-01 00:00:00.000 UTC", typeof(DateTimeOffset), "datetime", "timestamp[us, UTC]"),

        // intervals: TimeSpan (negative ones too) and TrinoYearMonthInterval
        ["interval day to second"] = new(Sig.Of("interval day to second"), "\"3 04:05:06.789\"", new TimeSpan(3, 4, 5, 6, 789), typeof(TimeSpan), "duration", "utf8"),
        ["interval day to second negative"] = new(Sig.Of("interval day to second"), "\"-3 04:05:06.789\"", -new TimeSpan(3, 4, 5, 6, 789), typeof(TimeSpan), "duration", "utf8"),
        ["interval day to second negative ms"] = new(Sig.Of("interval day to second"), "\"-0 00:00:00.001\"", TimeSpan.FromMilliseconds(-1), typeof(TimeSpan), "duration", "utf8"),
        ["interval day to second zero"] = new(Sig.Of("interval day to second"), "\"0 00:00:00.000\"", TimeSpan.Zero, typeof(TimeSpan), "duration", "utf8"),
        ["interval day to second too long"] = new(Sig.Of("interval day to second"), "\"-106751991167 07:12:55.808\"", "-106751991167 07:12:55.808", typeof(TimeSpan), "duration", "utf8"),
        ["interval year to month"] = new(Sig.Of("interval year to month"), "\"1-2\"", new TrinoYearMonthInterval(14), typeof(TrinoYearMonthInterval), "duration", "utf8"),
        ["interval year to month negative"] = new(Sig.Of("interval year to month"), "\"-0-3\"", new TrinoYearMonthInterval(-3), typeof(TrinoYearMonthInterval), "duration", "utf8"),
        ["interval year to month min"] = new(Sig.Of("interval year to month"), "\"-178956970-8\"", new TrinoYearMonthInterval(int.MinValue), typeof(TrinoYearMonthInterval), "duration", "utf8"),

        // uuid, ipaddress, unknown types
        ["uuid"] = new(Sig.Of("uuid"), "\"12151fd2-7586-11e9-8f9e-2a86e4085a59\"", new Guid("12151fd2-7586-11e9-8f9e-2a86e4085a59"), typeof(Guid), "string", "utf8"),
        ["ipaddress v4"] = new(Sig.Of("ipaddress"), "\"10.0.0.1\"", IPAddress.Parse("10.0.0.1"), typeof(IPAddress), "string", "utf8"),
        ["ipaddress v6"] = new(Sig.Of("ipaddress"), "\"2001:db8::ff00:42:8329\"", IPAddress.Parse("2001:db8::ff00:42:8329"), typeof(IPAddress), "string", "utf8"),
        ["Geometry"] = new(Sig.Of("Geometry"), "\"POINT (1 2)\"", "POINT (1 2)", typeof(string), "string", "utf8"),
        ["color as number"] = new(Sig.Of("color"), "16711680", "16711680", typeof(string), "string", "utf8"),
        ["unknown as object"] = new(Sig.Of("SomethingNew", 3L), "{\"a\": [1, true]}", "{\"a\": [1, true]}", typeof(string), "string", "utf8"),
        ["unknown (type of NULL)"] = new(Sig.Of("unknown"), "null", null, typeof(string), "string", "utf8"),

        // nested types, nulls at every level
        ["array(integer)"] = new(Sig.Of("array", Sig.Of("integer")), "[1, null, 3]", new object?[] { 1, null, 3 }, typeof(object?[]), "array", "list<int32>"),
        ["array empty"] = new(Sig.Of("array", Sig.Of("integer")), "[]", Array.Empty<object?>(), typeof(object?[]), "array", "list<int32>"),
        ["array(array(varchar))"] = new(Sig.Of("array", Sig.Of("array", Varchar)), "[[\"a\", null], null, []]",
            new object?[] { new object?[] { "a", null }, null, Array.Empty<object?>() }, typeof(object?[]), "array", "list<list<utf8>>"),
        ["array(timestamp(3))"] = new(Sig.Of("array", Sig.Of("timestamp", 3L)), "[\"2024-01-02 03:04:05.123\"]", new object?[] { At(1_230_000) }, typeof(object?[]), "array", "list<timestamp[us]>"),
        ["map(varchar, bigint)"] = new(Sig.Of("map", Varchar, Sig.Of("bigint")), "{\"a\": 1, \"b\": null}",
            new Dictionary<object, object?> { ["a"] = 1L, ["b"] = null }, typeof(Dictionary<object, object?>), "object", "map<utf8, int64>"),
        ["map(integer, varchar)"] = new(Sig.Of("map", Sig.Of("integer"), Varchar), "{\"1\": \"x\", \"-2\": \"y\"}",
            new Dictionary<object, object?> { [1] = "x", [-2] = "y" }, typeof(Dictionary<object, object?>), "object", "map<int32, utf8>"),
        ["map(date, double)"] = new(Sig.Of("map", Sig.Of("date"), Sig.Of("double")), "{\"2024-01-02\": \"NaN\", \"2024-01-03\": 2.5}",
            new Dictionary<object, object?> { [new DateOnly(2024, 1, 2)] = double.NaN, [new DateOnly(2024, 1, 3)] = 2.5 }, typeof(Dictionary<object, object?>), "object", "map<date32, double>"),
        ["map(boolean, varchar)"] = new(Sig.Of("map", Sig.Of("boolean"), Varchar), "{\"true\": \"yes\", \"false\": \"no\"}",
            new Dictionary<object, object?> { [true] = "yes", [false] = "no" }, typeof(Dictionary<object, object?>), "object", "map<bool, utf8>"),
        ["map(decimal, varchar)"] = new(Sig.Of("map", Sig.Of("decimal", 5L, 2L), Varchar), "{\"1.50\": \"a\"}",
            new Dictionary<object, object?> { [1.50m] = "a" }, typeof(Dictionary<object, object?>), "object", "map<decimal128(5,2), utf8>"),
        ["map escaped key"] = new(Sig.Of("map", Varchar, Sig.Of("integer")), "{\"a\\\"b\": 1}",
            new Dictionary<object, object?> { ["a\"b"] = 1 }, typeof(Dictionary<object, object?>), "object", "map<utf8, int32>"),
        ["row(a integer, b varchar)"] = new(Sig.Of("row", Sig.Field("a", Sig.Of("integer")), Sig.Field("b", Varchar)), "[1, \"x\"]",
            new TrinoRow(["a", "b"], [1, "x"]), typeof(TrinoRow), "object", "struct<a: int32, b: utf8>"),
        ["row anonymous"] = new(Sig.Of("row", Sig.Field(null, Sig.Of("integer")), Sig.Field(null, Sig.Of("double"))), "[null, 2.5]",
            new TrinoRow([null, null], [null, 2.5]), typeof(TrinoRow), "object", "struct<field0: int32, field1: double>"),
        ["row nested"] = new(Sig.Of("row", Sig.Field("id", Sig.Of("bigint")), Sig.Field("tags", Sig.Of("map", Varchar, Sig.Of("array", Sig.Of("row", Sig.Field("x", Sig.Of("double")), Sig.Field("at", Sig.Of("date"))))))),
            "[7, {\"k\": [[1.5, \"2024-01-02\"], null, [null, null]], \"n\": null}]",
            new TrinoRow(["id", "tags"], [7L, new Dictionary<object, object?>
            {
                ["k"] = new object?[] { new TrinoRow(["x", "at"], [1.5, new DateOnly(2024, 1, 2)]), null, new TrinoRow(["x", "at"], [null, null]) },
                ["n"] = null,
            }]),
            typeof(TrinoRow), "object", "struct<id: int64, tags: map<utf8, list<struct<x: double, at: date32>>>>"),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    internal static Case CaseNamed(string name) => Cases[name];

    private static object? Decode(TrinoType type, string json)
    {
        // The value between two others, to show Read stops on the value's last token.
        var bytes = Encoding.UTF8.GetBytes($"[\"before\", {json}, \"after\"]");
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        reader.Read();
        reader.Read();
        var value = type.Read(ref reader);
        Assert.True(reader.Read());
        Assert.Equal("after", reader.GetString());
        return value;
    }

    private static TrinoType Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return TrinoType.Parse(doc.RootElement);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_value_in_a_Trino_signature_column_decodes_to_its_reference(string name)
    {
        var c = Cases[name];
        var type = Parse(c.Signature.Trino());
        ExpectedValues.AssertSame(c.Expected, Decode(type, c.Json));
        Assert.Equal(c.Clr, type.ClrType);
        Assert.Equal(c.TableSchema, type.TableSchemaType);
        Assert.Contains(type.TableSchemaType, TableSchemaTypes.All);
        Assert.Equal(c.Arrow, Describe(type.ArrowType));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_value_in_a_Presto_signature_column_decodes_to_its_reference(string name)
    {
        var c = Cases[name];
        var type = Parse(c.Signature.Presto());
        ExpectedValues.AssertSame(c.Expected, Decode(type, c.Json));
        Assert.Equal(c.Clr, type.ClrType);
        Assert.Equal(c.TableSchema, type.TableSchemaType);
        Assert.Equal(c.Arrow, Describe(type.ArrowType));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Null_decodes_to_null_for_every_type(string name)
    {
        Assert.Null(Decode(Parse(Cases[name].Signature.Trino()), "null"));
    }

    [Fact]
    public void A_decimal_keeps_the_scale_it_was_sent_with()
    {
        var value = Decode(TrinoType.Parse("decimal(10,2)"), "\"12.30\"");
        Assert.Equal("12.30", ((decimal)value!).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_map_keeps_the_order_the_server_sent()
    {
        var map = (Dictionary<object, object?>)Decode(TrinoType.Parse("map(varchar, integer)"), "{\"z\": 1, \"a\": 2, \"m\": 3}")!;
        Assert.Equal(["z", "a", "m"], map.Keys);
    }

    [Fact]
    public void A_row_reads_by_index_and_by_name_and_anonymous_fields_by_position()
    {
        var row = (TrinoRow)Decode(TrinoType.Parse("row(id bigint, varchar, \"two words\" double)"), "[1, \"x\", 2.5]")!;
        Assert.Equal(1L, row[0]);
        Assert.Equal(1L, row["id"]);
        Assert.Equal("x", row["field1"]);
        Assert.Equal(2.5, row["two words"]);
        Assert.False(row.IsNamed(1));
        Assert.Throws<KeyNotFoundException>(() => row["nope"]);
    }

    public static TheoryData<string, string> BadValues => new()
    {
        { "bigint", "\"12x\"" },
        { "bigint", "9223372036854775808" },
        { "integer", "2147483648" },
        { "tinyint", "128" },
        { "boolean", "\"yes\"" },
        { "double", "\"1,5\"" },
        { "decimal(10,2)", "\"1.2.3\"" },
        { "date", "\"2024-02-30\"" },
        { "date", "\"2024-1-2\"" },
        { "time(3)", "\"25:00:00.000\"" },
        { "timestamp(3)", "\"2024-01-02T03:04:05.123\"" },
        { "timestamp(3) with time zone", "\"2024-01-02 03:04:05.123 Nowhere/Special\"" },
        { "timestamp(3) with time zone", "\"2024-01-02 03:04:05.123\"" },
        { "interval day to second", "\"3 days\"" },
        { "interval year to month", "\"1-12\"" },
        { "uuid", "\"not-a-uuid\"" },
        { "ipaddress", "\"10.0.0.300\"" },
        { "varbinary", "\"***\"" },
        { "array(integer)", "{\"a\": 1}" },
        { "map(integer, integer)", "{\"x\": 1}" },
        { "row(a integer, b integer)", "[1]" },
        { "row(a integer, b integer)", "[1, 2, 3]" },
        { "bigint", "[1]" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_value_that_is_not_of_its_type_is_a_format_error_naming_the_type(string type, string json)
    {
        var error = Assert.Throws<FormatException>(() => Decode(TrinoType.Parse(type), json));
        Assert.Contains(TrinoType.Parse(type).DisplayName, error.Message);
    }

    [Fact]
    public void A_value_split_across_buffer_segments_decodes_as_a_whole_one()
    {
        var type = TrinoType.Parse("row(t timestamp(3), d decimal(10,2), s varchar)");
        var json = Encoding.UTF8.GetBytes("[\"2024-01-02 03:04:05.123\", \"12.30\", \"a\\u00e9\"]");
        var first = new Segment(json.AsMemory(0, 12));
        var last = first.Append(json.AsMemory(12));
        var reader = new Utf8JsonReader(new System.Buffers.ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));
        reader.Read();
        var row = (TrinoRow)type.Read(ref reader)!;
        Assert.Equal(At(1_230_000), row["t"]);
        Assert.Equal(12.30m, row["d"]);
        Assert.Equal("aé", row["s"]);
    }

    private sealed class Segment : System.Buffers.ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }

    /// <summary>An Arrow type as a short text: <c>int64</c>, <c>decimal128(10,2)</c>, <c>timestamp[us, UTC]</c>, <c>list&lt;utf8&gt;</c>.</summary>
    internal static string Describe(IArrowType type) => type switch
    {
        Decimal128Type d => $"decimal128({d.Precision},{d.Scale})",
        TimestampType t => $"timestamp[{Unit(t.Unit)}{(t.Timezone is null ? "" : ", " + t.Timezone)}]",
        Time64Type t => $"time64[{Unit(t.Unit)}]",
        ListType l => $"list<{Describe(l.ValueDataType)}>",
        MapType m => $"map<{Describe(m.KeyField.DataType)}, {Describe(m.ValueField.DataType)}>",
        StructType s => "struct<" + string.Join(", ", s.Fields.Select(f => f.Name + ": " + Describe(f.DataType))) + ">",
        _ => type.Name,
    };

    private static string Unit(TimeUnit unit) => unit switch
    {
        TimeUnit.Microsecond => "us",
        TimeUnit.Nanosecond => "ns",
        TimeUnit.Millisecond => "ms",
        _ => "s",
    };
}
