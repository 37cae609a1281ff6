using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Offline;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Policy.Tests.Offline;

/// <summary>Small instances whose optimum is computed by hand in the comments.</summary>
public class HandCheckedOptimaTests
{
    private static readonly PowerCurve Linear = TestRacks.Linear(100, 200);

    private static Scenario OneServer(JobClass cls, ServerSpec server, double[] prices, double[] demand) =>
        new(TestRacks.Rack([server], [cls]), 0, prices.Length, prices, demand);

    [Fact]
    public void Deferrable_work_goes_to_the_negative_price_hour()
    {
        // One slot due at hour 4. Idle 100 W, slot 200 W. Prices 10, -5, 10, 10 c/kWh.
        // Slot at hour 1: cost 0.01 - 0.01 + 0.01 + 0.01 = 0.02 EUR, value 0.02 -> objective 0.
        // (Slot at hour 0 would cost 0.02 - 0.005 + 0.02 = 0.035.)
        JobClass batch = TestRacks.Batch(0.02, 1, 0, 4);
        Scenario sc = OneServer(batch, TestRacks.Server("b", Linear, 0), [10, -5, 10, 10], [0, 0, 0, 0]);
        var offline = new OfflineOptimum(sc);
        Assert.True(offline.Result.Exact);
        Assert.Equal(0.0, offline.Result.UpperBoundEur, 12);

        Ledger gov = RackSimulator.Run(sc, new Governor(sc.Rack));
        Assert.Equal(0.02, gov.CostEur, 12);
        Assert.Equal(0.0, gov.ObjectiveEur, 12);
        Assert.Equal(0, gov.DeadlinesMissed);
    }

    [Fact]
    public void Negative_prices_pull_deferrable_work_forward()
    {
        // Prices -5, 10, 1, 1: the slot runs at once (cost -0.01 + 0.01 + 0.001 + 0.001 = 0.002).
        JobClass batch = TestRacks.Batch(0.02, 1, 0, 4);
        Scenario sc = OneServer(batch, TestRacks.Server("b", Linear, 0), [-5, 10, 1, 1], [0, 0, 0, 0]);
        var trace = new HourTrace(4);
        Ledger gov = RackSimulator.Run(sc, new Governor(sc.Rack), trace);
        Assert.Equal(0.018, gov.ObjectiveEur, 12);
        Assert.Equal(200, trace.RackWatts[0], 9);
        Assert.Equal(0.018, new OfflineOptimum(sc).Result.UpperBoundEur, 12);
    }

    [Fact]
    public void A_deadline_forces_expensive_hours()
    {
        // Two slots due at hour 2; prices 50, 60 then 1, 1 c/kWh. Each slot loses money
        // (0.02 value vs 0.10-0.12 EUR energy) but a miss costs 5 EUR/unit: run at hours 0 and 1.
        // Objective: 0.04 - (0.2*0.5 + 0.2*0.6) - 2*(0.1*0.01) = -0.182 EUR.
        JobClass batch = TestRacks.Batch(0.02, 2, 0, 2);
        Scenario sc = OneServer(batch, TestRacks.Server("b", Linear, 0), [50, 60, 1, 1], [0, 0, 0, 0]);
        var offline = new OfflineOptimum(sc);
        Assert.True(offline.Result.Exact);
        Assert.Equal(-0.182, offline.Result.UpperBoundEur, 12);
        Ledger gov = RackSimulator.Run(sc, new Governor(sc.Rack));
        Assert.Equal(0, gov.DeadlinesMissed);
        Assert.Equal(-0.182, gov.ObjectiveEur, 12);
    }

    [Theory]
    [InlineData(50, 0.055, 1)]   // boot 50 Wh: off at hour 1, boot at hour 2: 0.06 - 0.005
    [InlineData(250, 0.04, 0)]   // boot 250 Wh costs more than two idle hours (200 Wh): stay on: 0.06 - 0.02
    public void Power_cycling_happens_only_when_it_pays(double bootWh, double optimum, int cycles)
    {
        // Demand 1, 0, 0, 1 at 10 c/kWh; full load earns 0.05 - 0.02 = 0.03 EUR/h, idle costs 0.01 EUR/h.
        JobClass web = JobClass.Interactive("web", 0.05, 1);
        Scenario sc = OneServer(web, TestRacks.Server("w", Linear, 0, isProtected: false, bootWh: bootWh), [10, 10, 10, 10], [1, 0, 0, 1]);
        var offline = new OfflineOptimum(sc);
        Assert.True(offline.Result.Exact);
        Assert.Equal(optimum, offline.Result.UpperBoundEur, 12);
        Ledger replay = RackSimulator.Run(sc, offline);
        Assert.Equal(cycles, replay.PowerCycles);
        Assert.Equal(optimum, replay.ObjectiveEur, 12);
    }

