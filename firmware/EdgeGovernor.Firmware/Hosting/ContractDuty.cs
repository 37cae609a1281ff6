using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Runs the load contracts every <c>periodUs</c> (<see cref="ContractHost.Step"/>): the prices of the next 24 market
/// hours from the <see cref="PriceSchedule"/> (each hour the mean of its market intervals' prices, the one in force first; ct/kWh to the run's currency
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
        // The contracts plan in market hours; the schedule holds market intervals (15 minutes by default): an hour's
        // price is the mean of the prices its intervals hold, the hour in force starting with the price in force.
        long ticks = market.At(unixMs).Ticks;
        long interval = ticks / schedule.IntervalTicks;
        int perHour = (int)Math.Max(1, TimeSpan.TicksPerHour / schedule.IntervalTicks);
        long firstOfHour = ticks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour / schedule.IntervalTicks - interval; // <= 0
        ReadOnlySpan<double> upcoming = schedule.Upcoming(cluster.Log, interval, unixMs); // ct/kWh per market interval from this one
        for (int h = 0; h < _prices.Length; h++)
        {
            double sum = 0;
            int n = 0;
            for (long i = Math.Max(0, firstOfHour + ((long)h * perHour)); i < firstOfHour + ((long)(h + 1) * perHour) && i < upcoming.Length; i++)
            {
                double ct = i == 0 && !double.IsNaN(schedule.PriceCtPerKwh) ? schedule.PriceCtPerKwh : upcoming[(int)i];
                if (!double.IsNaN(ct))
                {
                    sum += ct;
                    n++;
                }
            }
            _prices[h] = n == 0 ? double.NaN : sum / n / 100;
        }
        host.Step(nowUs, unixMs, _prices, decide: true);
        _nextUs = nowUs + periodUs;
    }
}
