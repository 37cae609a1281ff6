using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Tests.Hosting;

/// <summary>
/// The firmware boundary of the price log: records whose interval the market clock cannot read are ignored and counted
/// (never in force, forecast or logged), and <c>timers.priceGraceMs</c> keeps the last price in force past its end.
/// </summary>
public sealed class PriceScheduleBoundaryTests
{
    private const long Epoch = 1_715_817_600_000;
    private const long HourMs = 3_600_000;
    private static readonly DateTime Day = new(2024, 5, 16);

    private static MarketClock RealTime() => new(Day, Epoch, 1, () => Epoch);

    [Theory]
    [InlineData(Epoch, long.MaxValue)]          // end 2^63-1 ms
    [InlineData(long.MinValue, Epoch + HourMs)] // start -2^63 ms
    [InlineData(long.MinValue, long.MaxValue)]
    [InlineData(Epoch, Epoch + (8 * 24 * HourMs))] // readable, but longer than a week
    public void A_record_with_an_extreme_interval_is_ignored_and_counted_and_the_good_price_stays_in_force(long startMs, long endMs)
    {
        var log = new PriceLog();
        var schedule = new PriceSchedule(RealTime(), 48);
        Assert.Equal(PriceLogResult.Appended, log.AppendAsLeader(1, Epoch, Epoch + HourMs, 125_000, 1, out PriceRecord good));
        Assert.True(schedule.RecordHeld(good));

        // The protocol may refuse such a record itself; the schedule must survive it either way.
        var extreme = new PriceRecord(startMs, endMs, 990_000, 1, 1, 2);
        if (log.AppendAsLeader(1, startMs, endMs, 990_000, 1, out PriceRecord held) == PriceLogResult.Appended)
        {
            extreme = held;
        }
        Assert.False(schedule.IsPlausible(extreme));
        Assert.False(schedule.RecordHeld(extreme));
        Assert.Equal(1, schedule.Ignored);

        long nowMs = Epoch + 60_000;
        Assert.Equal(PriceChange.Applied, schedule.Refresh(log, 1_000_000, nowMs));
        Assert.Equal(12.5, schedule.PriceCtPerKwh);
        Assert.Equal(1_000_000 + ((HourMs - 60_000) * 1000), schedule.NextCheckUs);
        ReadOnlySpan<double> upcoming = schedule.Upcoming(log, Day.Ticks / TimeSpan.TicksPerHour, nowMs);
        Assert.Equal(12.5, upcoming[0]);
        Assert.True(double.IsNaN(upcoming[1]));
        Assert.Equal(0, schedule.StalenessSeconds(nowMs));
    }

    [Fact]
    public void Only_implausible_records_leave_no_price_in_force_and_nothing_throws()
    {
        var log = new PriceLog();
        var schedule = new PriceSchedule(RealTime(), 48);
        if (log.AppendAsLeader(1, long.MinValue, long.MaxValue, 990_000, 1, out PriceRecord r) == PriceLogResult.Appended)
        {
            Assert.False(schedule.RecordHeld(r));
        }
        Assert.Equal(PriceChange.None, schedule.Refresh(log, 0, Epoch));
        Assert.False(schedule.Fresh);
        Assert.Equal(long.MaxValue, schedule.NextCheckUs);
        Assert.True(double.IsNaN(schedule.Upcoming(log, Day.Ticks / TimeSpan.TicksPerHour, Epoch)[0]));
    }

    [Fact]
    public void Times_near_the_end_of_long_never_wrap_on_a_clock_that_reads_them()
    {
        var slow = new MarketClock(Day, Epoch, 1e-12, () => Epoch); // every wall time is a date on this clock
        var schedule = new PriceSchedule(slow, 48, graceMs: 86_400_000);
        var log = new PriceLog();
        const long End = long.MaxValue - 1;
        if (log.AppendAsLeader(1, End - HourMs, End, 125_000, 1, out PriceRecord r) != PriceLogResult.Appended)
        {
            return; // the protocol refuses such times itself
        }
        Assert.True(schedule.IsPlausible(r));
        Assert.Equal(PriceChange.Applied, schedule.Refresh(log, 5, End - 1000));
        Assert.Equal(5 + (1000 * 1000L), schedule.NextCheckUs);
        Assert.Equal(PriceChange.None, schedule.Refresh(log, 6, End)); // in its grace: the end plus the grace saturates
        Assert.True(schedule.Fresh);
        Assert.True(schedule.NextCheckUs >= 6);
        Assert.Equal(0, schedule.StalenessSeconds(End));
    }

