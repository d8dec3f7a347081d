namespace KernelGateway.Platform.Metastore;

/// <summary>
/// The Frictionless Table Schema type of a column type as a SQL engine spells it (DuckDB, PostgreSQL, and the common
/// ANSI spellings Trino and Spark share). Trino's parametric spellings map by their base name: <c>varchar(25)</c>,
/// <c>decimal(12,2)</c>, <c>timestamp(3) with time zone</c> (the precision dropped), <c>array(integer)</c>,
/// <c>row(a integer)</c>, <c>map(varchar, bigint)</c>, <c>interval day to second</c>. KernelGateway.Formatting maps .NET types, not type names, and Platform does
/// not reference Formatting (DESIGN's dependency direction), so the names mapping lives here; the result uses the
/// names of <c>KernelGateway.Formatting.Tabular.TableSchemaTypes</c>.
/// </summary>
internal static class SqlTypeNames
{
    public static string TableSchemaType(string engineType)
    {
        var t = engineType.Trim().ToLowerInvariant();
        if (t.EndsWith(']') || t.StartsWith("array", StringComparison.Ordinal) || t.StartsWith("list", StringComparison.Ordinal)) return "array";
        if (t.StartsWith("struct", StringComparison.Ordinal) || t.StartsWith("map", StringComparison.Ordinal) || t.StartsWith("row(", StringComparison.Ordinal)
            || t.StartsWith("union", StringComparison.Ordinal) || t is "json" or "jsonb" or "variant") return "object";
        var paren = t.IndexOf('(');
        var baseName = (paren < 0 ? t : t[..paren].TrimEnd() + t[(t.IndexOf(')') + 1)..]).Trim();
        return baseName switch
        {
            "boolean" or "bool" => "boolean",
            "tinyint" or "smallint" or "integer" or "int" or "bigint" or "hugeint" or "int1" or "int2" or "int4" or "int8" or "int16" or "int32" or "int64" or "int128"
                or "utinyint" or "usmallint" or "uinteger" or "ubigint" or "uhugeint" or "smallserial" or "serial" or "bigserial"
                or "byte" or "short" or "long" => "integer",
            "real" or "float" or "float4" or "float8" or "double" or "double precision" or "decimal" or "numeric" or "number" or "money" => "number",
            "date" => "date",
            "time" or "timetz" or "time with time zone" or "time without time zone" => "time",
            "timestamp" or "timestamptz" or "datetime" or "timestamp with time zone" or "timestamp without time zone"
                or "timestamp_s" or "timestamp_ms" or "timestamp_ns" or "timestamp_ntz" or "timestamp_ltz" => "datetime",
            "interval" => "duration",
            _ when baseName.StartsWith("interval", StringComparison.Ordinal) => "duration",
            _ => "string", // varchar, text, char, uuid, blob, bytea, bit, inet, enums, unknown types
        };
    }
}
