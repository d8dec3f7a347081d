namespace KernelGateway.Platform.Trino;

/// <summary>
/// How the values of a type are decoded, decided once when the type is parsed, so that decoding a value is one
/// switch on this byte. The <c>...Text</c> kinds are types whose values no CLR type holds exactly (a precision
/// beyond 100 ns, a decimal beyond 28 digits): their values stay the text the server sent.
/// </summary>
internal enum TrinoKind : byte
{
    Boolean,
    TinyInt,
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    Decimal,
    DecimalText,
    Varchar,
    Json,
    Binary,
    Date,
    Time,
    TimeText,
    TimeWithTimeZone,
    TimeWithTimeZoneText,
    Timestamp,
    TimestampText,
    TimestampWithTimeZone,
    TimestampWithTimeZoneText,
    IntervalDayToSecond,
    IntervalDayToSecondText,
    IntervalYearToMonth,
    Uuid,
    IpAddress,
    Array,
    Map,
    Row,
    Unknown,
}