    [Theory]
    [InlineData(1, 0.055, 1)]    // as above: off at hour 1, boot at hour 2 after 1 h off
    [InlineData(2, 0.04, 0)]     // 2 h off needed: the earliest boot is hour 3, too late for hour 3's work: stay on
    public void A_minimum_off_time_can_stop_a_power_cycle_that_would_pay(int minOff, double optimum, int cycles)
    {
        // Demand 1, 0, 0, 1 at 10 c/kWh, boot 50 Wh (0.005 EUR); values as in the test above.
        JobClass web = JobClass.Interactive("web", 0.05, 1);
        Scenario sc = OneServer(web, TestRacks.Server("w", Linear, 0, isProtected: false, bootWh: 50, minOff: minOff), [10, 10, 10, 10], [1, 0, 0, 1]);
        var offline = new OfflineOptimum(sc);
        Assert.True(offline.Result.Exact);
        Assert.Equal(optimum, offline.Result.UpperBoundEur, 12);
        Ledger replay = RackSimulator.Run(sc, offline);
        Assert.Equal(cycles, replay.PowerCycles);
        Assert.Equal(0, replay.RuleViolations);
        Assert.Equal(optimum, replay.ObjectiveEur, 12);
    }

    [Theory]
    [InlineData(2, 0.029)]   // off at 0, boot at 1 (0.001), work at 2 (0.03), off again at 3 (up 2 h)
    [InlineData(3, 0.019)]   // the same, but up 3 h before the next off: idle at 3 (0.01), off at 4
    public void A_minimum_on_time_keeps_a_booted_server_up(int minOn, double optimum)
    {
        // Demand 0, 0, 1, 0, 0, 0 at 10 c/kWh, boot 10 Wh: full load earns 0.03 EUR/h, idle costs 0.01 EUR/h.
        // Staying up throughout: 0.03 - 5 x 0.01 = -0.02; staying off from hour 0: 0. Two power-offs either way.
        JobClass web = JobClass.Interactive("web", 0.05, 1);
        Scenario sc = OneServer(web, TestRacks.Server("w", Linear, 0, isProtected: false, bootWh: 10, minOn: minOn), [10, 10, 10, 10, 10, 10], [0, 0, 1, 0, 0, 0]);
        var offline = new OfflineOptimum(sc);
        Assert.True(offline.Result.Exact);
        Assert.Equal(optimum, offline.Result.UpperBoundEur, 12);
        Ledger replay = RackSimulator.Run(sc, offline);
        Assert.Equal(2, replay.PowerCycles);
        Assert.Equal(0, replay.RuleViolations);
        Assert.Equal(optimum, replay.ObjectiveEur, 12);
    }

    [Fact]
    public void A_protected_server_is_never_cycled_even_when_it_would_pay()
    {
        JobClass web = JobClass.Interactive("web", 0.05, 1);
        Scenario sc = OneServer(web, TestRacks.Server("w", Linear, 0, isProtected: true, bootWh: 0), [10, 10, 10, 10], [1, 0, 0, 1]);
        Assert.Equal(0.04, new OfflineOptimum(sc).Result.UpperBoundEur, 12);
        Assert.Equal(0, RackSimulator.Run(sc, new Governor(sc.Rack)).PowerCycles);
    }

    [Fact]
    public void A_binding_budget_is_water_filled_with_one_shadow_price()
    {
        // Two CPU-bound servers, 100..200 W, demand 1, price 10 c/kWh, IT budget 350 W.
        // Marginal values: 50 c/kWh (0.05 EUR/unit) and 30 c/kWh (0.03 EUR/unit), both above the price,
        // so both want 200 W. Floors 2 x 100 W leave 150 W: the 50-c server gets 100 W (full), the
        // 30-c server 50 W (half). Shadow price 30 - 10 = 20 c/kWh.
        // Objective: 0.05 + 0.015 - 0.35 kWh * 0.1 = 0.030 EUR.
        JobClass hi = JobClass.Interactive("hi", 0.05, 1);
        JobClass lo = JobClass.Interactive("lo", 0.03, 1);
        RackSpec rack = TestRacks.Rack([TestRacks.Server("a", Linear, 0), TestRacks.Server("b", Linear, 1)], [hi, lo], 350);
        var gov = new Governor(rack);
        var setpoints = new ServerSetpoint[2];
        ServerState[] states = [new(true, 5, 0, 1), new(true, 5, 0, 1)];
        RackDecision d = gov.Decide(new PolicyInput { Interval = 0, PriceCentsPerKwh = 10, DayAhead = [10], Servers = states }, setpoints);
        Assert.Equal(200, setpoints[0].CapWatts, 9);
        Assert.Equal(150, setpoints[1].CapWatts, 9);
        Assert.Equal(350, d.ItWatts, 9);
        Assert.Equal(20, d.ShadowPriceCentsPerKwh, 9);
        Assert.True(d.EnvelopeHeld);

        var sc = new Scenario(rack, 0, 1, [10], [1]);
        Assert.Equal(0.030, RackSimulator.Run(sc, gov).ObjectiveEur, 12);
        OfflineBound b = new OfflineOptimum(sc).Result;
        Assert.Equal(0.030, b.FeasibleEur, 12);
        Assert.True(b.UpperBoundEur >= 0.030 - 1e-12);
    }

