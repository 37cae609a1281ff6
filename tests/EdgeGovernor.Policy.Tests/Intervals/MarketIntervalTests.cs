using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Offline;
using EdgeGovernor.Policy.Planning;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Policy.Tests.Intervals;

/// <summary>The policy at 5-, 15- and 30-minute market intervals: durations in intervals, accounting per interval, carbon price.</summary>
public sealed class MarketIntervalTests
{
    private static readonly PowerCurve Curve = TestRacks.Linear(100, 300);

    private static RackSpec Rack(int minutes, double itBudget = 1e6) => new(
        [TestRacks.Server("web", Curve, 0, isProtected: false, minOn: 2, minOff: 1), TestRacks.Server("b1", Curve, 1, isProtected: false, minOn: 2), TestRacks.Server("b2", Curve, 1, isProtected: false, minOn: 2)],
        [JobClass.Interactive("web", 0.03, 0.5), TestRacks.Batch(0.02, 3, 6, 12)],
        itBudget, itBudget, 0, 0, minutes);

    /// <summary>Hourly prices with a cheap midday and a dear evening, each hour's price held for all its intervals.</summary>
    private static double[] Prices(int perHour, int days) =>
        [.. Enumerable.Range(0, days * 24).SelectMany(h => Enumerable.Repeat(h % 24 is >= 10 and <= 14 ? -5.0 + (h % 3) : h % 24 is >= 17 and <= 20 ? 60.0 : 20.0 + (h % 5), perHour))];

    [Theory]
    [InlineData(5, 12)]
    [InlineData(15, 4)]
    [InlineData(30, 2)]
    [InlineData(60, 1)]
    public void Durations_are_whole_numbers_of_intervals(int minutes, int perHour)
    {
        RackSpec rack = Rack(minutes);
        ServerEconomics b = rack.Economics(1);
        Assert.Equal(24 * perHour, rack.IntervalsPerDay);
        Assert.Equal(2 * perHour, b.MinOnIntervals);
        Assert.Equal(perHour, b.MinOffIntervals);
        Assert.Equal(3 * perHour, b.JobSlots);
        Assert.Equal(6 * perHour, b.ReleaseIntervalOfDay);
        Assert.Equal(18 * perHour, b.DeadlineIntervalOfDay);
        Assert.Equal(rack.Economics(1).SlotWork * perHour, new RackSpec(rack.Servers, rack.JobClasses, 1e6, 1e6, 0, 0).Economics(1).SlotWork, 9);
        Assert.Equal(10.0 * perHour, b.BootWatts, 9); // 10 Wh spread over one interval
    }

    [Theory]
    [InlineData(7)]
    [InlineData(20)]
    [InlineData(90)]
    public void Other_intervals_and_boots_longer_than_an_interval_are_refused(int minutes)
    {
        Assert.Throws<ArgumentException>(() => Rack(minutes));
        var slowBoot = TestRacks.Server("s", Curve, 0) with { BootSeconds = 600 };
        Assert.Throws<ArgumentException>(() => new RackSpec([slowBoot], [JobClass.Interactive("w", 0.01, 1)], 1e6, 1e6, 0, 0, 5));
    }

    [Fact]
    public void The_same_hourly_schedule_is_accounted_the_same_at_every_interval()
    {
        // A policy that keeps everything on and runs deferrable work whenever it can: energy, cost, work and value
        // per day must not depend on how finely the day is cut.
        Ledger? hourly = null;
        foreach (int minutes in new[] { 60, 30, 15, 5 })
        {
            RackSpec rack = Rack(minutes);
            int perHour = 60 / minutes;
            var sc = new Scenario(rack, 0, 48 * perHour, Prices(perHour, 2), [.. Enumerable.Repeat(0.6, 48 * perHour)]);
            var script = new ScriptedPolicy(rack, 0) { Script = [.. Enumerable.Range(0, 3).Select(i => Enumerable.Repeat(i == 0 ? HourAction.Stay : HourAction.RunSlot, 48 * perHour).ToArray())] };
            Ledger l = RackSimulator.Run(sc, script);
            hourly ??= l;
            Assert.Equal(hourly.EnergyKwh, l.EnergyKwh, 9);
            Assert.Equal(hourly.CostEur, l.CostEur, 9);
            Assert.Equal(hourly.WorkUnits, l.WorkUnits, 9);
            Assert.Equal(hourly.ValueEur, l.ValueEur, 9);
            Assert.Equal(0, l.DeadlinesMissed);
        }
    }