    [Fact]
    public void The_market_clock_saturates_instead_of_throwing()
    {
        var clock = new MarketClock(Day, Epoch, 1000, () => Epoch);
        Assert.False(clock.TryAt(long.MaxValue, out DateTime late));
        Assert.Equal(DateTime.MaxValue.Ticks, late.Ticks);
        Assert.False(clock.TryAt(long.MinValue, out DateTime early));
        Assert.Equal(DateTime.MinValue.Ticks, early.Ticks);
        Assert.Equal(DateTime.MaxValue.Ticks, clock.At(long.MaxValue).Ticks);
        Assert.Equal(DateTime.MinValue.Ticks, clock.At(long.MinValue).Ticks);
        Assert.True(clock.TryAt(Epoch + 3_600, out DateTime inHour)); // 3.6 wall s = 1 market hour at x1000
        Assert.Equal(Day.AddHours(1), inHour);
        Assert.Equal(Epoch + 3_600, clock.UnixMsAt(Day.AddHours(1)));
        Assert.Equal(long.MaxValue, new MarketClock(Day, long.MaxValue - 10, 1e-6).UnixMsAt(DateTime.MaxValue));
        Assert.Equal(long.MinValue, new MarketClock(Day, long.MinValue + 10, 1e-6).UnixMsAt(DateTime.MinValue));
    }

    [Fact]
    public void A_price_stays_in_force_for_the_grace_after_its_end_unless_a_newer_one_starts()
    {
        const long GraceMs = 90_000;
        var log = new PriceLog();
        var schedule = new PriceSchedule(RealTime(), 48, GraceMs);
        Assert.Equal(PriceLogResult.Appended, log.AppendAsLeader(1, Epoch, Epoch + HourMs, 125_000, 1, out _));
        Assert.Equal(PriceChange.Applied, schedule.Refresh(log, 0, Epoch));
        Assert.Equal(HourMs * 1000, schedule.NextCheckUs); // looked at again when it ends: a next one may start then

        // 60 s past its end, within the 90 s grace: still in force, looked at again when the grace runs out.
        long endMs = Epoch + HourMs;
        Assert.Equal(PriceChange.None, schedule.Refresh(log, 1, endMs + 60_000));
        Assert.True(schedule.Fresh);
        Assert.Equal(12.5, schedule.PriceCtPerKwh);
        Assert.Equal(1 + (30_000 * 1000L), schedule.NextCheckUs);
        Assert.Equal(0, schedule.StalenessSeconds(endMs + 60_000));

        // Past the grace: lost; staleness counts from the end of the grace.
        Assert.Equal(PriceChange.Lost, schedule.Refresh(log, 2, endMs + GraceMs + 5_000));
        Assert.False(schedule.Fresh);
        Assert.Equal(5, schedule.StalenessSeconds(endMs + GraceMs + 5_000));

        // A newer record covering now wins over one in its grace.
        var log2 = new PriceLog();
        var schedule2 = new PriceSchedule(RealTime(), 48, GraceMs);
        Assert.Equal(PriceLogResult.Appended, log2.AppendAsLeader(1, Epoch, endMs, 125_000, 1, out _));
        Assert.Equal(PriceLogResult.Appended, log2.AppendAsLeader(1, endMs, endMs + HourMs, 200_000, 1, out _));
        schedule2.Refresh(log2, 0, endMs - 1);
        Assert.Equal(PriceChange.Applied, schedule2.Refresh(log2, 1, endMs + 10_000));
        Assert.Equal(20, schedule2.PriceCtPerKwh);

        // Without a grace (the default) the price is lost at its end.
        var schedule3 = new PriceSchedule(RealTime(), 48);
        schedule3.Refresh(log, 0, Epoch);
        Assert.Equal(PriceChange.Lost, schedule3.Refresh(log, 1, endMs));
    }
}
