using EdgeGovernor.Firmware.Feeds;

namespace EdgeGovernor.Firmware.Configuration;

/// <summary>
/// The market the rack trades in (object <c>market</c>): the interval its prices and the governor's plan are counted in.
/// The controller decides at every interval boundary with the policy at this interval; deferrable jobs, minimum on/off
/// times and the forecast all count in it. Checked by <see cref="MarketConfigValidator"/>.
/// </summary>
internal sealed class MarketConfig
{
    /// <summary>Minutes of one market interval: 5, 15 (default, the EU day-ahead market since 2025-10-01), 30 or 60.</summary>
    public int IntervalMinutes { get; set; } = 15;

    /// <summary>
    /// How long one price of <paramref name="feed"/> holds: <c>priceFeed.intervalSeconds</c> when set, else (0) the
    /// file's own for a CSV (the gap between its first rows) and the market interval for every other feed.
    /// </summary>
    public TimeSpan FeedInterval(PriceFeedConfig feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (feed.IntervalSeconds > 0)
        {
            return TimeSpan.FromSeconds(feed.IntervalSeconds);
        }
        return feed.Kind == "csv" && File.Exists(feed.CsvPath) ? CsvPriceFeed.DetectInterval(feed.CsvPath) : TimeSpan.FromMinutes(IntervalMinutes);
    }
}