    [Theory]
    [InlineData(15)]
    [InlineData(30)]
    public void At_sub_hourly_intervals_the_governor_keeps_every_rule_and_deadline_and_nears_the_certified_optimum(int minutes)
    {
        // Tight budget: the two batch servers cannot run together with the web server at full power.
        RackSpec rack = Rack(minutes, itBudget: 620);
        int perHour = 60 / minutes;
        int n = 3 * 24 * perHour;
        // Start at the interval of 01:00 on a day far from 0: day boundaries come from the index, not from the start.
        var sc = new Scenario(rack, (20_000 * 24 * perHour) + perHour, n, Prices(perHour, 4)[perHour..], [.. Enumerable.Range(0, n).Select(t => 0.4 + (0.5 * ((t / perHour) % 24) / 24))]);
        Ledger gov = RackSimulator.Run(sc, new Governor(rack));
        Assert.Equal(0, gov.EnvelopeViolations);
        Assert.Equal(0, gov.RuleViolations);
        Assert.Equal(0, gov.DeadlinesMissed);

        var offline = new OfflineOptimum(sc);
        OfflineBound b = offline.Result;
        Assert.True(b.UpperBoundEur >= b.FeasibleEur - 1e-9);
        Assert.True(b.UpperBoundEur >= gov.ObjectiveEur - 1e-9, $"governor {gov.ObjectiveEur} above the bound {b.UpperBoundEur}");
        // The best feasible schedule is the offline plan replayed (it keeps every rule and deadline) or the governor's.
        Ledger replay = RackSimulator.Run(sc, offline);
        Assert.Equal(0, replay.EnvelopeViolations + replay.RuleViolations);
        Assert.Equal(b.FeasibleEur, replay.ObjectiveEur, 9);
        Assert.True(b.Iterations >= 1);
    }

    [Fact]
    public void A_carbon_price_moves_work_to_low_carbon_intervals()
    {
        // Flat price; carbon is high in the first half of each day and low in the second. At 200 per tonne the
        // deferrable work moves to the clean half: less CO2 for the same work.
        RackSpec rack = Rack(15);
        int n = 2 * 96;
        double[] carbon = [.. Enumerable.Range(0, n + 96).Select(t => (t % 96) < 48 ? 800.0 : 50.0)];
        var sc = new Scenario(rack, 0, n, [.. Enumerable.Repeat(5.0, n + 96)], [.. Enumerable.Repeat(0.5, n)], carbon);
        Ledger plain = RackSimulator.Run(sc, new Governor(rack));
        Ledger priced = RackSimulator.Run(sc, new Governor(rack, new GovernorOptions { CarbonPricePerTonne = 200 }));
        Assert.Equal(0, priced.DeadlinesMissed);
        Assert.True(priced.Co2Kg < plain.Co2Kg * 0.9, $"CO2 {priced.Co2Kg} vs {plain.Co2Kg}");
        Assert.Throws<ArgumentException>(() => new Governor(rack, new GovernorOptions { CarbonPricePerTonne = -1 }));
    }

    [Fact]
    public void An_unknown_carbon_intensity_adds_no_carbon_cost()
    {
        RackSpec rack = Rack(15);
        var states = new ServerState[3];
        Array.Fill(states, new ServerState(true, 8, 0, 0.5));
        var a = new ServerSetpoint[3];
        var b = new ServerSetpoint[3];
        double[] ahead = [.. Enumerable.Repeat(20.0, 96)];
        new Governor(rack).Decide(new PolicyInput { Interval = 40, PriceCentsPerKwh = 20, DayAhead = ahead, Servers = states, CarbonKgPerKwh = double.NaN }, a);
        new Governor(rack, new GovernorOptions { CarbonPricePerTonne = 200 }).Decide(new PolicyInput { Interval = 40, PriceCentsPerKwh = 20, DayAhead = ahead, Servers = states, CarbonKgPerKwh = double.NaN }, b);
        Assert.Equal(a, b);
    }
}
