using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Policy.Tests;

public class GovernorTests
{
    private static ServerState[] AllOn(RackSpec rack, double demand) =>
        Enumerable.Range(0, rack.Servers.Count).Select(_ => new ServerState(true, 5, 0, demand)).ToArray();

    private static DeferrableJob[] Jobs(RackSpec rack, long hour) =>
        Enumerable.Range(0, rack.Servers.Count).Where(i => rack.Economics(i).Class.Deferrable)
            .Select(i => new DeferrableJob(i, 8, hour + 20)).ToArray();

    [Fact]
    public void Decisions_allocate_nothing_in_steady_state_nor_at_the_hour_boundary()
    {
        RackSpec rack = TestRacks.FortyTwo();
        var gov = new Governor(rack);
        ServerState[] states = AllOn(rack, 0.7);
        DeferrableJob[] jobs = Jobs(rack, 10);
        double[] dayAhead = Enumerable.Range(0, 38).Select(i => 5.0 + (i % 7)).ToArray();
        var setpoints = new ServerSetpoint[rack.Servers.Count];
        for (int warm = 0; warm < 3; warm++)
        {
            gov.Decide(new PolicyInput { Interval = 10 + warm, PriceCentsPerKwh = 8, DayAhead = dayAhead, Servers = states, Jobs = jobs }, setpoints);
        }

        AllocationAssert.NothingInSteadyState("100 decisions in one hour", _ =>
        {
            for (int k = 0; k < 100; k++)
            {
                gov.Decide(new PolicyInput { Interval = 12, PriceCentsPerKwh = 8 + (k % 3), DayAhead = dayAhead, Servers = states, Jobs = jobs }, setpoints);
            }
        });

        // Hours 13 to 22, one decision each: 13-16, 17-20, 21-22.
        AllocationAssert.NothingInSteadyState("up to 4 hour boundaries", w =>
        {
            for (int k = 4 * w; k < Math.Min(10, 4 * (w + 1)); k++)
            {
                gov.Decide(new PolicyInput { Interval = 13 + k, PriceCentsPerKwh = 8, DayAhead = dayAhead, Servers = states, Jobs = jobs }, setpoints);
            }
        });
    }

    [Fact]
    public void A_solve_budget_spreads_the_daily_re_plan_over_periods_and_keeps_the_envelope()
    {
        RackSpec rack = TestRacks.FortyTwo();
        var limited = new Governor(rack, new GovernorOptions { MaxPlanSolvesPerCall = 1 });
        var free = new Governor(rack);
        ServerState[] states = AllOn(rack, 0.7);
        double[] prices = Enumerable.Range(0, 96).Select(i => 5.0 + (9 * Math.Sin(i / 5.0))).ToArray();
        var setpoints = new ServerSetpoint[rack.Servers.Count];
        RackDecision Call(Governor g, long hour)
        {
            int hod = (int)(hour % 24);
            int known = 24 - hod + (hod >= 13 ? 24 : 0);
            return g.Decide(new PolicyInput { Interval = hour, PriceCentsPerKwh = prices[hour], DayAhead = prices.AsSpan((int)hour, known), Servers = states, Jobs = Jobs(rack, hour) }, setpoints);
        }

        // Cold start: every deferrable group must be planned at once (no plan to fall back on).
        Call(limited, 2);
        long cold = limited.PlanSolves;
        Assert.True(cold >= 8);
        for (long hour = 3; hour < 40; hour++)
        {
            for (int period = 0; period < 12; period++)
            {
                long before = limited.PlanSolves;
                Assert.True(Call(limited, hour).EnvelopeHeld);
                Assert.True(limited.PlanSolves - before <= 1, $"hour {hour} period {period}: {limited.PlanSolves - before} solves; total {limited.PlanSolves}, cold {cold}");
            }

            Call(free, hour);
        }

        // The 13:00 publication re-plans every deferrable group, one per period, within the hour.
        Assert.True(limited.PlanSolves - cold >= 8);
        Assert.True(free.PlanSolves >= limited.PlanSolves - cold);
    }

