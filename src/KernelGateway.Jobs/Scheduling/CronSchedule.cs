using Cronos;
using KernelGateway.Jobs.Model;

namespace KernelGateway.Jobs.Scheduling;

/// <summary>
/// A cron expression read in a time zone (Cronos). Five fields (minute hour day-of-month month day-of-week), or six
/// with seconds first; macros such as <c>@daily</c>. Across daylight saving changes it does what Cronos does: a time
/// that does not exist on the spring-forward day runs once at the moment the clocks jump to; a time that exists twice
/// on the fall-back day runs once, at its first instance (expressions with a step in the hour field run in both).
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        Zone = zone;
    }

    /// <summary>The time zone.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>Parses and checks a cron expression and a time zone id.</summary>
    /// <exception cref="JobException">Invalid: the expression or the zone is not understood; the message says which and why.</exception>
    public static CronSchedule Parse(string cron, string timeZone)
    {
        CronExpression expression;
        try
        {
            var fields = cron.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            expression = CronExpression.Parse(cron.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new JobException(JobError.Invalid, $"cron '{cron}': {e.Message}", e);
        }
        TimeZoneInfo zone;
        try { zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new JobException(JobError.Invalid, $"time zone '{timeZone}' is not known (use an IANA id such as Europe/Amsterdam or UTC)", e);
        }
        return new CronSchedule(expression, zone);
    }

    /// <summary>The occurrences after <paramref name="after"/> up to and including <paramref name="until"/>, in order.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until) =>
        until <= after ? [] : _expression.GetOccurrences(after.UtcDateTime, until.UtcDateTime, Zone, fromInclusive: false, toInclusive: true)
            .Select(t => new DateTimeOffset(t, TimeSpan.Zero));

    /// <summary>The first occurrence after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after.UtcDateTime, Zone, inclusive: false) is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
}