    [Theory]
    [InlineData(1000, 300, 300)]    // the cooling removes 300 W of IT heat: the thermal limit binds
    [InlineData(1000, 2000, 900)]   // PDU 1000 W less the fan minimum 10 W, over 1 + 0.1 W of fan per IT W
    public void The_thermal_limit_and_the_fans_fold_into_one_it_budget_that_holds(double pdu, double thermal, double itBudget)
    {
        // Three CPU-bound servers 100..200 W, demand 1, at a negative price: each wants 200 W (600 W of IT).
        JobClass web = JobClass.Interactive("web", 0.05, 1);
        ServerSpec[] servers = [TestRacks.Server("a", Linear, 0), TestRacks.Server("b", Linear, 0), TestRacks.Server("c", Linear, 0)];
        var rack = new RackSpec(servers, [web], pdu, thermal, 10, 0.1);
        Assert.Equal(itBudget, rack.ItBudgetWatts, 9);
        var setpoints = new ServerSetpoint[3];
        ServerState[] states = [new(true, 5, 0, 1), new(true, 5, 0, 1), new(true, 5, 0, 1)];
        RackDecision d = new Governor(rack).Decide(new PolicyInput { Interval = 0, PriceCentsPerKwh = -20, DayAhead = [-20], Servers = states }, setpoints);
        Assert.Equal(Math.Min(600, itBudget), d.ItWatts, 9);
        Assert.Equal(10 + (0.1 * d.ItWatts), d.FanWatts, 9);   // never below the fan minimum
        Assert.True(d.RackWatts <= pdu + 1e-9);
        Assert.True(d.ItWatts <= thermal + 1e-9);
        Assert.Equal(itBudget < 600, d.ShadowPriceCentsPerKwh > 0);
    }

    [Fact]
    public void A_budget_that_fits_one_slot_at_a_time_moves_work_into_dear_hours_instead_of_missing_it()
    {
        // Two deferrable servers (idle 100 W, slot 200 W), three slots each, due at hour 6; IT budget 300 W:
        // one slot per hour. Prices 50 c/kWh for hours 0..2, then 10. Each server alone would wait for the
        // cheap hours, but six slots need all six hours: three run at 50 c, three at 10 c.
        // Every hour draws 300 W: cost 0.3 kWh x (3 x 0.5 + 3 x 0.1) EUR = 0.54; value 6 x 0.02 = 0.12.
        JobClass batch = TestRacks.Batch(0.02, 3, 0, 6);
        RackSpec rack = TestRacks.Rack([TestRacks.Server("a", Linear, 0), TestRacks.Server("b", Linear, 0)], [batch], 300);
        var sc = new Scenario(rack, 0, 6, [50, 50, 50, 10, 10, 10, 10, 10, 10], new double[6]);
        Ledger gov = RackSimulator.Run(sc, new Governor(rack));
        Assert.Equal(0, gov.DeadlinesMissed);
        Assert.Equal(0, gov.EnvelopeViolations);
        Assert.Equal(6, gov.DeferrableUnits, 12);
        Assert.Equal(0.12 - 0.54, gov.ObjectiveEur, 12);
        OfflineBound b = new OfflineOptimum(sc).Result;
        Assert.True(b.UpperBoundEur >= gov.ObjectiveEur - 1e-12);
        Assert.True(b.FeasibleEur <= gov.ObjectiveEur + 1e-12);
    }

    [Fact]
    public void Identical_servers_that_must_not_run_together_get_plans_of_their_own()
    {
        // An interactive server worth 0.05 EUR/unit, 100..200 W at demand 1, and two identical deferrable servers
        // (one group: the relaxation plans them alike), idle 100 W, slot 200 W, one slot each, due at hour 3. IT
        // budget 540 W: both slots at once leave the interactive server 40 W above its floor. Prices 10, 11, 40 c/kWh.
        // Optimum: one slot in hour 0, the other in hour 1: value 0.15 + 0.04 = 0.19, energy 500 Wh x 10 c +
        // 500 Wh x 11 c + 400 Wh x 40 c = 0.265 EUR: -0.075 EUR. A plan shared by both servers cannot reach it
        // (both in hour 0: -0.098); the local search gives each server its own.
        JobClass web = JobClass.Interactive("web", 0.05, 1);
        JobClass batch = TestRacks.Batch(0.02, 1, 0, 3);
        RackSpec rack = TestRacks.Rack(
            [TestRacks.Server("a", Linear, 0), TestRacks.Server("b", Linear, 1), TestRacks.Server("c", Linear, 1)],
            [web, batch],
            540);
        var sc = new Scenario(rack, 0, 3, [10, 11, 40], [1, 1, 1]);
        var offline = new OfflineOptimum(sc);
        Assert.Equal(0.19 - 0.265, offline.Result.FeasibleEur, 12);
        Assert.True(offline.Result.UpperBoundEur >= offline.Result.FeasibleEur - 1e-12);
        Assert.True(offline.SearchMoves > 0);
        Ledger replay = RackSimulator.Run(sc, offline);
        Assert.Equal(0, replay.EnvelopeViolations);
        Assert.Equal(0.19 - 0.265, replay.ObjectiveEur, 12);
    }
}
