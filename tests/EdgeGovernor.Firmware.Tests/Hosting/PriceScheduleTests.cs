using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>The price in force and the forecast, on a price log and a market clock, without processes.</summary>
public sealed class PriceScheduleTests
{
    private const long Epoch = 1_715_817_600_000; // wall ms at which the market reads Day
    private const long HourMs = 3_600_000;
    private static readonly DateTime Day = new(2024, 5, 16);
    private static readonly long DayHour = Day.Ticks / TimeSpan.TicksPerHour;

    private static MarketClock RealTime() => new(Day, Epoch, 1, () => Epoch);

    private static PriceRecord Append(PriceLog log, ulong term, long startMs, long endMs, double ct, ushort source = 1)
    {
        Assert.Equal(PriceLogResult.Appended, log.AppendAsLeader(term, startMs, endMs, (int)Math.Round(ct * PriceRecord.UnitsPerCent), source, out PriceRecord r));
        return r;
    }

    [Fact]
    public void The_record_covering_now_is_in_force_until_its_end()
    {
        var log = new PriceLog();
        var schedule = new PriceSchedule(RealTime(), 48);
        Assert.True(schedule.IsDirty);
        Append(log, 1, Epoch, Epoch + HourMs, 12.5);

        long nowMs = Epoch + (10 * 60_000);
        Assert.Equal(PriceChange.Applied, schedule.Refresh(log, 5_000_000, nowMs));
        Assert.False(schedule.IsDirty);
        Assert.True(schedule.Fresh);
        Assert.Equal(PriceStatus.Fresh, schedule.Status);
        Assert.Equal(12.5, schedule.PriceCtPerKwh);
        Assert.Equal(1, schedule.Applied);
        Assert.Equal(0, schedule.StalenessSeconds(nowMs));
        Assert.Equal(5_000_000 + (50 * 60_000 * 1000L), schedule.NextCheckUs); // the record's end on the monotonic clock

        // Looking again changes nothing.
        Assert.Equal(PriceChange.None, schedule.Refresh(log, 6_000_000, nowMs + 1000));
        Assert.Equal(1, schedule.Applied);
    }

    [Fact]
    public void A_new_terms_reannouncement_is_not_a_new_price_but_a_correction_is()
    {
        var log = new PriceLog();
        var schedule = new PriceSchedule(RealTime(), 48);
        Append(log, 1, Epoch, Epoch + HourMs, 12.5);
        long nowMs = Epoch + 1000;
        Assert.Equal(PriceChange.Applied, schedule.Refresh(log, 0, nowMs));

        Assert.Equal(PriceLogResult.Appended, log.AppendTermStart(2, nowMs, out PriceRecord reannounced));
        Assert.Equal(2ul, reannounced.Term);
        schedule.LeadershipChanged();
        Assert.True(schedule.IsDirty);
        Assert.Equal(PriceChange.None, schedule.Refresh(log, 0, nowMs));
        Assert.Equal(1, schedule.Applied);
        Assert.Equal(2ul, schedule.InForce.Term);

        Append(log, 2, Epoch, Epoch + HourMs, 14);
        schedule.RecordHeld();
        Assert.Equal(PriceChange.Applied, schedule.Refresh(log, 0, nowMs));
        Assert.Equal(14, schedule.PriceCtPerKwh);
        Assert.Equal(2, schedule.Applied);
    }

    [Fact]
    public void An_expired_price_is_lost_and_the_staleness_grows()
    {
        var log = new PriceLog();
        var schedule = new PriceSchedule(RealTime(), 48);
        Assert.Equal(PriceChange.None, schedule.Refresh(log, 0, Epoch));
        Assert.Equal(PriceStatus.None, schedule.Status);
        Assert.False(schedule.Fresh);
        Assert.True(double.IsNaN(schedule.PriceCtPerKwh));
        Assert.Equal(long.MaxValue, schedule.NextCheckUs);
        Assert.Equal(0, schedule.StalenessSeconds(Epoch + HourMs)); // nothing ever held: not stale, missing

        Append(log, 1, Epoch, Epoch + HourMs, 9);
        Assert.Equal(PriceChange.Applied, schedule.Refresh(log, 0, Epoch + 1));
        Assert.Equal(PriceChange.Lost, schedule.Refresh(log, 0, Epoch + HourMs));
        Assert.Equal(PriceStatus.Stale, schedule.Status);
        Assert.False(schedule.Fresh);
        Assert.True(double.IsNaN(schedule.PriceCtPerKwh));
        Assert.Equal(long.MaxValue, schedule.NextCheckUs);
        Assert.Equal(90, schedule.StalenessSeconds(Epoch + HourMs + 90_000));
        Assert.Equal(PriceChange.None, schedule.Refresh(log, 0, Epoch + HourMs + 5)); // lost once

        // The next interval's record brings a price back.
        Append(log, 1, Epoch + HourMs, Epoch + (2 * HourMs), 11);
        Assert.Equal(PriceChange.Applied, schedule.Refresh(log, 0, Epoch + HourMs + 10));
        Assert.Equal(11, schedule.PriceCtPerKwh);
    }

