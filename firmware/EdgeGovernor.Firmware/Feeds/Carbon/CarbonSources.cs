using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;

namespace EdgeGovernor.Firmware.Feeds.Carbon;

/// <summary>Builds the configured carbon source (<c>carbon.kind</c>): the schedule, filled from a CSV series, or the HTTP feed that fills it.</summary>
internal static class CarbonSources
{
    /// <summary>Intensities accepted from an HTTP feed, g/kWh (the poller's bounds).</summary>
    private static PriceValidator Bounds() => new(0, CarbonCsv.MaxGramsPerKwh);

    /// <summary>
    /// The schedule of <paramref name="c"/>; a csv series is loaded into it now on <paramref name="market"/> (the price
    /// feed's replay clock); for http the feed to poll (read with unit ct/kWh, i.e. the number as is, in g/kWh), else null.
    /// </summary>
    public static (CarbonSchedule Schedule, IPriceFeed? Feed) Create(CarbonConfig c, MarketClock market, Logger log)
    {
        ArgumentNullException.ThrowIfNull(c);
        var schedule = new CarbonSchedule(c.DefaultKgPerKwh);
        var interval = TimeSpan.FromSeconds(c.IntervalSeconds);
        switch (c.Kind)
        {
            case "csv":
                List<CarbonReading> readings = CarbonCsv.Load(c.CsvPath, c.CsvColumn, interval, log);
                schedule.Load(readings, market);
                log.Info($"carbon: {readings.Count} intensities from {Path.GetFileName(c.CsvPath)}, {readings[0].Start:yyyy-MM-dd HH:mm} to {readings[^1].End:yyyy-MM-dd HH:mm}");
                return (schedule, null);
            case "http":
                return (schedule, new HttpJsonPriceFeed(new Uri(c.Url), c.IntensityField, c.StartField, "ct/kWh", interval,
                    TimeSpan.FromSeconds(c.RequestTimeoutSeconds), Bounds(), log));
            default:
                return (schedule, null);
        }
    }

    /// <summary>The poller of an HTTP carbon feed: every <c>carbon.pollSeconds</c>, one deadline per poll.</summary>
    public static FeedPoller Poller(CarbonConfig c, IPriceFeed feed, Logger log) =>
        new(feed, (long)(c.PollSeconds * 1e6), TimeSpan.FromSeconds(c.IntervalSeconds), TimeSpan.Zero, Bounds(), log,
            (long)((c.RequestTimeoutSeconds + 1) * 1e6));
}