    [Theory]
    [InlineData(3, 2)]  // the hardware board: three servers, two control periods per 15-minute interval (900x, 0.5 s)
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    public void A_solve_budget_smaller_than_the_groups_still_plans_every_server_within_a_few_intervals(int servers, int periods)
    {
        // One interactive group per server (different boot energies); at 350 ct/kWh every plan powers the server off.
        JobClass web = JobClass.Interactive("web", 0.10, 0.7);
        ServerSpec[] specs = [.. Enumerable.Range(0, servers).Select(i => TestRacks.Server($"s{i}", TestRacks.Linear(105, 300), 0, isProtected: false, bootWh: 1 + i, cycles: 24))];
        RackSpec rack = new(specs, [web], 1e6, 1e6, 0, 0, intervalMinutes: 15);
        Assert.Equal(servers, rack.GroupCount);
        var gov = new Governor(rack, new GovernorOptions { MaxPlanSolvesPerCall = 1 });
        ServerState[] states = AllOn(rack, 0.8);
        double[] dayAhead = [.. Enumerable.Repeat(350.0, 8)];
        var setpoints = new ServerSetpoint[servers];
        long[] lastPlanned = new long[servers];
        Array.Fill(lastPlanned, 99);
        int rounds = (servers + periods - 1) / periods;
        for (long interval = 100; interval < 100 + (4 * rounds); interval++)
        {
            for (int p = 0; p < periods; p++)
            {
                long before = gov.PlanSolves;
                gov.Decide(new PolicyInput { Interval = interval, PriceCentsPerKwh = 350, DayAhead = dayAhead, Servers = states, Jobs = [] }, setpoints);
                Assert.True(gov.PlanSolves - before <= 1);
                for (int i = 0; i < servers; i++)
                {
                    if (setpoints[i].Command == PowerCommand.PowerOff)
                    {
                        lastPlanned[i] = interval;
                    }
                }
            }

            // The servers stay on (the test applies nothing): each one must have been planned (off) within the last
            // ceil(servers / periods) intervals, whatever its place in the rack.
            for (int i = 0; i < servers; i++)
            {
                Assert.True(interval - lastPlanned[i] < rounds, $"interval {interval}: server {i} last planned in {lastPlanned[i]}");
            }
        }
    }

    [Fact]
    public void Stale_price_with_fixed_cap_holds_every_cap_at_the_safe_cap_and_cycles_nothing()
    {
        RackSpec rack = TestRacks.FortyTwo();
        var gov = new Governor(rack, new GovernorOptions { SafePolicy = SafePolicy.FixedCap, SafeCapWatts = 120 });
        ServerState[] states = AllOn(rack, 1);
        var setpoints = new ServerSetpoint[rack.Servers.Count];
        RackDecision d = gov.Decide(new PolicyInput { Interval = 3, PriceCentsPerKwh = double.NaN, PriceStale = true, Servers = states, Jobs = Jobs(rack, 3) }, setpoints);
        Assert.Equal(PolicyMode.StaleFixedCap, d.Mode);
        Assert.True(d.EnvelopeHeld);
        for (int i = 0; i < setpoints.Length; i++)
        {
            ServerEconomics e = rack.Economics(i);
            Assert.Equal(PowerCommand.Keep, setpoints[i].Command);
            if (!e.Class.Deferrable)
            {
                Assert.True(setpoints[i].CapWatts <= Math.Max(120, e.Server.CapMinWatts) + 1e-9);
            }
            else
            {
                // 8 slots due in 20 h leave slack: deferrable work waits for a price.
                Assert.False(setpoints[i].RunDeferrable);
            }
        }
    }

