using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The control step every <c>timers.controlPeriodMs</c>, the first at once: the rack (<see cref="RackController.Step"/>)
/// gets the market hour, the price in force (NaN: the safe policy) and the upcoming prices, then the cluster gets the
/// rack's load and headroom (<see cref="ClusterNode.SetLoad"/>).
/// </summary>
internal sealed class RackStepDuty(ClusterNode cluster, RackController rack, PriceSchedule schedule, MarketClock market, long periodUs, long firstUs) : IDuty
{
    private long _nextUs = firstUs;
    private long _lastUs = firstUs;

    /// <inheritdoc/>
    public long DueUs(long nowUs) => _nextUs;

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
        double wallSeconds = (nowUs - _lastUs) / 1e6;
        DateTime now = market.Now;
        long hour = now.Ticks / TimeSpan.TicksPerHour;
        double price = schedule.PriceCtPerKwh;
        ReadOnlySpan<double> upcoming = schedule.Upcoming(cluster.Log, hour, cluster.UnixMs(nowUs));
        rack.Step(hour, now.TimeOfDay.TotalHours, price, upcoming, wallSeconds, wallSeconds * market.Acceleration);
        ref readonly RackReading r = ref rack.Reading;
        double budget = rack.BudgetWatts;
        cluster.SetLoad((ushort)Math.Clamp(r.PowerWatts / budget * 10_000, 0, 10_000), (uint)Math.Max(0, budget - r.PowerWatts));
        _lastUs = nowUs;
        _nextUs = nowUs + periodUs;
    }
}
