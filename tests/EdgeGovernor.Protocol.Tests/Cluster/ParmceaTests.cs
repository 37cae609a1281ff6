using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class ParmceaTests
{
    private static ElectionCandidate C(uint id, double utilizationPercent, uint capacity) =>
        new(new NodeId(id), (ushort)Math.Round(utilizationPercent * 100), capacity);

    private static (RefinementCase Case, uint[] Eligible, uint[] Order) RankOf(params ElectionCandidate[] view)
    {
        var order = new ElectionCandidate[view.Length];
        int eligible = Parmcea.Rank(view, RefinementThresholds.Default, order, out RefinementCase rc);
        return (rc, order[..eligible].Select(c => c.Node.Value).ToArray(), order.Select(c => c.Node.Value).ToArray());
    }

    [Fact]
    public void Moderate_case_makes_exactly_the_nodes_inside_the_band_eligible_ranked_by_capacity()
    {
        var r = RankOf(C(1, 10, 900), C(2, 50, 100), C(3, 70, 300), C(4, 20, 300), C(5, 90, 1000), C(6, 69.99, 200));
        Assert.Equal(RefinementCase.Moderate, r.Case);
        // 3 and 4 tie on capacity 300: the smaller id wins; the band is inclusive at 20 % and 70 %.
        Assert.Equal([3u, 4, 6, 2], r.Eligible);
        // Succession after the band: the low node (1), then the high node (5).
        Assert.Equal([3u, 4, 6, 2, 1, 5], r.Order);
    }

    [Fact]
    public void All_low_case_makes_the_most_utilized_eligible()
    {
        var r = RankOf(C(1, 5, 900), C(2, 15, 100), C(3, 19.99, 50), C(4, 19.99, 60), C(5, 0, 5000));
        Assert.Equal(RefinementCase.AllLow, r.Case);
        Assert.Equal([4u, 3], r.Eligible);
        Assert.Equal([4u, 3, 2, 1, 5], r.Order);
    }

    [Fact]
    public void All_high_case_makes_the_least_utilized_eligible()
    {
        var r = RankOf(C(1, 95, 900), C(2, 71, 100), C(3, 80, 50), C(4, 71, 400), C(5, 150, 5000));
        Assert.Equal(RefinementCase.AllHigh, r.Case);
        Assert.Equal([4u, 2], r.Eligible);
        Assert.Equal([4u, 2, 3, 1, 5], r.Order);
    }

    [Fact]
    public void Unbalanced_case_makes_the_highest_under_utilized_eligible()
    {
        var r = RankOf(C(1, 95, 900), C(2, 5, 100), C(3, 12, 50), C(4, 75, 400), C(5, 2, 5000));
        Assert.Equal(RefinementCase.Unbalanced, r.Case);
        Assert.Equal([3u], r.Eligible);
        Assert.Equal([3u, 2, 5, 4, 1], r.Order);
    }

    [Fact]
    public void Identical_idle_nodes_are_all_eligible_and_ranked_by_capacity_then_id()
    {
        var r = RankOf(C(7, 0, 10), C(3, 0, 10), C(9, 0, 20), C(1, 0, 5));
        Assert.Equal(RefinementCase.AllLow, r.Case);
        Assert.Equal([9u, 3, 7, 1], r.Eligible);
    }

    [Fact]
    public void Empty_view_has_no_eligible_node()
    {
        Assert.Equal(0, Parmcea.Rank([], RefinementThresholds.Default, [], out RefinementCase rc));
        Assert.Equal(RefinementCase.Empty, rc);
    }

    [Fact]
    public void Succession_order_equals_repeated_refinement()
    {
        // Definition check: removing the eligible set and refining again, over and over, gives the same order.
        var random = new SplitMix64Random(42);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 1 + (int)(random.NextUInt64() % 40);
            var view = new ElectionCandidate[n];
            for (int i = 0; i < n; i++)
            {
                // Coarse values so that ties occur.
                view[i] = new ElectionCandidate(new NodeId((uint)i + 1), (ushort)(random.NextUInt64() % 11 * 1000), (uint)(random.NextUInt64() % 4));
            }

            var order = new ElectionCandidate[n];
            Parmcea.Rank(view, RefinementThresholds.Default, order, out _);

            var remaining = view.ToList();
            var expected = new List<ElectionCandidate>();
            while (remaining.Count > 0)
            {
                var scratch = new ElectionCandidate[remaining.Count];
                int eligible = Parmcea.Rank(remaining.ToArray(), RefinementThresholds.Default, scratch, out _);
                Assert.InRange(eligible, 1, remaining.Count);
                expected.AddRange(scratch[..eligible]);
                foreach (ElectionCandidate e in scratch[..eligible])
                {
                    remaining.Remove(e);
                }
            }

            Assert.Equal(expected, order);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(i, Parmcea.PositionOf(view, order[i].Node, RefinementThresholds.Default));
            }

            var top = new NodeId[3];
            int k = Parmcea.TopK(view, RefinementThresholds.Default, order[0].Node, top);
            Assert.Equal(order.Skip(1).Take(3).Select(c => c.Node), top[..k]);
        }
    }

    [Fact]
    public void Position_of_unknown_node_is_minus_one()
    {
        Assert.Equal(-1, Parmcea.PositionOf([C(1, 50, 1)], new NodeId(2), RefinementThresholds.Default));
    }

    [Fact]
    public void Thresholds_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new RefinementThresholds(7000, 2000));
        Assert.Throws<ArgumentException>(() => Parmcea.Rank([C(1, 1, 1), C(2, 1, 1)], RefinementThresholds.Default, new ElectionCandidate[1], out _));
    }

    [Fact]
    public void Ranking_ten_thousand_members_allocates_nothing()
    {
        var random = new SplitMix64Random(7);
        var view = new ElectionCandidate[10_000];
        for (int i = 0; i < view.Length; i++)
        {
            view[i] = new ElectionCandidate(new NodeId((uint)i + 1), (ushort)(random.NextUInt64() % 10_001), (uint)(random.NextUInt64() % 1000));
        }

        var order = new ElectionCandidate[view.Length];
        var top = new NodeId[2];
        Parmcea.Rank(view, RefinementThresholds.Default, order, out _); // warm up
        int eligible = 0, position = 0, k = 0;
        RefinementCase rc = default;
        AllocationAssert.NothingInSteadyState("rank, position and top-2 of 10,000", _ =>
        {
            eligible = Parmcea.Rank(view, RefinementThresholds.Default, order, out rc);
            position = Parmcea.PositionOf(view, new NodeId(5000), RefinementThresholds.Default);
            k = Parmcea.TopK(view, RefinementThresholds.Default, order[0].Node, top);
        });

        Assert.Equal(RefinementCase.Moderate, rc);
        Assert.InRange(eligible, 4000, 6000); // uniform utilizations: about half inside [20 %, 70 %]
        Assert.InRange(position, 0, view.Length - 1);
        Assert.Equal(2, k);
        Assert.Equal(order[1].Node, top[0]);
        for (int i = 1; i < eligible; i++)
        {
            Assert.True(order[i - 1].Capacity > order[i].Capacity
                || (order[i - 1].Capacity == order[i].Capacity && order[i - 1].Node.Value < order[i].Node.Value));
        }
    }
}
