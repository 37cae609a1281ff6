using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The control step every <c>timers.controlPeriodMs</c>, the first at once: the rack's ledger gets the carbon intensity in
/// force (<see cref="CarbonSchedule.IntensityAt"/>), the rack (<see cref="RackController.Step"/>) the market hour, the
/// price in force (NaN: the safe policy) and the upcoming prices, then the cluster gets the rack's load and headroom
/// (<see cref="ClusterNode.SetLoad"/>).
/// </summary>
internal sealed class RackStepDuty(ClusterNode cluster, RackController rack, PriceSchedule schedule, CarbonSchedule carbon, MarketClock market, long periodUs, long firstUs) : IDuty
{
    private long _nextUs = firstUs;
    private long _lastUs = firstUs;

    /// <summary>The carbon intensity the last step booked at, kg CO2 per kWh.</summary>
    public double CarbonKgPerKwh { get; private set; } = carbon.DefaultKgPerKwh;

    /// <inheritdoc/>
    public long DueUs(long nowUs) => _nextUs;

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
        double wallSeconds = (nowUs - _lastUs) / 1e6;
        DateTime now = market.Now;
        long hour = now.Ticks / TimeSpan.TicksPerHour;
        double price = schedule.PriceCtPerKwh;
        long unixMs = cluster.UnixMs(nowUs);
        ReadOnlySpan<double> upcoming = schedule.Upcoming(cluster.Log, hour, unixMs);
        // The period that just passed is booked at the intensity in force at its end (readings last an interval or more).
        CarbonKgPerKwh = carbon.IntensityAt(unixMs);
        rack.Ledger.IntensityKgPerKwh = CarbonKgPerKwh;
        rack.Step(hour, now.TimeOfDay.TotalHours, price, upcoming, wallSeconds, wallSeconds * market.Acceleration);
        ref readonly RackReading r = ref rack.Reading;
        double budget = rack.BudgetWatts;
        cluster.SetLoad((ushort)Math.Clamp(r.PowerWatts / budget * 10_000, 0, 10_000), (uint)Math.Max(0, budget - r.PowerWatts));
        _lastUs = nowUs;
        _nextUs = nowUs + periodUs;
    }
}
