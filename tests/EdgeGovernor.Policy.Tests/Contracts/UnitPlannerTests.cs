using EdgeGovernor.Policy.Contracts;

namespace EdgeGovernor.Policy.Tests.Contracts;

public class UnitPlannerTests
{
    // Two server classes (0.1 and 0.3 kWh per unit), four hours priced 0.30, 0.10, 0.20, 0.40 per kWh.
    private static UnitPlanner Planner(params int[] free)
    {
        var planner = new UnitPlanner(4, [0.1, 0.3]);
        planner.Reset([0.30, 0.10, 0.20, 0.40], free);
        return planner;
    }

    [Fact]
    public void Units_go_to_the_cheapest_free_slots_before_their_deadline_earliest_deadline_first()
    {
        UnitPlanner p = Planner(1, 1, 1, 1, 1, 1, 1, 1);
        Assert.Equal(1, p.Place(0, 1, transferable: true));   // due now: only hour 0, class 0 (0.03)
        Assert.Equal(3, p.Place(2, 3, transferable: true));   // 0.01 (h1 c0), 0.02 (h2 c0), 0.03 (h1 c1)
        Span<int> now = stackalloc int[2];
        p.PlannedNow(now);
        Assert.Equal([1, 0], now.ToArray());
        Assert.Equal(0.06, p.CostOfOneMore(2), 9);            // h2 c1
        Assert.Equal(0.04, p.CostOfOneMore(3), 9);            // h3 c0
        Assert.Equal(4, p.SpareUnits(3));
    }

    [Fact]
    public void What_does_not_fit_is_unplaced_and_is_the_first_thing_offered_at_its_value()
    {
        UnitPlanner p = Planner(1, 0, 0, 0, 0, 0, 0, 0);
        Assert.Equal(1, p.Place(0, 3, transferable: true));
        Assert.Equal(2, p.UnplacedUnits);
        Assert.True(double.IsPositiveInfinity(p.CostOfOneMore(3)));
        Assert.True(p.TryPeekMostCostly(valuePerUnit: 0.5, out double cost, out int deadline));
        Assert.Equal((0.5, 0), (cost, deadline));
        Assert.True(p.TryRemoveMostCostly(0.5, out _, out _));
        Assert.True(p.TryRemoveMostCostly(0.5, out _, out _));
        Assert.Equal(0, p.UnplacedUnits);
        Assert.True(p.TryRemoveMostCostly(0.5, out cost, out _));
        Assert.Equal(0.03, cost, 9);                          // then the placed unit, freeing its slot
        Assert.Equal(0.03, p.CostOfOneMore(0), 9);
    }

    [Fact]
    public void Work_taken_from_a_partner_is_never_offered_again()
    {
        UnitPlanner p = Planner(2, 2, 2, 2, 2, 2, 2, 2);
        Assert.True(p.TryAddOne(3, out double cost));
        Assert.Equal(0.01, cost, 9);
        Assert.False(p.TryPeekMostCostly(1, out _, out _));
        Assert.False(p.TryRemoveMostCostly(1, out _, out _));
    }

    [Fact]
    public void The_most_costly_unit_is_the_one_in_the_most_expensive_slot()
    {
        UnitPlanner p = Planner(1, 1, 1, 1, 1, 1, 1, 1);
        p.Place(3, 8, transferable: true);                    // every slot used
        Assert.True(p.TryPeekMostCostly(1, out double cost, out int deadline));
        Assert.Equal((0.12, 3), (Math.Round(cost, 9), deadline)); // h3 c1: 0.3 * 0.4
        Assert.True(p.TryRemoveMostCostly(1, out double removed, out _));
        Assert.Equal(cost, removed);
        Assert.Equal(0.12, p.CostOfOneMore(3), 9);
    }

    [Fact]
    public void Bad_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UnitPlanner(0, [0.1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UnitPlanner(4, [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UnitPlanner(4, [double.NaN]));
        var p = new UnitPlanner(2, [0.1]);
        Assert.Throws<ArgumentException>(() => p.Reset([double.NaN, 0.1], [1, 1]));
        Assert.Throws<ArgumentException>(() => p.Reset([0.1], [1, 1]));
    }
}
