using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Policy.Tests.Simulation;

/// <summary>The ledger per rack and per server, checked by hand on a three-hour run.</summary>
public class AccountingTests
{
    /// <summary>Server 0 (interactive) at its maximum cap; server 1 (deferrable) never runs its job.</summary>
    private sealed class FixedPolicy(RackSpec rack) : IRackPolicy
    {
        public string Name => "fixed";

        public RackDecision Decide(scoped in PolicyInput input, Span<ServerSetpoint> setpoints)
        {
            setpoints[0].CapWatts = rack.Servers[0].CapMaxWatts;
            setpoints[1].CapWatts = rack.Servers[1].CapMinWatts;
            setpoints[1].RunDeferrable = false;
            return default;
        }
    }

    private static Scenario ThreeHours(double[]? carbon)
    {
        // Linear 100..200 W servers; fans 10 W + 0.1 W per IT W; budget far away.
        PowerCurve c = TestRacks.Linear(100, 200);
        JobClass web = JobClass.Interactive("web", 0.05, 1);
        JobClass batch = TestRacks.Batch(0.02, 1, 0, 2);
        var rack = new RackSpec([TestRacks.Server("w", c, 0), TestRacks.Server("b", c, 1)], [web, batch], 1e6, 1e6, 10, 0.1);
        return new Scenario(rack, 0, 3, [10, -5, 20], [0.5, 0.5, 0.5], carbon);
    }

    [Fact]
    public void Energy_cost_co2_work_and_misses_are_booked_per_rack_and_per_server()
    {
        // Each hour: server 0 does half its throughput at 150 W, server 1 idles at 100 W; IT 250 W,
        // fans 10 + 25 = 35 W, rack 285 W. Prices 10, -5, 20 c/kWh (sum 25); carbon 100, 200, 300 g/kWh.
        Scenario sc = ThreeHours([100, 200, 300]);
        Ledger l = RackSimulator.Run(sc, new FixedPolicy(sc.Rack));
        Assert.Equal(3, l.Intervals);
        Assert.Equal(0.855, l.EnergyKwh, 12);               // 3 x 0.285
        Assert.Equal(0.07125, l.CostEur, 12);               // 0.285 x 0.25
        Assert.Equal(0.171, l.Co2Kg, 12);                   // 0.285 x 0.6
        Assert.Equal(1.5, l.WorkUnits, 12);                 // 3 x 0.5 units
        Assert.Equal(0.075, l.ValueEur, 12);                // 1.5 x 0.05
        Assert.Equal(0.075 - 0.07125, l.NetValueEur, 12);
        Assert.Equal(1, l.DeadlinesMissed);                 // the job released at 00:00 is due at 02:00
        Assert.Equal(1, l.MissedUnits, 12);
        Assert.Equal(0.075 - 0.07125 - 5, l.ObjectiveEur, 12);
        Assert.Equal(285, l.PeakRackWatts, 9);

        Assert.Equal([0.45, 0.3], l.ServerEnergyKwh.Select(x => Math.Round(x, 12)));
        Assert.Equal([0.0375, 0.025], l.ServerCostEur.Select(x => Math.Round(x, 12)));
        Assert.Equal([0.09, 0.06], l.ServerCo2Kg.Select(x => Math.Round(x, 12)));
        Assert.Equal([1.5, 0], l.ServerWorkUnits.Select(x => Math.Round(x, 12)));
        Assert.Equal([0, 1], l.ServerDeadlinesMissed);

        // The fans are the difference between the rack and the sum of the servers.
        Assert.Equal(3 * 0.035, l.EnergyKwh - l.ServerEnergyKwh.Sum(), 12);
    }

    [Fact]
    public void Without_a_carbon_series_the_default_is_429_g_per_kwh()
    {
        Scenario sc = ThreeHours(null);
        Ledger l = RackSimulator.Run(sc, new FixedPolicy(sc.Rack));
        Assert.Equal(0.855 * 0.429, l.Co2Kg, 12);
        Assert.Equal(0.45 * 0.429, l.ServerCo2Kg[0], 12);
    }
}
