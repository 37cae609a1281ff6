using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Offline;
using EdgeGovernor.Policy.Simulation;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace EdgeGovernor.Policy.Tests;

/// <summary>FsCheck properties: the envelope holds for any input, and the governor never beats the offline bound.</summary>
public class PropertyTests
{
    /// <summary>Fixed seeds: every run checks the same cases (a failure names its case seed too).</summary>
    private static Config Seeded(int tests, ulong seed) =>
        Config.QuickThrowOnFailure.WithMaxTest(tests).WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));

    private static readonly double[] OddPrices = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -500, 0, 1e6];

    private static bool EnvelopeHolds(int seed)
    {
        var rng = new Random(seed);
        RackSpec rack = TestRacks.RandomRack(rng, 6, tightBudget: rng.Next(0, 4) != 0, fansAndThermal: rng.Next(0, 2) == 0);
        var gov = new Governor(rack, new GovernorOptions { SafePolicy = rng.Next(0, 2) == 0 ? SafePolicy.FixedCap : SafePolicy.FallbackPrice, SafeCapWatts = rng.Next(0, 400) });
        int n = rack.Servers.Count;
        var setpoints = new ServerSetpoint[n];
        for (int step = 0; step < 6; step++)
        {
            var states = new ServerState[n];
            var jobs = new List<DeferrableJob>();
            for (int i = 0; i < n; i++)
            {
                double demand = rng.Next(0, 8) == 0 ? double.NaN : (rng.NextDouble() * 1.4) - 0.2;
                states[i] = new ServerState(rng.Next(0, 4) != 0, rng.Next(0, 4), rng.Next(0, 4), demand);
                if (rng.Next(0, 2) == 0)
                {
                    jobs.Add(new DeferrableJob(i, rng.Next(0, 5), step + rng.Next(0, 6)));
                }
            }

            double price = rng.Next(0, 5) == 0 ? OddPrices[rng.Next(OddPrices.Length)] : -20 + (rng.NextDouble() * 120);
            double[] dayAhead = TestRacks.RandomPrices(rng, rng.Next(0, 40));
            RackDecision d = gov.Decide(
                new PolicyInput { Interval = step, PriceCentsPerKwh = price, PriceStale = rng.Next(0, 6) == 0, DayAhead = dayAhead, Servers = states, Jobs = jobs.ToArray() },
                setpoints);
            double it = 0;
            for (int i = 0; i < n; i++)
            {
                ServerSetpoint sp = setpoints[i];
                ServerSpec s = rack.Servers[i];
                it += sp.ExpectedWatts;
                if (sp.Command == PowerCommand.PowerOff && (s.Protected || !states[i].PoweredOn))
                {
                    throw new InvalidOperationException($"seed {seed}: server {i} powered off illegally");
                }

                if (states[i].PoweredOn && sp.Command == PowerCommand.Keep && !(sp.CapWatts >= s.CapMinWatts - 1e-9 && sp.CapWatts <= s.CapMaxWatts + 1e-9))
                {
                    throw new InvalidOperationException($"seed {seed}: cap {sp.CapWatts} outside [{s.CapMinWatts}, {s.CapMaxWatts}]");
                }
            }

            if (it > rack.ItBudgetWatts + 1e-6 || !d.EnvelopeHeld || Math.Abs(it - d.ItWatts) > 1e-6 || d.FanWatts < rack.FanWatts(it) - 1e-9
                || d.FanWatts < rack.FanMinWatts || d.RackWatts > rack.BudgetWatts + 1e-6 || it > rack.ThermalLimitItWatts + 1e-6)
            {
                throw new InvalidOperationException($"seed {seed}: IT {it} W against budget {rack.ItBudgetWatts} W, decision {d}");
            }
        }

        return true;
    }

    private static bool GovernorNeverBeatsOffline(int seed)
    {
        var rng = new Random(seed);
        RackSpec rack = TestRacks.RandomRack(rng, 4, tightBudget: rng.Next(0, 2) == 0, fansAndThermal: rng.Next(0, 2) == 0);
        int hours = 24 + rng.Next(0, 48);
        var sc = new Scenario(rack, rng.Next(0, 24), hours, TestRacks.RandomPrices(rng, hours + 48), TestRacks.RandomDemand(rng, hours));
        Ledger gov = RackSimulator.Run(sc, new Governor(rack));
        OfflineBound b = new OfflineOptimum(sc).Result;
        if (gov.ObjectiveEur > b.UpperBoundEur + 1e-9 || gov.EnvelopeViolations != 0 || gov.RuleViolations != 0 || b.FeasibleEur > b.UpperBoundEur + 1e-9)
        {
            throw new InvalidOperationException($"seed {seed}: governor {gov.ObjectiveEur} (envelope {gov.EnvelopeViolations}, rules {gov.RuleViolations}) vs offline {b}");
        }

        return true;
    }

    [Fact]
    public void Envelope_holds_whatever_the_price_demand_or_state()
    {
        Property p = Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed => EnvelopeHolds(seed));
        Check.One(Seeded(300, 20261122), p);
    }

    [Fact]
    public void Governor_never_does_better_than_the_offline_optimum()
    {
        Property p = Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed => GovernorNeverBeatsOffline(seed));
        Check.One(Seeded(100, 4), p);
    }
}
