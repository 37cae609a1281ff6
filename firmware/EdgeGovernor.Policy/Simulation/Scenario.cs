using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Planning;

namespace EdgeGovernor.Policy.Simulation;

/// <summary>
/// An evaluation scenario: a rack and hourly series. Hour <c>t</c> of the scenario is absolute hour
/// <c>StartHour + t</c>, whose hour of day is <c>(StartHour + t) % 24</c>.
/// </summary>
public sealed class Scenario
{
    /// <summary>Creates a scenario and checks the series lengths.</summary>
    /// <param name="rack">The rack.</param>
    /// <param name="startHour">Absolute hour of the first scenario hour (a multiple of 24 starts at midnight).</param>
    /// <param name="hours">Hours to simulate.</param>
    /// <param name="pricesCentsPerKwh">Prices (c/kWh) for at least <paramref name="hours"/> hours; later entries serve only as published day-ahead prices.</param>
    /// <param name="demand">Interactive demand (fraction of full throughput) per hour, at least <paramref name="hours"/> entries.</param>
    /// <param name="carbonGramsPerKwh">Carbon intensity per hour, or null for <see cref="DefaultCarbonGramsPerKwh"/>.</param>
    public Scenario(RackSpec rack, long startHour, int hours, double[] pricesCentsPerKwh, double[] demand, double[]? carbonGramsPerKwh = null)
    {
        if (startHour < 0 || hours < 1 || pricesCentsPerKwh.Length < hours || demand.Length < hours || (carbonGramsPerKwh is not null && carbonGramsPerKwh.Length < hours))
        {
            throw new ArgumentException("every series must cover the scenario's hours, and the start hour must be >= 0");
        }

        Rack = rack;
        StartHour = startHour;
        Hours = hours;
        Prices = pricesCentsPerKwh;
        Demand = demand;
        Carbon = carbonGramsPerKwh;
    }

    /// <summary>Default carbon intensity (g CO2/kWh) when no series is given.</summary>
    public const double DefaultCarbonGramsPerKwh = 429;

    /// <summary>The rack.</summary>
    public RackSpec Rack { get; }

    /// <summary>Absolute hour of scenario hour 0.</summary>
    public long StartHour { get; }

    /// <summary>Hours simulated.</summary>
    public int Hours { get; }

    /// <summary>Prices (c/kWh).</summary>
    public double[] Prices { get; }

    /// <summary>Interactive demand per hour (0..1).</summary>
    public double[] Demand { get; }

    /// <summary>Carbon intensity per hour (g/kWh), or null.</summary>
    public double[]? Carbon { get; }

    /// <summary>Hour of day (0..23) from which the next day's day-ahead prices are known (EPEX publishes about 12:45 CET).</summary>
    public int PublishHourOfDay { get; init; } = 13;

    /// <summary>The state every server starts in: up for long, no cycles, the day's job if released at the start hour.</summary>
    public CycleState InitialState(int server)
    {
        ServerSpec s = Rack.Servers[server];
        var st = new CycleState(true, Math.Max(s.MinOnHours, s.MinOffHours), 0, 0);
        return ServerPlanner.ApplyEvents(StartHour, st, Rack.Economics(server).Class, out _);
    }

    /// <summary>Number of prices published at scenario hour <paramref name="t"/>, counted from <paramref name="t"/>: to the end of today, or of tomorrow from the publication hour on.</summary>
    public int PublishedFrom(int t)
    {
        long abs = StartHour + t;
        int hod = (int)(abs % 24);
        int known = 24 - hod + (hod >= PublishHourOfDay ? 24 : 0);
        return Math.Min(known, Prices.Length - t);
    }
}
