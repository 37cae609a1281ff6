using EdgeGovernor.Firmware.Feeds;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Polls this node's HTTP carbon-intensity feed every <c>carbon.pollSeconds</c> through a <see cref="FeedPoller"/> (never
/// waiting for it, one deadline per poll) and holds each reading in the <see cref="CarbonSchedule"/> (g/kWh from the
/// feed, kg/kWh held). Runs on every node, coordinator or not: carbon is not replicated.
/// </summary>
internal sealed class CarbonDuty(FeedPoller poller, MarketClock market, CarbonSchedule carbon) : IDuty
{
    /// <inheritdoc/>
    public long DueUs(long nowUs) => poller.HasCompleted ? long.MinValue : poller.IsPending ? Math.Min(poller.NextPollUs, nowUs + 5_000) : poller.NextPollUs;

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
        poller.Expire(nowUs);
        if (nowUs >= poller.NextPollUs)
        {
            poller.Poll(market.Now, nowUs);
        }
        while (poller.TryTake(out PriceQuote reading))
        {
            // The feed's number is in g/kWh (read with scale 1): kg/kWh held.
            carbon.Add(market.UnixMsAt(reading.IntervalStart), market.UnixMsAt(reading.IntervalEnd), reading.CtPerKwh / 1000.0);
        }
    }
}
