using EdgeGovernor.Firmware.Control;
using EdgeGovernor.Firmware.Feeds;
using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// The control step every <c>timers.controlPeriodMs</c>, the first at once: the rack gets the carbon intensity in force
/// and per market interval ahead (<see cref="CarbonSchedule"/>, <see cref="RackController.SetCarbon"/>), then
/// (<see cref="RackController.Step"/>) the market interval (market ticks / interval ticks, <c>market.intervalMinutes</c>),
/// the price in force (NaN: the safe policy) and the upcoming prices per interval, then the cluster gets the rack's load
/// and headroom (<see cref="ClusterNode.SetLoad"/>). Allocation-free.
/// </summary>
internal sealed class RackStepDuty : IDuty
{
    private readonly ClusterNode _cluster;
    private readonly RackController _rack;
    private readonly PriceSchedule _schedule;
    private readonly CarbonSchedule _carbon;
    private readonly MarketClock _market;
    private readonly long _periodUs;
    private readonly long _intervalTicks;
    private readonly double[] _carbonAhead;
    private long _nextUs;
    private long _lastUs;
    private long _carbonInterval = long.MinValue;
    private long _carbonReceived = -1;
    private int _carbonKnown;

    /// <summary>Creates the duty; the first step is due at <paramref name="firstUs"/>.</summary>
    public RackStepDuty(ClusterNode cluster, RackController rack, PriceSchedule schedule, CarbonSchedule carbon, MarketClock market, long periodUs, long firstUs)
    {
        _cluster = cluster;
        _rack = rack;
        _schedule = schedule;
        _carbon = carbon;
        _market = market;
        _periodUs = periodUs;
        _nextUs = _lastUs = firstUs;
        _intervalTicks = rack.Spec.IntervalMinutes * TimeSpan.TicksPerMinute;
        _carbonAhead = new double[rack.DayAheadIntervals];
        CarbonKgPerKwh = carbon.DefaultKgPerKwh;
    }

    /// <summary>The carbon intensity the last step booked at, kg CO2 per kWh.</summary>
    public double CarbonKgPerKwh { get; private set; }

    /// <inheritdoc/>
    public long DueUs(long nowUs) => _nextUs;

    /// <inheritdoc/>
    public void Run(long nowUs)
    {
        double wallSeconds = (nowUs - _lastUs) / 1e6;
        DateTime now = _market.Now;
        long interval = now.Ticks / _intervalTicks;
        double price = _schedule.PriceCtPerKwh;
        long unixMs = _cluster.UnixMs(nowUs);
        ReadOnlySpan<double> upcoming = _schedule.Upcoming(_cluster.Log, interval, unixMs);
        // The period that just passed is booked at the intensity in force at its end (readings last an interval or more);
        // the governor sees the intensities of this and the coming intervals, read again per interval or new reading.
        CarbonKgPerKwh = _carbon.IntensityAt(unixMs);
        if (interval != _carbonInterval || _carbon.Received != _carbonReceived)
        {
            _carbonInterval = interval;
            _carbonReceived = _carbon.Received;
            long startMs = _market.UnixMsAt(new DateTime(interval * _intervalTicks, now.Kind));
            long stepMs = Math.Max(1, (long)Math.Round(_market.WallMilliseconds(TimeSpan.FromTicks(_intervalTicks))));
            _carbonKnown = _carbon.Ahead(startMs, stepMs, _carbonAhead);
        }
        _rack.SetCarbon(CarbonKgPerKwh, _carbonAhead.AsSpan(0, _carbonKnown));
        _rack.Step(interval, now.TimeOfDay.TotalHours, price, upcoming, wallSeconds, wallSeconds * _market.Acceleration);
        ref readonly RackReading r = ref _rack.Reading;
        double budget = _rack.BudgetWatts;
        _cluster.SetLoad((ushort)Math.Clamp(r.PowerWatts / budget * 10_000, 0, 10_000), (uint)Math.Max(0, budget - r.PowerWatts));
        _lastUs = nowUs;
        _nextUs = nowUs + _periodUs;
    }
}
