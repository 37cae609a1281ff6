using System.Globalization;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Looks at the price in force (<see cref="PriceSchedule.Refresh"/>) when a record arrived or the coordinator
/// changed, when the record in force expires, and before every control step; logs a price applied and a price lost.
/// </summary>
internal sealed class PriceDuty(ClusterNode cluster, PriceSchedule schedule, IDuty control, MarketClock market, string safePolicyMode, Logger log) : IDuty
{
    /// <inheritdoc/>
    public long DueUs(long nowUs) => schedule.IsDirty ? long.MinValue : Math.Min(schedule.NextCheckUs, control.DueUs(nowUs));

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
        long unixMs = cluster.UnixMs(nowUs);
        switch (schedule.Refresh(cluster.Log, nowUs, unixMs))
        {
            case PriceChange.Applied:
                PriceRecord record = schedule.InForce;
                log.Info(string.Create(CultureInfo.InvariantCulture,
                    $"applied price index={record.Index} term={record.Term} start_ms={record.IntervalStartMs} price_e4={record.PriceE4} at_ms={unixMs} ({record.CentsPerKWh:0.####} ct/kWh for market {market.At(record.IntervalStartMs):yyyy-MM-dd HH:mm})"));
                break;
            case PriceChange.Lost:
                log.Warning($"price is {(schedule.Status == PriceStatus.Stale ? "stale" : "missing")}: safe policy ({safePolicyMode}) in force");
                break;
        }
    }
}
