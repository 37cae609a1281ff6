using System.Globalization;
using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Feeds.Entsoe;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;

namespace EdgeGovernor.Firmware.Feeds;

/// <summary>Builds the configured price feed (<c>priceFeed.kind</c>) and the market clock its prices are read on.</summary>
internal static class PriceFeedFactory
{
    /// <summary>
    /// The deadline of one whole poll (HTTP: headers and body): <c>priceFeed.pollSeconds</c> clamped to 1..10 s; for
    /// entsoe the request's own deadline (<c>priceFeed.entsoe.requestTimeoutSeconds</c>) plus one second.
    /// </summary>
    public static TimeSpan PollTimeout(PriceFeedConfig f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return f.Kind == "entsoe"
            ? TimeSpan.FromSeconds(f.Entsoe.RequestTimeoutSeconds + 1)
            : TimeSpan.FromSeconds(Math.Min(10, Math.Max(1, f.PollSeconds)));
    }

    /// <summary>
    /// The feed of <paramref name="config"/> and its market clock: csv and accelerated or replayed synthetic feeds
    /// run on <c>priceFeed.replayStart</c> / <c>replayEpochUnixMs</c> / <c>acceleration</c>; http and real-time
    /// synthetic feeds on UTC exactly; entsoe on UTC, or from <c>replayStart</c> (read as UTC) when one is given.
    /// </summary>
    public static (IPriceFeed Feed, MarketClock Clock) Create(FirmwareConfig config, PriceValidator validator, Logger log, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        PriceFeedConfig f = config.PriceFeed;
        TimeSpan interval = config.Market.FeedInterval(f);
        long epoch = f.ReplayEpochUnixMs > 0 ? f.ReplayEpochUnixMs : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        switch (f.Kind)
        {
            case "csv":
                {
                    CsvPriceFeed csv = CsvPriceFeed.Load(f.CsvPath, interval, validator, log);
                    DateTime start = f.ReplayStart.Length > 0 ? DateTime.Parse(f.ReplayStart, CultureInfo.InvariantCulture) : csv.Quotes[0].IntervalStart;
                    return (csv, new MarketClock(start, epoch, f.Acceleration));
                }
            case "http":
                return (new HttpJsonPriceFeed(new Uri(f.Url), f.PriceField, f.StartField, f.Unit, interval, PollTimeout(f), validator, log),
                    new MarketClock(DateTime.UnixEpoch, 0, 1));
            case "entsoe":
                {
                    var feed = new EntsoePriceFeed(f.Entsoe, interval, validator, log, random ?? new Hosting.SystemRandom());
                    MarketClock clock = f.ReplayStart.Length == 0 && f.Acceleration == 1
                        ? new MarketClock(DateTime.UnixEpoch, 0, 1)
                        : new MarketClock(f.ReplayStart.Length > 0 ? DateTime.Parse(f.ReplayStart, CultureInfo.InvariantCulture) : DateTime.UtcNow, epoch, f.Acceleration);
                    return (feed, clock);
                }
            default:
                {
                    var feed = new SyntheticPriceFeed(f.Seed, interval);
                    if (f.ReplayStart.Length == 0 && f.Acceleration == 1)
                    {
                        return (feed, new MarketClock(DateTime.UnixEpoch, 0, 1)); // real time: market time is UTC, exactly
                    }
                    DateTime start = f.ReplayStart.Length > 0 ? DateTime.Parse(f.ReplayStart, CultureInfo.InvariantCulture) : DateTime.UtcNow.Date;
                    return (feed, new MarketClock(start, epoch, f.Acceleration));
                }
        }
    }
}