    [Theory]
    [InlineData(false, PowerCommand.PowerOn)]  // a price: the deadline guard boots a server whose job cannot wait
    [InlineData(true, PowerCommand.Keep)]      // stale price, fixed cap: nothing is cycled, not even for a deadline
    public void A_down_server_is_booted_for_a_deadline_only_when_cycling_is_allowed(bool stale, PowerCommand expected)
    {
        // Two deferrable servers, both down, 3 slots each due in 5 h; one slot fits the budget at a time. Each
        // one's own plan waits for the cheap hour 4, but after a boot only 4 slot-hours are left for 6 slots.
        JobClass batch = TestRacks.Batch(0.5, 3, 0, 10);
        PowerCurve c = TestRacks.Linear(100, 200);
        RackSpec rack = TestRacks.Rack([TestRacks.Server("a", c, 0, isProtected: false), TestRacks.Server("b", c, 0, isProtected: false)], [batch], 300);
        var gov = new Governor(rack, new GovernorOptions { SafePolicy = SafePolicy.FixedCap });
        var setpoints = new ServerSetpoint[2];
        ServerState[] states = [new(false, 5, 0, 0), new(false, 5, 0, 0)];
        DeferrableJob[] jobs = [new(0, 3, 5), new(1, 3, 5)];
        RackDecision d = gov.Decide(new PolicyInput { Interval = 0, PriceCentsPerKwh = 40, PriceStale = stale, DayAhead = [40, 40, 40, 40, 1, 1, 1, 1, 1, 1], Servers = states, Jobs = jobs }, setpoints);
        Assert.True(d.EnvelopeHeld);
        Assert.Equal(expected, setpoints[0].Command);
    }

    [Fact]
    public void Stale_price_with_fallback_price_decides_at_the_fallback_price()
    {
        RackSpec rack = TestRacks.FortyTwo();
        var fallback = new Governor(rack, new GovernorOptions { SafePolicy = SafePolicy.FallbackPrice, FallbackPriceCentsPerKwh = 90 });
        var priced = new Governor(rack);
        ServerState[] states = AllOn(rack, 1);
        var a = new ServerSetpoint[rack.Servers.Count];
        var b = new ServerSetpoint[rack.Servers.Count];
        RackDecision da = fallback.Decide(new PolicyInput { Interval = 3, PriceStale = true, Servers = states }, a);
        RackDecision db = priced.Decide(new PolicyInput { Interval = 3, PriceCentsPerKwh = 90, DayAhead = Enumerable.Repeat(90.0, 48).ToArray(), Servers = states }, b);
        Assert.Equal(PolicyMode.StaleFallbackPrice, da.Mode);
        Assert.Equal(db.ItWatts, da.ItWatts, 9);
        Assert.True(da.ItWatts < new Governor(rack).Decide(new PolicyInput { Interval = 3, PriceCentsPerKwh = 5, Servers = states }, b).ItWatts);
    }

    [Fact]
    public void Envelope_sheds_deferrable_hours_with_the_most_slack_first()
    {
        // Two deferrable servers (200 W running, 100 W idle) and an IT budget of 300 W: only one may run.
        JobClass batch = TestRacks.Batch(0.5, 3, 0, 10);
        PowerCurve c = TestRacks.Linear(100, 200);
        RackSpec rack = TestRacks.Rack([TestRacks.Server("a", c, 0), TestRacks.Server("b", c, 0)], [batch], 300);
        var gov = new Governor(rack);
        var setpoints = new ServerSetpoint[2];
        ServerState[] states = [new(true, 5, 0, 0), new(true, 5, 0, 0)];
        DeferrableJob[] jobs = [new(0, 3, 9), new(1, 3, 4)];
        RackDecision d = gov.Decide(new PolicyInput { Interval = 1, PriceCentsPerKwh = -10, DayAhead = [-10, 50, 50, 50, 50, 50, 50, 50, 50], Servers = states, Jobs = jobs }, setpoints);
        Assert.True(d.EnvelopeHeld);
        Assert.Equal(1, d.ShedSlots);
        Assert.False(setpoints[0].RunDeferrable);  // slack 9 - 1 - 3 = 5
        Assert.True(setpoints[1].RunDeferrable);   // slack 4 - 1 - 3 = 0
        Assert.Equal(300, d.ItWatts, 9);
    }

