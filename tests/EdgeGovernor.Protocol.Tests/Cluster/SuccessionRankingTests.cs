using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class SuccessionRankingTests
{
    private static readonly NodeId Self = new(1);

    /// <summary>A view of self and members 2..5 with the given capacities (all moderately loaded, healthy).</summary>
    private static ClusterMembership View(params uint[] capacities)
    {
        var view = new ClusterMembership(Self, 1, new MembershipOptions());
        view.SetOwnReport(new MemberReport(4000, capacities[0], 0, 500_000, 0, 0));
        for (int i = 1; i < capacities.Length; i++)
        {
            var id = new NodeId((uint)i + 1);
            view.OnHeard(new MessageHeader(MessageType.Heartbeat, 1, id, 1, 0, 1, 0, 1), 0);
            view.OnReport(id, 1, new MemberReport(4000, capacities[i], 0, 500_000, 0, 0));
        }

        return view;
    }

    private static ElectionCandidate[] Candidates(params uint[] capacities) =>
        [.. capacities.Select((c, i) => new ElectionCandidate(new NodeId((uint)i + 1), 4000, c))];

    [Fact]
    public void Alternates_are_parmceas_top_k_without_the_coordinator_and_pending_until_taken_once()
    {
        uint[] capacities = [500, 300, 900, 700, 100];
        var ranking = new SuccessionRanking(Self, View(capacities), _ => true, RefinementThresholds.Default, alternates: 2, maxMembers: 16);
        Span<NodeId> expected = stackalloc NodeId[2];
        int k = Parmcea.TopK(Candidates(capacities), RefinementThresholds.Default, Self, expected);

        Assert.False(ranking.TryTakeRanked(out _));
        Assert.Equal(expected[..k].ToArray(), ranking.RankAlternates().ToArray());
        Assert.True(ranking.TryTakeRanked(out ReadOnlySpan<NodeId> taken));
        Assert.Equal(expected[..k].ToArray(), taken.ToArray());
        Assert.False(ranking.TryTakeRanked(out _));

        ranking.RankAlternates();
        ranking.Reset(); // a leader change drops what was not applied
        Assert.False(ranking.TryTakeRanked(out _));
    }

    [Fact]
    public void Non_voters_and_unhealthy_members_are_not_ranked()
    {
        ClusterMembership view = View(500, 300, 900, 700, 100);
        view.OnReport(new NodeId(3), 1, new MemberReport(4000, 900, 1, 500_000, 0, 0)); // node 3 unhealthy
        var ranking = new SuccessionRanking(Self, view, id => id != new NodeId(4), RefinementThresholds.Default, alternates: 4, maxMembers: 16);
        NodeId[] named = ranking.RankAlternates().ToArray();
        Assert.DoesNotContain(new NodeId(3), named);
        Assert.DoesNotContain(new NodeId(4), named);
        Assert.DoesNotContain(Self, named);
        Assert.Equal(2, named.Length);
    }

    [Fact]
    public void Own_rank_is_the_position_in_the_succession_order_or_the_view_size_when_not_eligible()
    {
        uint[] capacities = [500, 300, 900, 700, 100];
        var ranking = new SuccessionRanking(Self, View(capacities), _ => true, RefinementThresholds.Default, alternates: 2, maxMembers: 16);
        Assert.Equal(Parmcea.PositionOf(Candidates(capacities), Self, RefinementThresholds.Default), ranking.OwnRank());

        var outsider = new SuccessionRanking(Self, View(capacities), id => id != Self, RefinementThresholds.Default, alternates: 2, maxMembers: 16);
        Assert.Equal(4, outsider.OwnRank()); // not a voter: behind all 4 others
    }

    [Fact]
    public void Fast_peers_give_a_dropped_alternate_one_more_beat()
    {
        var ranking = new SuccessionRanking(Self, View(1, 1), _ => true, RefinementThresholds.Default, alternates: 2, maxMembers: 16);
        NodeId a = new(2), b = new(3), c = new(4);
        Span<NodeId> peers = stackalloc NodeId[4];

        int n = ranking.FastPeers([a, b], peers);
        Assert.Equal([a, b], peers[..n].ToArray());
        n = ranking.FastPeers([a, c], peers);
        Assert.Equal([a, c, b], peers[..n].ToArray()); // b learns it is no longer named
        n = ranking.FastPeers([a, c], peers);
        Assert.Equal([a, c], peers[..n].ToArray());

        ranking.Reset();
        n = ranking.FastPeers([c], peers);
        Assert.Equal([c], peers[..n].ToArray()); // after a leader change nobody was named before
    }
}
