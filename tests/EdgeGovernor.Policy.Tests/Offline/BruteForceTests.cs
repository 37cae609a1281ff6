using EdgeGovernor.Policy.Model;
using EdgeGovernor.Policy.Offline;
using EdgeGovernor.Policy.Planning;
using EdgeGovernor.Policy.Simulation;

namespace EdgeGovernor.Policy.Tests.Offline;

/// <summary>
/// The offline optimum against exhaustive search: every power-cycling and deferrable schedule of every
/// server, each replayed on the rack model with caps water-filled within the budget.
/// </summary>
public class BruteForceTests
{
    private const int Hours = 4;

    private static double BruteForce(Scenario sc)
    {
        RackSpec rack = sc.Rack;
        int n = rack.Servers.Count;
        var options = new List<HourAction[]>[n];
        for (int i = 0; i < n; i++)
        {
            HourAction[] alphabet = rack.Economics(i).Class.Deferrable
                ? [HourAction.Stay, HourAction.RunSlot, HourAction.Switch]
                : [HourAction.Stay, HourAction.Switch];
            options[i] = Sequences(alphabet, Hours).ToList();
        }

        var policy = new ScriptedPolicy(rack, sc.StartInterval);
        var script = new HourAction[n][];
        var pick = new int[n];
        double best = double.NegativeInfinity;
        while (true)
        {
            for (int i = 0; i < n; i++)
            {
                script[i] = options[i][pick[i]];
            }

            policy.Script = script;
            Ledger l = RackSimulator.Run(sc, policy);
            if (l.EnvelopeViolations == 0)
            {
                best = Math.Max(best, l.ObjectiveEur);
            }

            int k = 0;
            while (k < n && ++pick[k] == options[k].Count)
            {
                pick[k++] = 0;
            }

            if (k == n)
            {
                return best;
            }
        }
    }

    private static IEnumerable<HourAction[]> Sequences(HourAction[] alphabet, int length)
    {
        var idx = new int[length];
        while (true)
        {
            yield return idx.Select(i => alphabet[i]).ToArray();
            int k = 0;
            while (k < length && ++idx[k] == alphabet.Length)
            {
                idx[k++] = 0;
            }

            if (k == length)
            {
                yield break;
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public void Dynamic_programme_is_exact_when_the_budget_does_not_bind(int seed)
    {
        var rng = new Random(seed);
        RackSpec rack = TestRacks.RandomRack(rng, 2, tightBudget: false);
        var sc = new Scenario(rack, rng.Next(0, 3), Hours, TestRacks.RandomPrices(rng, Hours), TestRacks.RandomDemand(rng, Hours));
        double bf = BruteForce(sc);
        OfflineBound b = new OfflineOptimum(sc).Result;
        Assert.True(b.Exact, $"seed {seed}: not exact: {b}");
        Assert.Equal(bf, b.UpperBoundEur, 9);
        Assert.Equal(bf, b.FeasibleEur, 9);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(25)]
    [InlineData(26)]
    [InlineData(27)]
    [InlineData(28)]
    [InlineData(29)]
    [InlineData(30)]
    public void With_a_binding_budget_the_bound_brackets_the_optimum(int seed)
    {
        var rng = new Random(seed);
        RackSpec rack = TestRacks.RandomRack(rng, 2, tightBudget: true);
        var sc = new Scenario(rack, rng.Next(0, 3), Hours, TestRacks.RandomPrices(rng, Hours), TestRacks.RandomDemand(rng, Hours));
        double bf = BruteForce(sc);
        OfflineBound b = new OfflineOptimum(sc).Result;
        Assert.True(b.UpperBoundEur >= bf - 1e-9, $"seed {seed}: bound {b.UpperBoundEur} below the optimum {bf}");
        Assert.True(b.FeasibleEur <= bf + 1e-9, $"seed {seed}: feasible {b.FeasibleEur} above the optimum {bf}");
        if (b.Exact)
        {
            Assert.Equal(bf, b.UpperBoundEur, 7);
        }
    }
}