    [Fact]
    public void Bad_span_sizes_throw_but_bad_numbers_do_not()
    {
        RackSpec rack = TestRacks.FortyTwo();
        var gov = new Governor(rack);
        var setpoints = new ServerSetpoint[rack.Servers.Count];
        Assert.Throws<ArgumentException>(() => gov.Decide(new PolicyInput { Interval = 0, PriceCentsPerKwh = 1, Servers = new ServerState[3] }, setpoints));
        Assert.Throws<ArgumentOutOfRangeException>(() => gov.Decide(new PolicyInput { Interval = -1, PriceCentsPerKwh = 1, Servers = new ServerState[rack.Servers.Count] }, setpoints));
        ServerState[] states = Enumerable.Range(0, rack.Servers.Count).Select(i => new ServerState(i % 2 == 0, -3, -1, i % 3 == 0 ? double.NaN : 7)).ToArray();
        RackDecision d = gov.Decide(new PolicyInput { Interval = 0, PriceCentsPerKwh = double.PositiveInfinity, DayAhead = [double.NaN, -1e9, 1e9], Servers = states, Jobs = [new(999, 5, 3), new(-1, 2, 2)] }, setpoints);
        Assert.True(d.EnvelopeHeld);
        Assert.Equal(PolicyMode.StaleFallbackPrice, d.Mode);
    }

    [Fact]
    public void Governor_on_a_shipped_rack_for_three_days_keeps_every_rule()
    {
        RackSpec rack = TestRacks.FortyTwo();
        var rng = new Random(5);
        double[] prices = TestRacks.RandomPrices(rng, 72 + 48);
        var sc = new Scenario(rack, 0, 72, prices, Enumerable.Range(0, 72).Select(t => 0.5 + (0.4 * Math.Sin(t / 4.0))).ToArray());
        Ledger l = RackSimulator.Run(sc, new Governor(rack));
        Assert.Equal(0, l.EnvelopeViolations);
        Assert.Equal(0, l.RuleViolations);
        Assert.Equal(0, l.DeadlinesMissed);
        Assert.True(l.DeferrableUnits > 0);
    }

    /// <summary>Passes decisions through and records them, with the last hour of the day-ahead prices it was shown.</summary>
    private sealed class Recorder(IRackPolicy inner) : IRackPolicy
    {
        public string Name => inner.Name;

        public List<ServerSetpoint[]> Setpoints { get; } = [];

        public List<long> LastKnownHour { get; } = [];

        public RackDecision Decide(scoped in PolicyInput input, Span<ServerSetpoint> setpoints)
        {
            RackDecision d = inner.Decide(input, setpoints);
            Setpoints.Add(setpoints.ToArray());
            LastKnownHour.Add(input.Interval + input.DayAhead.Length - 1);
            return d;
        }
    }

    [Fact]
    public void The_governor_sees_only_the_prices_published_so_far()
    {
        // Two price series equal up to hour 72 (midnight of day 3) and very different after it. Day 3's
        // prices are published at 13:00 of day 2 (hour 61): until then every decision must be the same.
        RackSpec rack = TestRacks.FortyTwo();
        var rng = new Random(11);
        double[] a = TestRacks.RandomPrices(rng, 96 + 48);
        double[] b = a.Select((p, t) => t < 72 ? p : (t % 24 < 12 ? -40.0 : 90.0)).ToArray();
        double[] demand = Enumerable.Range(0, 96).Select(t => 0.5 + (0.3 * Math.Sin(t / 5.0))).ToArray();
        var ra = new Recorder(new Governor(rack));
        var rb = new Recorder(new Governor(rack));
        RackSimulator.Run(new Scenario(rack, 0, 96, a, demand), ra);
        RackSimulator.Run(new Scenario(rack, 0, 96, b, demand), rb);

        for (int t = 0; t < 96; t++)
        {
            // Published: to the end of today, from 13:00 to the end of tomorrow.
            long endOfDay = (t / 24 * 24) + 23;
            Assert.Equal(t % 24 >= 13 ? endOfDay + 24 : endOfDay, ra.LastKnownHour[t]);
        }

        for (int t = 0; t < 61; t++)
        {
            Assert.Equal(ra.Setpoints[t], rb.Setpoints[t]);
        }

        // The test can tell: once day 3 is published the decisions part.
        Assert.Contains(Enumerable.Range(61, 35), t => !ra.Setpoints[t].SequenceEqual(rb.Setpoints[t]));
    }

