using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class HeartbeatPlanTests
{
    private static readonly NodeId N1 = new(1), N2 = new(2), N3 = new(3), N4 = new(4);

    private static (HeartbeatPlan Plan, ProtocolNode Node, ElectionState Election, SuccessionRanking Ranking, ClusterOptions Options) Make()
    {
        var options = TestKeys.ClusterOptions(1, [N1]) with { Election = new ElectionOptions { UsePreVote = false } };
        var view = new ClusterMembership(N1, 1, options.Membership);
        var node = new ProtocolNode(TestKeys.Options(1), Datagrams.NullPeer.Instance, Datagrams.NullPeer.Instance, new SplitMix64Random(1), 0, view);
        foreach ((NodeId id, uint capacity) in new[] { (N2, 300u), (N3, 900u), (N4, 600u) })
        {
            view.OnHeard(new MessageHeader(MessageType.Heartbeat, 1, id, 1, 0, 1, 0, 1), 0);
            view.OnReport(id, 1, new MemberReport(4000, capacity, 0, 500_000, 0, 0));
        }

        var election = new ElectionState(N1, [N1], options.Election, new InMemoryVoteStore(), new SplitMix64Random(2), new PriceLog());
        var ranking = new SuccessionRanking(N1, view, _ => true, options.Thresholds, options.Election.Alternates, 16);
        return (new HeartbeatPlan(node, view, election, ranking, options, new SplitMix64Random(3)), node, election, ranking, options);
    }

    [Fact]
    public void A_member_beats_with_jitter_at_the_member_period_and_the_coordinator_without_jitter_at_its_group_period()
    {
        (HeartbeatPlan plan, ProtocolNode node, _, _, ClusterOptions options) = Make();
        plan.Follow(1_000, N2);
        Assert.Equal(options.Membership.HeartbeatJitter, node.HeartbeatJitter);
        Assert.Equal(options.Membership.MemberPeriodUs(4), node.HeartbeatIntervalUs);
        plan.Lead(2_000);
        Assert.Equal(0, node.HeartbeatJitter);
        Assert.Equal(options.Election.CoordinatorGroupPeriodUs(4), node.HeartbeatIntervalUs);
        Assert.True(node.HeartbeatPeers.IsEmpty);
    }

    [Fact]
    public void A_group_beats_ranking_is_applied_once_and_only_while_leading()
    {
        (HeartbeatPlan plan, ProtocolNode node, ElectionState election, SuccessionRanking ranking, _) = Make();
        election.Start(0);
        ranking.RankAlternates();
        plan.ApplyRankedAlternates(); // not leading: dropped
        Assert.True(election.Alternates.IsEmpty);
        Assert.True(node.HeartbeatPeers.IsEmpty);

        ElectionEffects effects = election.Tick(election.NextDeadlineUs);
        Assert.Equal(ElectionEffectKind.LeaderChanged, effects[0].Kind);
        plan.Lead(effects[0].AtUs);
        NodeId[] named = ranking.RankAlternates().ToArray();
        Assert.Equal(2, named.Length);
        plan.ApplyRankedAlternates();
        Assert.Equal(named, election.Alternates.ToArray());
        Assert.Equal(named, node.HeartbeatPeers.ToArray());

        node.SetHeartbeatPeers([], 100_000);
        plan.ApplyRankedAlternates(); // taken already: nothing happens
        Assert.True(node.HeartbeatPeers.IsEmpty);
    }
}
