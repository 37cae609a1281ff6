using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Tests.Feeds;

/// <summary>
/// Prices at the market interval (5, 15, 30, 60 minutes) through feed, poller, price log and <see cref="PriceSchedule"/>,
/// with the real 15-minute file <c>../shared/data/prices/DE-LU_2025-10_15min.csv</c> and its 100-quarter-hour clock-change day.
/// </summary>
public sealed class QuarterHourTests
{
    private static readonly string QuarterHourFile = RepoPaths.SharedDataFile("prices", "DE-LU_2025-10_15min.csv");

    private static Logger Quiet() => new("t", LogLevel.Error, new StringWriter());

    private static DateTime Utc(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0);

    // What FeedDuty does as coordinator: each quote into the log, interval times on the wall clock.
    private static void Publish(PriceLog log, MarketClock market, IEnumerable<PriceQuote> quotes)
    {
        foreach (PriceQuote q in quotes)
        {
            int e4 = (int)Math.Round(q.CtPerKwh * PriceRecord.UnitsPerCent, MidpointRounding.AwayFromZero);
            PriceLogResult result = log.AppendAsLeader(1, market.UnixMsAt(q.IntervalStart), market.UnixMsAt(q.IntervalEnd), e4, 2, out _);
            Assert.True(result is PriceLogResult.Appended or PriceLogResult.Duplicate, result.ToString());
        }
    }

    [Fact]
    public void The_15_minute_file_is_read_with_its_offsets_as_UTC_and_its_clock_change_day_has_100_quarter_hours()
    {
        var validator = new PriceValidator(-50, 400);
        CsvPriceFeed feed = CsvPriceFeed.Load(QuarterHourFile, TimeSpan.FromMinutes(15), validator, Quiet());
        Assert.Equal(1924, feed.Quotes.Count);
        Assert.Equal(0, validator.RejectedTotal);
        Assert.Equal(TimeSpan.FromMinutes(15), CsvPriceFeed.DetectInterval(QuarterHourFile));
        Assert.Equal(TimeSpan.FromHours(1), CsvPriceFeed.DetectInterval(RepoPaths.SharedDataFile("prices", "DE-LU_2024.csv")));
        Assert.Equal(Utc(2025, 10, 6, 22, 0), feed.Quotes[0].IntervalStart); // 2025-10-07 00:00+02:00
        // Local day 2025-10-26 (CEST -> CET) is 22:00Z..23:00Z next day: 100 quarter-hours, no overlap, no gap.
        PriceQuote[] day = [.. feed.Quotes.Where(q => q.IntervalStart >= Utc(2025, 10, 25, 22, 0) && q.IntervalStart < Utc(2025, 10, 26, 23, 0))];
        Assert.Equal(100, day.Length);
        Assert.All(day.Zip(day.Skip(1)), p => Assert.Equal(p.First.IntervalEnd, p.Second.IntervalStart));
        // The repeated hour: 02:45+02:00 (00:45Z) at 2.4, then 02:00+01:00 (01:00Z) at 2.89 EUR/MWh.
        Assert.Equal(0.24, feed.At(Utc(2025, 10, 26, 0, 50))!.Value.CtPerKwh, 6);
        Assert.Equal(0.289, feed.At(Utc(2025, 10, 26, 1, 5))!.Value.CtPerKwh, 6);
        // 2025-10-21 is missing from the file: no price, the safe policy's case.
        Assert.Null(feed.At(Utc(2025, 10, 21, 12, 0)));
    }

    [Fact]
    public void A_15_minute_file_read_as_hourly_is_refused_naming_the_line_and_the_setting()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvPriceFeed.Load(QuarterHourFile, TimeSpan.FromHours(1), new PriceValidator(-50, 400), Quiet()));
        Assert.Contains("DE-LU_2025-10_15min.csv line 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("intervalSeconds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quarter_hours_of_the_clock_change_day_flow_unchanged_from_feed_to_log_to_the_price_in_force()
    {
        var validator = new PriceValidator(-50, 400);
        CsvPriceFeed feed = CsvPriceFeed.Load(QuarterHourFile, TimeSpan.FromMinutes(15), validator, Quiet());
        long clockMs = 0;
        var market = new MarketClock(DateTime.UnixEpoch, 0, 1, () => clockMs); // UTC market time, as the file is read
        var poller = new FeedPoller(feed, 1_000_000, TimeSpan.FromMinutes(15), TimeSpan.FromHours(25), validator, Quiet());
        DateTime start = Utc(2025, 10, 25, 22, 0);
        poller.Poll(start, 0);
        var quotes = new List<PriceQuote>();
        while (poller.TryTake(out PriceQuote q))
        {
            quotes.Add(q);
        }
        Assert.Equal(101, quotes.Count); // the 100 quarter-hours and the first of the next day (25 h ahead)

        var log = new PriceLog();
        Publish(log, market, quotes);
        var schedule = new PriceSchedule(market, 48);
        long us = 0;
        for (int i = 0; i < 100; i++)
        {
            PriceQuote expected = quotes[i];
            long mid = market.UnixMsAt(expected.IntervalStart) + (7 * 60_000) + 30_000;
            clockMs = mid;
            us += 1_000_000;
            Assert.Equal(PriceChange.Applied, schedule.Refresh(log, us, mid));
            Assert.Equal(market.UnixMsAt(expected.IntervalStart), schedule.InForce.IntervalStartMs);
            Assert.Equal(15 * 60_000, schedule.InForce.IntervalEndMs - schedule.InForce.IntervalStartMs);
            Assert.Equal(expected.CtPerKwh, schedule.PriceCtPerKwh, 4);
        }
        Assert.Equal(100, schedule.Applied);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(30)]
    [InlineData(60)]
    public void Synthetic_prices_at_any_market_interval_are_published_and_applied_interval_by_interval(int minutes)
    {
        var interval = TimeSpan.FromMinutes(minutes);
        using var feed = new SyntheticPriceFeed(42, interval);
        var validator = new PriceValidator(-50, 400);
        var market = new MarketClock(new DateTime(2024, 5, 16), 1_715_817_600_000, 1, () => 0);
        var poller = new FeedPoller(feed, 1_000_000, interval, TimeSpan.FromHours(2), validator, Quiet());
        DateTime now = new(2024, 5, 16, 10, 0, 0);
        poller.Poll(now, 0);
        var quotes = new List<PriceQuote>();
        while (poller.TryTake(out PriceQuote q))
        {
            quotes.Add(q);
        }
        Assert.Equal((120 / minutes) + 1, quotes.Count);
        Assert.All(quotes, q => Assert.Equal(interval, q.IntervalEnd - q.IntervalStart));

        var log = new PriceLog();
        Publish(log, market, quotes);
        var schedule = new PriceSchedule(market, 48);
        for (int i = 0; i < quotes.Count; i++)
        {
            long mid = market.UnixMsAt(quotes[i].IntervalStart) + ((long)interval.TotalMilliseconds / 2);
            schedule.Refresh(log, i + 1, mid);
            Assert.Equal(quotes[i].CtPerKwh, schedule.PriceCtPerKwh, 4);
            Assert.Equal((long)interval.TotalMilliseconds, schedule.InForce.IntervalEndMs - schedule.InForce.IntervalStartMs);
        }
    }
}
