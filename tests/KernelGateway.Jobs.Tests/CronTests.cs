using KernelGateway.Jobs.Model;
using KernelGateway.Jobs.Scheduling;

namespace KernelGateway.Jobs.Tests;

/// <summary>Cron in a time zone, across daylight saving changes (Europe/Amsterdam, 2026: spring forward 29 March, fall back 25 October).</summary>
public sealed class CronTests
{
    private static DateTimeOffset Utc(string s) => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_daily_0630_in_Amsterdam_is_0530_utc_in_winter_and_0430_in_summer()
    {
        var cron = CronSchedule.Parse("30 6 * * *", "Europe/Amsterdam");
        Assert.Equal([Utc("2026-01-10T05:30:00Z"), Utc("2026-07-10T04:30:00Z")],
            [cron.Next(Utc("2026-01-10T00:00:00Z"))!.Value, cron.Next(Utc("2026-07-10T00:00:00Z"))!.Value]);
    }

    [Fact]
    public void On_the_spring_forward_day_a_0230_job_runs_once_when_the_clocks_jump_to_0300()
    {
        var cron = CronSchedule.Parse("30 2 * * *", "Europe/Amsterdam");
        var runs = cron.Between(Utc("2026-03-27T12:00:00Z"), Utc("2026-03-31T12:00:00Z")).ToList();
        Assert.Equal([Utc("2026-03-28T01:30:00Z"), Utc("2026-03-29T01:00:00Z"), Utc("2026-03-30T00:30:00Z"), Utc("2026-03-31T00:30:00Z")], runs);
    }

    [Fact]
    public void On_the_fall_back_day_a_0230_job_runs_once_not_twice()
    {
        var cron = CronSchedule.Parse("30 2 * * *", "Europe/Amsterdam");
        var runs = cron.Between(Utc("2026-10-24T12:00:00Z"), Utc("2026-10-26T12:00:00Z")).ToList();
        Assert.Equal([Utc("2026-10-25T00:30:00Z"), Utc("2026-10-26T01:30:00Z")], runs);
    }

    [Theory]
    [InlineData("61 * * * *", "UTC", "cron '61 * * * *'")]
    [InlineData("0 6 * *", "UTC", "cron '0 6 * *'")]
    [InlineData("0 6 * * *", "Mars/Olympus", "time zone 'Mars/Olympus'")]
    public void A_bad_cron_or_zone_is_refused_naming_it(string cron, string zone, string named)
    {
        var e = Assert.Throws<JobException>(() => CronSchedule.Parse(cron, zone));
        Assert.Equal(JobError.Invalid, e.Error);
        Assert.Contains(named, e.Message);
    }
}
