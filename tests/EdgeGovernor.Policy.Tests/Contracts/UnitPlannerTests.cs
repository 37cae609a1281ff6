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
    public void A_binding_budget_shows_as_a_shadow_price_on_the_marginal_cost_and_as_no_room_when_it_binds_every_hour()
    {
        // The same rack and prices; in the second the power budget leaves no room in the cheap hour 1.
        UnitPlanner free = Planner(1, 1, 1, 1, 1, 1, 1, 1);
        UnitPlanner bound = Planner(1, 1, 0, 0, 1, 1, 1, 1);
        Assert.Equal(0.01, free.CostOfOneMore(3), 9);          // energy per unit × price in force: 0.1 kWh × 0.10
        Assert.Equal(0.02, bound.CostOfOneMore(3), 9);         // the next free slot: h2 c0, 0.1 × 0.20
        Assert.Equal(8, free.SpareUnits(3));
        Assert.Equal(6, bound.SpareUnits(3));

        // With the budget binding in every hour before the deadline there is no room at any price.
        UnitPlanner full = Planner(0, 0, 0, 0, 1, 1, 1, 1);
        Assert.True(double.IsPositiveInfinity(full.CostOfOneMore(1)));
        Assert.Equal(0, full.SpareUnits(1));
        Assert.False(full.TryAddOne(1, out _));
        Assert.True(full.TryAddOne(2, out double later));
        Assert.Equal(0.02, later, 9);
    }

    [Fact]
    public void Deadline_pressure_raises_the_cost_of_work_due_sooner_on_both_sides()
    {
        // Receiver: one more unit due now can only go into hour 0; due later it takes the cheap hour 1.
        UnitPlanner receiver = Planner(1, 1, 1, 1, 1, 1, 1, 1);
        Assert.Equal(0.03, receiver.CostOfOneMore(0), 9);
        Assert.Equal(0.01, receiver.CostOfOneMore(1), 9);

        // Sender: the unit whose deadline forces it into the expensive hour 0 is the costliest to keep, and is offered first.
        UnitPlanner sender = Planner(1, 1, 1, 1, 1, 1, 1, 1);
        Assert.Equal(1, sender.Place(0, 1, transferable: true));
        Assert.Equal(1, sender.Place(3, 1, transferable: true));
        Assert.True(sender.TryPeekMostCostly(1, out double cost, out int deadline));
        Assert.Equal((0.03, 0), (Math.Round(cost, 9), deadline));
    }

    [Fact]
    public void Hours_without_a_known_price_are_costed_at_the_price_in_force()
    {
        var planner = new UnitPlanner(3, [0.2]);
        planner.Reset([0.25, double.NaN, double.NaN], [0, 0, 1]);
        Assert.Equal(0.05, planner.CostOfOneMore(2), 9);      // 0.2 kWh × 0.25, the last known price
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
