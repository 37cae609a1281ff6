using System.Globalization;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The coordinator's price feed: starts a poll of <see cref="FeedPoller"/> every <c>priceFeed.pollSeconds</c> while
/// this node coordinates, and publishes every quote of a completed poll into the price log
/// (<see cref="ClusterNode.PublishPrice"/>, interval times on the wall clock). While a poll is under way the loop
/// looks for its result at least every 5 ms, and abandons it at its deadline (<see cref="FeedPoller.Expire"/>). A quote
/// whose publication throws is dropped and recorded in <see cref="HandlerFaults"/> (<c>where="feed"</c>).
/// </summary>
internal sealed class FeedDuty(ClusterNode cluster, FeedPoller poller, IPriceFeed feed, MarketClock market, PriceSchedule schedule, Logger log, HandlerFaults faults) : IDuty
{
    /// <summary>Records this node published as coordinator.</summary>
    public long Published { get; private set; }

    /// <summary>Polls abandoned at their deadline.</summary>
    public long Abandoned => poller.Abandoned;

    /// <inheritdoc/>
    public long DueUs(long nowUs)
    {
        long due = cluster.IsCoordinator ? poller.NextPollUs : long.MaxValue;
        return poller.HasCompleted ? long.MinValue : poller.IsPending ? Math.Min(due, nowUs + 5_000) : due;
    }

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
        poller.Expire(nowUs);
        if (cluster.IsCoordinator && nowUs >= poller.NextPollUs)
        {
            poller.Poll(market.Now, nowUs);
        }
        while (poller.TryTake(out PriceQuote quote))
        {
            try
            {
                Publish(quote, nowUs);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                faults.RecordFeed($"feed record {quote}", e);
            }
        }
    }

    private void Publish(PriceQuote q, long nowUs)
    {
        if (!cluster.IsCoordinator)
        {
            return;
        }
        int priceE4 = (int)Math.Round(q.CtPerKwh * PriceRecord.UnitsPerCent, MidpointRounding.AwayFromZero);
        PriceLogResult result = cluster.PublishPrice(market.UnixMsAt(q.IntervalStart), market.UnixMsAt(q.IntervalEnd), priceE4, feed.SourceId, nowUs);
        if (result == PriceLogResult.Appended)
        {
            Published++;
            schedule.Published();
            log.Info(string.Create(CultureInfo.InvariantCulture,
                $"published price index={cluster.Log.LastIndex} term={cluster.Election.CurrentTerm} at_ms={cluster.UnixMs(nowUs)} ({q})"));
        }
        else if (result != PriceLogResult.Duplicate)
        {
            log.Warning($"price {q} not published: {result}");
        }
    }
}
