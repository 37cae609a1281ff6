using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Runs the load contracts every <c>periodUs</c> (<see cref="ContractHost.Step"/>): the prices of the next 24 market
/// hours from the <see cref="PriceSchedule"/> (the hour's price in force, then the forecast; ct/kWh to the run's currency
/// per kWh), offers decided once per control period, and each partner sent this board's contract digest on the first
/// run and every <c>digestPeriodUs</c>. Runs after the control step, so the rack's queue is the one just stepped.
/// </summary>
internal sealed class ContractDuty(ContractHost host, ClusterNode cluster, PriceSchedule schedule, MarketClock market, long periodUs, long digestPeriodUs, long firstUs) : IDuty
{
    private readonly double[] _prices = new double[ContractRackWork.HorizonHours];
    private long _nextUs = firstUs;
    private long _nextDigestUs = firstUs;

    /// <inheritdoc/>
    public long DueUs(long nowUs) => _nextUs;

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
        long unixMs = cluster.UnixMs(nowUs);
        if (nowUs >= _nextDigestUs)
        {
            host.SendDigests(nowUs);
            _nextDigestUs = nowUs + digestPeriodUs;
        }
        long hour = market.At(unixMs).Ticks / TimeSpan.TicksPerHour;
        ReadOnlySpan<double> upcoming = schedule.Upcoming(cluster.Log, hour, unixMs); // ct/kWh per market hour from this one
        for (int h = 0; h < _prices.Length; h++)
        {
            double ct = h == 0 && !double.IsNaN(schedule.PriceCtPerKwh) ? schedule.PriceCtPerKwh : h < upcoming.Length ? upcoming[h] : double.NaN;
            _prices[h] = ct / 100;
        }
        host.Step(nowUs, unixMs, _prices, decide: true);
        _nextUs = nowUs + periodUs;
    }
}
