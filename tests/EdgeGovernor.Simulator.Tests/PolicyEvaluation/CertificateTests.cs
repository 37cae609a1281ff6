using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Simulation;
using EdgeGovernor.Simulator.PolicyEvaluation;

namespace EdgeGovernor.Simulator.Tests.PolicyEvaluation;

/// <summary>
/// The certificate a window reports (<see cref="WindowResult.OfflineGap"/>): the upper bound is at least every schedule
/// that keeps the rules, the best feasible value is the best such schedule found (the offline one or the governor's),
/// and the gap and the improvement share are computed from them as documented.
/// </summary>
public sealed class CertificateTests
{
    /// <summary>Six servers (the evaluation's web, analytics and batch classes in turn, two curves) on three days of random prices and demand, the budget binding.</summary>
    private static Scenario Scenario(int seed)
    {
        var rng = new Random(seed);
        PowerCurve a = new([60, 80, 95, 108, 120, 132, 145, 158, 172, 186, 200]);
        PowerCurve b = new([90, 110, 126, 140, 154, 168, 182, 197, 212, 228, 245]);
        var servers = new List<ServerSpec>();
        for (int i = 0; i < 6; i++)
        {
            PowerCurve c = i % 2 == 0 ? a : b;
            servers.Add(new ServerSpec($"s{i}", c, 1, c.IdleWatts + (0.2 * (c.MaxWatts - c.IdleWatts)), c.MaxWatts, 180, 0.06 * c.MaxWatts, i % 3 == 0, 2, 1, 2, i % 3));
        }

        double full = servers.Sum(s => s.Curve.MaxWatts);
        var rack = new RackSpec(servers, RackFactory.DefaultClasses, 0.75 * full, full, 0, 0);
        const int hours = 72;
        double[] prices = Enumerable.Range(0, hours + 24).Select(_ => Math.Round(-5 + (rng.NextDouble() * 40), 2)).ToArray();
        double[] demand = Enumerable.Range(0, hours).Select(_ => 0.35 + (0.6 * rng.NextDouble())).ToArray();
        return new Scenario(rack, 0, hours, prices, demand);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_bound_covers_every_feasible_schedule_and_the_gap_and_shares_follow_from_it(int seed)
    {
        WindowResult r = PolicyEvaluator.Evaluate("w", "from", Scenario(seed), new BaselineOptions(), out _);
        PolicyResult gov = r.Policies.Single(p => p.Policy == "governor");
        PolicyResult offline = r.Policies.Single(p => p.Policy == "offline-optimum");
        Assert.Equal(0, offline.EnvelopeViolations);
        Assert.Equal(0, offline.RuleViolations);
        Assert.Equal(0, gov.EnvelopeViolations);

        // Weak duality: no schedule that keeps the envelope and the rules is worth more than the bound.
        foreach (PolicyResult p in r.Policies.Where(p => p.EnvelopeViolations == 0 && p.RuleViolations == 0))
        {
            Assert.True(p.ObjectiveEur <= r.OfflineUpperBoundEur + 1e-9, $"{p.Policy} {p.ObjectiveEur} above the bound {r.OfflineUpperBoundEur}");
        }

        Assert.Equal(Math.Max(offline.ObjectiveEur, gov.ObjectiveEur), r.OfflineFeasibleEur, 9);
        Assert.Equal((r.OfflineUpperBoundEur - r.OfflineFeasibleEur) / r.OfflineUpperBoundEur, r.OfflineGap, 12);
        // Never negative (that would be a schedule above the bound); on six servers the relaxation's fractional slots
        // leave a larger gap than on the 42-server rack (up to 0.6 % here), so only a loose ceiling is asserted.
        Assert.InRange(r.OfflineGap, 0, 0.02);
        double best = r.Policies.Where(p => p.Policy is "always-max" or "static-cap" or "price-threshold").Max(p => p.ObjectiveEur);
        Assert.Equal(best, r.BestBaselineEur, 12);
        Assert.Equal((gov.ObjectiveEur - best) / (r.OfflineUpperBoundEur - best), r.ImprovementShare, 12);
        Assert.Equal(gov.ObjectiveEur / r.OfflineUpperBoundEur, r.GovernorShareOfOptimum, 12);
    }
}
