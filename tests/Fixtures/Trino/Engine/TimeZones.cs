namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>The session time zone (<c>X-Trino-Time-Zone</c>): how zoned timestamps are rendered.</summary>
internal static class TimeZones
{
    /// <summary>The zone and the name Trino prints after a value (UTC when none is given or it is unknown).</summary>
    public static (TimeZoneInfo Info, string Name) Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || id is "UTC" or "Z") return (TimeZoneInfo.Utc, "UTC");
        try
        {
            return (TimeZoneInfo.FindSystemTimeZoneById(id), id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return (TimeZoneInfo.Utc, "UTC");
        }
    }
}
