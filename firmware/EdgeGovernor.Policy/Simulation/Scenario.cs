using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Planning;

namespace EdgeGovernor.Policy.Simulation;

/// <summary>
/// An evaluation scenario: a rack and series at the rack's market interval (<see cref="RackSpec.IntervalMinutes"/>).
/// Interval <c>t</c> of the scenario is absolute interval <c>StartInterval + t</c>, whose interval of the day is
/// <c>(StartInterval + t) % IntervalsPerDay</c>.
/// </summary>
public sealed class Scenario
{
    /// <summary>Creates a scenario and checks the series lengths.</summary>
    /// <param name="rack">The rack.</param>
    /// <param name="startInterval">Absolute interval of the first scenario interval (a multiple of the intervals per day starts at midnight).</param>
    /// <param name="intervals">Intervals to simulate.</param>
    /// <param name="pricesCentsPerKwh">Prices (c/kWh) for at least <paramref name="intervals"/> intervals; later entries serve only as published day-ahead prices.</param>
    /// <param name="demand">Interactive demand (fraction of full throughput) per interval, at least <paramref name="intervals"/> entries.</param>
    /// <param name="carbonGramsPerKwh">Carbon intensity per interval, or null for <see cref="DefaultCarbonGramsPerKwh"/>.</param>
    public Scenario(RackSpec rack, long startInterval, int intervals, double[] pricesCentsPerKwh, double[] demand, double[]? carbonGramsPerKwh = null)
    {
        if (startInterval < 0 || intervals < 1 || pricesCentsPerKwh.Length < intervals || demand.Length < intervals || (carbonGramsPerKwh is not null && carbonGramsPerKwh.Length < intervals))
        {
            throw new ArgumentException("every series must cover the scenario's intervals, and the start interval must be >= 0");
        }

        Rack = rack;
        StartInterval = startInterval;
        Intervals = intervals;
        Prices = pricesCentsPerKwh;
        Demand = demand;
        Carbon = carbonGramsPerKwh;
    }

    /// <summary>Default carbon intensity (g CO2/kWh) when no series is given.</summary>
    public const double DefaultCarbonGramsPerKwh = 429;

    /// <summary>The rack.</summary>
    public RackSpec Rack { get; }

    /// <summary>Absolute interval of scenario interval 0.</summary>
    public long StartInterval { get; }

    /// <summary>Intervals simulated.</summary>
    public int Intervals { get; }

    /// <summary>Prices (c/kWh), one per interval.</summary>
    public double[] Prices { get; }

    /// <summary>Interactive demand per interval (0..1).</summary>
    public double[] Demand { get; }

    /// <summary>Carbon intensity per interval (g/kWh), or null.</summary>
    public double[]? Carbon { get; }

    /// <summary>Hour of day (0..23) from which the next day's day-ahead prices are known (EPEX publishes about 12:45 CET).</summary>
    public int PublishHourOfDay { get; init; } = 13;

    /// <summary>Carbon intensity of scenario interval <paramref name="t"/> (g/kWh): the series, or the default factor.</summary>
    public double CarbonAt(int t) => Carbon is null ? DefaultCarbonGramsPerKwh : Carbon[t];

    /// <summary>The state every server starts in: up for long, no cycles, the day's job if released at the start interval.</summary>
    public CycleState InitialState(int server)
    {
        ServerEconomics e = Rack.Economics(server);
        var st = new CycleState(true, Math.Max(e.MinOnIntervals, e.MinOffIntervals), 0, 0);
        return ServerPlanner.ApplyEvents(StartInterval, st, e, out _);
    }

    /// <summary>Number of prices published at scenario interval <paramref name="t"/>, counted from <paramref name="t"/>: to the end of today, or of tomorrow from the publication hour on.</summary>
    public int PublishedFrom(int t)
    {
        int perDay = Rack.IntervalsPerDay;
        long abs = StartInterval + t;
        int ofDay = (int)(abs % perDay);
        int known = perDay - ofDay + (ofDay >= PublishHourOfDay * Rack.IntervalsPerHour ? perDay : 0);
        return Math.Min(known, Prices.Length - t);
    }
}
