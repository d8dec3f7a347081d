using System.Net;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// The decisions made once per type: its <see cref="TrinoKind"/> (how values decode), the CLR type of its values,
/// and its Frictionless Table Schema type.
/// </summary>
internal static class TrinoKinds
{
    /// <summary>
    /// Precision of datetime types and day-to-second intervals when the signature has none: servers without the
    /// parametric datetime capability send milliseconds.
    /// </summary>
    internal const int DefaultTemporalPrecision = 3;

    /// <summary>The largest decimal precision whose every value <see cref="decimal"/> holds exactly.</summary>
    internal const int MaxClrDecimalPrecision = 28;

    /// <summary>Fractional digits a <see cref="DateTime"/>, <see cref="TimeOnly"/> or <see cref="TimeSpan"/> tick holds.</summary>
    internal const int MaxTickPrecision = 7;

    public static TrinoKind Of(TrinoType type) => type.RawType switch
    {
        "boolean" => TrinoKind.Boolean,
        "tinyint" => TrinoKind.TinyInt,
        "smallint" => TrinoKind.SmallInt,
        "integer" => TrinoKind.Integer,
        "bigint" => TrinoKind.BigInt,
        "real" => TrinoKind.Real,
        "double" => TrinoKind.Double,
        "decimal" => (type.Precision ?? 38) <= MaxClrDecimalPrecision ? TrinoKind.Decimal : TrinoKind.DecimalText,
        "varchar" or "char" => TrinoKind.Varchar,
        "json" => TrinoKind.Json,
        "varbinary" or "hyperloglog" or "p4hyperloglog" or "qdigest" or "tdigest" or "setdigest" => TrinoKind.Binary,
        "date" => TrinoKind.Date,
        "time" => FitsTicks(type) ? TrinoKind.Time : TrinoKind.TimeText,
        "time with time zone" => FitsTicks(type) ? TrinoKind.TimeWithTimeZone : TrinoKind.TimeWithTimeZoneText,
        "timestamp" => FitsTicks(type) ? TrinoKind.Timestamp : TrinoKind.TimestampText,
        "timestamp with time zone" => FitsTicks(type) ? TrinoKind.TimestampWithTimeZone : TrinoKind.TimestampWithTimeZoneText,
        "interval day to second" => FitsTicks(type) ? TrinoKind.IntervalDayToSecond : TrinoKind.IntervalDayToSecondText,
        "interval year to month" => TrinoKind.IntervalYearToMonth,
        "uuid" => TrinoKind.Uuid,
        "ipaddress" => TrinoKind.IpAddress,
        "array" => TrinoKind.Array,
        "map" => TrinoKind.Map,
        "row" => TrinoKind.Row,
        _ => TrinoKind.Unknown,
    };

    private static bool FitsTicks(TrinoType type) => (type.Precision ?? DefaultTemporalPrecision) <= MaxTickPrecision;

    /// <summary>What decoding returns for a non-null value.</summary>
    public static Type ClrType(TrinoKind kind) => kind switch
    {
        TrinoKind.Boolean => typeof(bool),
        TrinoKind.TinyInt => typeof(sbyte),
        TrinoKind.SmallInt => typeof(short),
        TrinoKind.Integer => typeof(int),
        TrinoKind.BigInt => typeof(long),
        TrinoKind.Real => typeof(float),
        TrinoKind.Double => typeof(double),
        TrinoKind.Decimal => typeof(decimal),
        TrinoKind.Binary => typeof(byte[]),
        TrinoKind.Date => typeof(DateOnly),
        TrinoKind.Time => typeof(TimeOnly),
        TrinoKind.TimeWithTimeZone => typeof(TrinoTimeWithTimeZone),
        TrinoKind.Timestamp => typeof(DateTime),
        TrinoKind.TimestampWithTimeZone => typeof(DateTimeOffset),
        TrinoKind.IntervalDayToSecond => typeof(TimeSpan),
        TrinoKind.IntervalYearToMonth => typeof(TrinoYearMonthInterval),
        TrinoKind.Uuid => typeof(Guid),
        TrinoKind.IpAddress => typeof(IPAddress),
        TrinoKind.Array => typeof(object?[]),
        TrinoKind.Map => typeof(Dictionary<object, object?>),
        TrinoKind.Row => typeof(TrinoRow),
        _ => typeof(string), // varchar, char, json, the ...Text kinds, unknown types
    };

    /// <summary>The Frictionless Table Schema type (the names of <c>KernelGateway.Formatting.Tabular.TableSchemaTypes</c>).</summary>
    public static string TableSchemaType(TrinoKind kind) => kind switch
    {
        TrinoKind.Boolean => "boolean",
        TrinoKind.TinyInt or TrinoKind.SmallInt or TrinoKind.Integer or TrinoKind.BigInt => "integer",
        TrinoKind.Real or TrinoKind.Double or TrinoKind.Decimal or TrinoKind.DecimalText => "number",
        TrinoKind.Date => "date",
        TrinoKind.Time or TrinoKind.TimeText or TrinoKind.TimeWithTimeZone or TrinoKind.TimeWithTimeZoneText => "time",
        TrinoKind.Timestamp or TrinoKind.TimestampText or TrinoKind.TimestampWithTimeZone or TrinoKind.TimestampWithTimeZoneText => "datetime",
        TrinoKind.IntervalDayToSecond or TrinoKind.IntervalDayToSecondText or TrinoKind.IntervalYearToMonth => "duration",
        TrinoKind.Array => "array",
        TrinoKind.Map or TrinoKind.Row or TrinoKind.Json => "object",
        _ => "string", // varchar, char, varbinary (base64), uuid, ipaddress, unknown types
    };
}