    [Theory]
    [InlineData(13, 0)]   // tomorrow's negative hours are known at 13:00: all three slots wait for them
    [InlineData(22, 1)]   // known only at 22:00: the slot of 21:00 had to run at the price of today
    public void Deferrable_work_rolls_to_negative_hours_once_they_are_published(int publishHour, int slotsToday)
    {
        // Three slots released at 06:00, due at 06:00 the next day. Today: 30 c/kWh until 06:00, then 20, and
        // 15 from 13:00. Tomorrow 00:00..05:00 is -5 c/kWh, but until it is published the governor forecasts
        // it from today (30), so it plans the slots into today's 15-c hours (as late as possible: 21..23).
        JobClass batch = TestRacks.Batch(0.02, 3, 6, 24);
        RackSpec rack = TestRacks.Rack([TestRacks.Server("b", TestRacks.Linear(100, 200), 0)], [batch]);
        double[] prices = Enumerable.Range(0, 72).Select(t => t < 6 ? 30.0 : t < 13 ? 20 : t < 24 ? 15 : t < 30 ? -5 : 15).ToArray();
        var sc = new Scenario(rack, 0, 30, prices, new double[30]) { PublishHourOfDay = publishHour };
        var trace = new HourTrace(30);
        Ledger l = RackSimulator.Run(sc, new Governor(rack), trace);
        int[] running = Enumerable.Range(0, 30).Where(t => trace.RackWatts[t] > 150).ToArray();
        Assert.Equal(3, running.Length);
        Assert.Equal(slotsToday, running.Count(t => t < 24));
        Assert.All(running.Where(t => t >= 24), t => Assert.True(prices[t] < 0));
        Assert.Equal(0, l.DeadlinesMissed);
    }

    [Fact]
    public void A_deferrable_plan_avoids_the_interval_another_plan_already_fills_when_the_budget_would_cut_interactive_work()
    {
        // An interactive server worth 0.05 EUR/unit (50 c/kWh), 100..200 W at demand 1, and two deferrable servers
        // (idle 100 W; slots 200 W and 210 W: different curves, so separate plans), one slot each, due at hour 3.
        // IT budget 540 W. Prices 10, 11, 40 c/kWh. Both slots in the cheapest hour 0 leave the interactive server
        // 30 W above its floor (it loses 70 W of work worth 50 c/kWh); the second plan, priced with what it would
        // displace, runs in hour 1 for 1 c/kWh more. Objective: value 3 x 0.05 + 2 x 0.02 = 0.19; energy
        // 500 Wh x 10 c + 510 Wh x 11 c + 400 Wh x 40 c = 0.2661 EUR: -0.0761 EUR (both in hour 0: -0.103).
        JobClass web = JobClass.Interactive("web", 0.05, 1);
        JobClass batch = TestRacks.Batch(0.02, 1, 0, 3);
        RackSpec rack = TestRacks.Rack(
            [TestRacks.Server("a", TestRacks.Linear(100, 200), 0), TestRacks.Server("b", TestRacks.Linear(100, 200), 1), TestRacks.Server("c", TestRacks.Linear(100, 210), 1)],
            [web, batch],
            540);
        var sc = new Scenario(rack, 0, 3, [10, 11, 40], [1, 1, 1]);
        Ledger l = RackSimulator.Run(sc, new Governor(rack));
        Assert.Equal(0, l.DeadlinesMissed);
        Assert.Equal(0, l.EnvelopeViolations);
        Assert.Equal(0.19 - 0.2661, l.ObjectiveEur, 12);
    }
}