    [Fact]
    public void Upcoming_holds_the_newest_price_per_hour_ahead_and_ignores_expired_records()
    {
        var log = new PriceLog();
        var schedule = new PriceSchedule(RealTime(), 48);
        Append(log, 1, Epoch - HourMs, Epoch, 99);                       // expired at now
        for (int h = 0; h < 4; h++)
        {
            Append(log, 1, Epoch + (h * HourMs), Epoch + ((h + 1) * HourMs), 10 + h);
        }
        Append(log, 1, Epoch + (2 * HourMs), Epoch + (3 * HourMs), 20); // correction of hour 2

        double[] upcoming = schedule.Upcoming(log, DayHour, Epoch).ToArray();
        Assert.Equal(48, upcoming.Length);
        Assert.Equal([10, 11, 20, 13], upcoming[..4]);
        Assert.All(upcoming[4..], p => Assert.True(double.IsNaN(p)));
        Assert.Equal(3, schedule.UpcomingHours);

        // An hour later hour 0 has expired and entry 0 is the next hour.
        double[] later = schedule.Upcoming(log, DayHour + 1, Epoch + HourMs).ToArray();
        Assert.Equal([11, 20, 13], later[..3]);
        Assert.True(double.IsNaN(later[3]));
        Assert.Equal(2, schedule.UpcomingHours);
    }

    [Fact]
    public void A_gap_ends_the_upcoming_hours_but_later_hours_stay_known()
    {
        var log = new PriceLog();
        var schedule = new PriceSchedule(RealTime(), 24);
        Append(log, 1, Epoch, Epoch + HourMs, 5);
        Append(log, 1, Epoch + HourMs, Epoch + (2 * HourMs), 6);
        Append(log, 1, Epoch + (3 * HourMs), Epoch + (4 * HourMs), 8);

        double[] upcoming = schedule.Upcoming(log, DayHour, Epoch).ToArray();
        Assert.Equal(5, upcoming[0]);
        Assert.Equal(6, upcoming[1]);
        Assert.True(double.IsNaN(upcoming[2]));
        Assert.Equal(8, upcoming[3]);
        Assert.Equal(1, schedule.UpcomingHours);
    }

    [Fact]
    public void Wall_milliseconds_round_to_the_market_hour_and_a_short_interval_counts_for_its_hour()
    {
        // One market day per minute: a market hour is 2.5 wall seconds, and wall ms blur its edges by up to 1440 market ms.
        var market = new MarketClock(Day, Epoch, 1440, () => Epoch);
        var log = new PriceLog();
        var schedule = new PriceSchedule(market, 24);
        const long WallHour = 2_500;
        Append(log, 1, Epoch + WallHour + 1, Epoch + (3 * WallHour) - 1, 7);             // hours 1 and 2, edges off by a ms
        Append(log, 1, Epoch + (5 * WallHour) + 250, Epoch + (5 * WallHour) + 750, 3);   // 05:06..05:18: 12 market minutes in hour 5

        double[] upcoming = schedule.Upcoming(log, DayHour, Epoch).ToArray();
        Assert.True(double.IsNaN(upcoming[0]));
        Assert.Equal(7, upcoming[1]);
        Assert.Equal(7, upcoming[2]);
        Assert.True(double.IsNaN(upcoming[3]));
        Assert.True(double.IsNaN(upcoming[4]));
        Assert.Equal(3, upcoming[5]);
        Assert.True(double.IsNaN(upcoming[6]));
    }

    [Fact]
    public void The_forecast_is_built_again_only_when_the_hour_changes_or_a_record_arrives()
    {
        var log = new PriceLog();
        var schedule = new PriceSchedule(RealTime(), 24);
        Append(log, 1, Epoch, Epoch + HourMs, 5);
        Assert.Equal(5, schedule.Upcoming(log, DayHour, Epoch)[0]);

        Append(log, 1, Epoch + HourMs, Epoch + (2 * HourMs), 6);
        Assert.True(double.IsNaN(schedule.Upcoming(log, DayHour, Epoch)[1])); // not told yet: the cached forecast holds
        schedule.RecordHeld();
        Assert.Equal(6, schedule.Upcoming(log, DayHour, Epoch)[1]);

        Append(log, 1, Epoch + (2 * HourMs), Epoch + (3 * HourMs), 7);
        schedule.Refresh(log, 0, Epoch);
        schedule.Published();
        Assert.False(schedule.IsDirty); // publishing alone does not ask for a refresh of the price in force
        Assert.Equal(7, schedule.Upcoming(log, DayHour, Epoch)[2]);
        Assert.Equal(2, schedule.UpcomingHours);
    }

    [Fact]
    public void At_15_minutes_an_hourly_price_fills_its_four_quarter_hours_and_quarter_hour_prices_one_each()
    {
        var log = new PriceLog();
        var schedule = new PriceSchedule(RealTime(), 192, intervalMinutes: 15);
        const long QuarterMs = HourMs / 4;
        Append(log, 1, Epoch, Epoch + HourMs, 5);                                      // hourly: quarter-hours 0..3
        Append(log, 1, Epoch + HourMs, Epoch + HourMs + QuarterMs, 6);                 // quarter-hour 4
        Append(log, 1, Epoch + HourMs + QuarterMs, Epoch + HourMs + (2 * QuarterMs), 7); // quarter-hour 5

        long quarter = Day.Ticks / (15 * TimeSpan.TicksPerMinute);
        double[] upcoming = schedule.Upcoming(log, quarter, Epoch).ToArray();
        Assert.Equal([5, 5, 5, 5, 6, 7], upcoming[..6]);
        Assert.True(double.IsNaN(upcoming[6]));
        Assert.Equal(5, schedule.UpcomingIntervals);
        Assert.Equal(1, schedule.UpcomingHours);

        // A quarter-hour later the forecast starts one entry on.
        Assert.Equal([5, 5, 5, 6, 7], schedule.Upcoming(log, quarter + 1, Epoch + QuarterMs)[..5].ToArray());
    }
}
