using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Tests.Support;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class ClusterNodeTests
{
    private const long Hour = 3_600_000;

    private static NodeId[] Ids(int n) => Enumerable.Range(1, n).Select(i => new NodeId((uint)i)).ToArray();

    private static ClusterNetwork Bootstrapped(int voters, int seed, int observers = 0)
    {
        var net = new ClusterNetwork(seed, Ids(voters));
        for (uint i = 1; i <= voters + observers; i++)
        {
            net.Add(i);
        }

        Assert.True(net.RunUntil(() => net.Coordinators.Count() == 1 && net.Members.All(m => m.Cluster.Election.Leader.IsValid), 3_000_000) > 0);
        return net;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Cold_cluster_elects_one_coordinator_that_everyone_follows(int seed)
    {
        ClusterNetwork net = Bootstrapped(5, seed);
        ClusterNetwork.Member c = net.Coordinators.Single();
        net.RunUntil(net.NowUs + 1_000_000);
        Assert.Same(c, net.Coordinators.Single());
        Assert.All(net.Members, m => Assert.Equal(c.Id, m.Cluster.Election.Leader));
        Assert.All(net.Members, m => Assert.Equal(c.Cluster.Election.CurrentTerm, m.Node().Term));
        // The term's first record (a no-op: no price yet) reached everyone.
        Assert.All(net.Members, m => Assert.Equal(c.Cluster.Election.CurrentTerm, m.Cluster.Log.LastTerm));
        Assert.Equal(2, c.Cluster.Election.Alternates.Length);
    }

    [Fact]
    public void Price_reaches_everyone_commits_and_is_applied_until_it_expires()
    {
        ClusterNetwork net = Bootstrapped(5, 4, observers: 2);
        ClusterNetwork.Member c = net.Coordinators.Single();
        long unixNow = c.Cluster.UnixMs(net.NowUs);
        Assert.Equal(PriceLogResult.Appended, c.Cluster.PublishPrice(unixNow, unixNow + Hour, 123_456, 1, net.NowUs));
        Assert.Equal(PriceLogResult.Duplicate, c.Cluster.PublishPrice(unixNow, unixNow + Hour, 123_456, 1, net.NowUs));
        Assert.Equal(PriceLogResult.Invalid, net.Members.First(m => m != c).Cluster.PublishPrice(unixNow, unixNow + Hour, 1, 1, net.NowUs));

        Assert.True(net.RunUntil(() => net.Members.All(m => m.Cluster.GetPriceInForce(net.NowUs, out PriceRecord r) == PriceStatus.Fresh && r.PriceE4 == 123_456), net.NowUs + 500_000) > 0);
        ulong index = c.Cluster.Log.LastIndex;
        Assert.True(net.RunUntil(() => net.Members.All(m => m.Cluster.Log.CommitIndex >= index), net.NowUs + 5_000_000) > 0);
        Assert.Equal(ElectionRole.Observer, net[6].Cluster.Election.Role);

        Assert.All(net.Members, m => Assert.Equal(PriceStatus.Stale, m.Cluster.GetPriceInForce(net.NowUs + (Hour * 1000), out _)));
    }

    [Fact]
    public void Alternate_takes_over_and_reannounces_the_price_in_force()
    {
        ClusterNetwork net = Bootstrapped(5, 5);
        net.RunUntil(net.NowUs + 1_000_000);
        ClusterNetwork.Member old = net.Coordinators.Single();
        NodeId alternate = net.Members.First(m => m != old).Cluster.Election.Alternates[0];
        long unixNow = old.Cluster.UnixMs(net.NowUs);
        old.Cluster.PublishPrice(unixNow, unixNow + Hour, 77_000, 2, net.NowUs);
        net.RunUntil(net.NowUs + 300_000);

        old.Crash();
        long crash = net.NowUs;
        ulong oldTerm = old.Cluster.Election.CurrentTerm;
        long done = net.RunUntil(
            () => net.Members.Where(m => m.Up).All(m => m.Cluster.Log.LastTerm > oldTerm),
            crash + 5_000_000);
        Assert.True(done > 0);
        ClusterNetwork.Member next = net.Coordinators.Single();
        Assert.Equal(alternate, next.Id);
        ElectionOptions o = net.Template.Election;
        Assert.True(done - crash <= 2 * o.LeaderTimeoutUs, $"failover took {done - crash} us");

        // The new term's first record re-announced the price in force.
        Assert.All(net.Members.Where(m => m.Up), m =>
        {
            Assert.Equal(PriceStatus.Fresh, m.Cluster.GetPriceInForce(net.NowUs, out PriceRecord r));
            Assert.Equal(77_000, r.PriceE4);
            Assert.Equal(next.Cluster.Election.CurrentTerm, r.Term);
        });
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Slow_group_beat_fast_beat_to_the_alternates_only_and_failover_stays_within_twice_the_timeout(int seed)
    {
        // G = 12 deliveries per second: 7 nodes hear the coordinator's group beat every 500 ms (the path of large
        // clusters); the two alternates get the 100 ms beat unicast.
        var template = TestKeys.ClusterOptions(1, Ids(7)) with { Election = new ElectionOptions { CoordinatorGroupDeliveriesPerSecond = 12 } };
        var net = new ClusterNetwork(seed, Ids(7), template);
        for (uint i = 1; i <= 7; i++)
        {
            net.Add(i);
        }

        Assert.True(net.RunUntil(() => net.Coordinators.Count() == 1 && net.Members.All(m => m.Cluster.Election.Leader.IsValid), 3_000_000) > 0);
        net.RunUntil(net.NowUs + 2_000_000);
        ClusterNetwork.Member old = net.Coordinators.Single();
        Assert.Equal(500_000, old.Node().HeartbeatIntervalUs);
        NodeId[] alternates = [.. old.Cluster.Election.Alternates];
        Assert.Equal(2, alternates.Length);
        Assert.Equal(alternates, old.Node().HeartbeatPeers.ToArray());
        foreach (ClusterNetwork.Member m in net.Members.Where(m => m != old))
        {
            bool isAlternate = alternates.Contains(m.Id);
            Assert.Equal(isAlternate, m.Cluster.Election.IsNamedAlternate);
            Assert.Equal(isAlternate ? 300_000 : 1_500_000, m.Cluster.Election.FollowerTimeoutUs);
        }

        long sentBefore = old.Node().Counters.HeartbeatsSent;
        net.RunUntil(net.NowUs + 10_000_000);
        Assert.InRange(old.Node().Counters.HeartbeatsSent - sentBefore, 178, 182); // 20 group + 2 x 80 fast beats in 10 s
        Assert.Same(old, net.Coordinators.Single());

        old.Crash();
        long crash = net.NowUs;
        ulong oldTerm = old.Cluster.Election.CurrentTerm;
        long done = net.RunUntil(() => net.Members.Where(m => m.Up).All(m => m.Cluster.Log.LastTerm > oldTerm), crash + 5_000_000);
        Assert.True(done > 0);
        Assert.Equal(alternates[0], net.Coordinators.Single().Id);
        Assert.True(done - crash <= 2 * template.Election.LeaderTimeoutUs, $"failover took {done - crash} us");
    }

    /// <summary>
    /// 7 nodes with the member budget scaled down (D = 2 deliveries per second: the group beat every 21 s, as 1000 nodes
    /// beat every 500 s) and R = 14 direct beats per second (every 0.5 s, as 1000 nodes every 2 s).
    /// </summary>
    private static ClusterNetwork SlowGroupBeat(int seed)
    {
        var template = TestKeys.ClusterOptions(1, Ids(7)) with
        {
            Membership = new MembershipOptions { MemberHeartbeatDeliveriesPerSecond = 2, DirectBeatsPerSecond = 14 },
        };
        var net = new ClusterNetwork(seed, Ids(7), template);
        for (uint i = 1; i <= 7; i++)
        {
            net.Add(i);
        }

        Assert.True(net.RunUntil(() => net.Coordinators.Count() == 1 && net.Members.All(m => m.Cluster.Election.Leader.IsValid), 3_000_000) > 0);
        net.RunUntil(net.NowUs + 1_000_000);
        return net;
    }

    [Fact]
    public void Small_cluster_sends_no_direct_beat()
    {
        ClusterNetwork net = Bootstrapped(5, 21);
        net.RunUntil(net.NowUs + 2_000_000);
        ClusterNetwork.Member c = net.Coordinators.Single();
        Assert.All(net.Members.Where(m => m != c), m => Assert.Equal(0, m.Node().HeartbeatPeers.Length));
        Assert.Equal(long.MaxValue, c.Cluster.Membership.DirectWatchPeriodUs);
        Assert.Equal(1_500_000, c.Cluster.Election.CheckQuorumWindowUs); // 3 member periods of 500 ms, as before
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Slow_group_beat_members_beat_the_coordinator_directly_and_it_commits_within_a_direct_period(int seed)
    {
        ClusterNetwork net = SlowGroupBeat(seed);
        ClusterNetwork.Member c = net.Coordinators.Single();
        Assert.Equal(21_000_000, c.Cluster.Membership.MemberPeriodUs);
        Assert.Equal(500_000, c.Cluster.Membership.DirectPeriodUs);
        Assert.Equal(500_000, c.Cluster.Membership.DirectWatchPeriodUs);
        Assert.Equal(1_500_000, c.Cluster.Election.CheckQuorumWindowUs); // 3 direct periods, not 3 x 21 s
        ClusterNetwork.Member m = net.Members.First(x => x != c);
        Assert.Equal([c.Id], m.Node().HeartbeatPeers.ToArray());

        long sentBefore = m.Node().Counters.HeartbeatsSent;
        net.RunUntil(net.NowUs + 10_000_000);
        Assert.InRange(m.Node().Counters.HeartbeatsSent - sentBefore, 15, 26); // ~20 direct beats (jittered), 0-1 group beats

        long unixNow = c.Cluster.UnixMs(net.NowUs);
        Assert.Equal(PriceLogResult.Appended, c.Cluster.PublishPrice(unixNow, unixNow + Hour, 55_000, 1, net.NowUs));
        ulong index = c.Cluster.Log.LastIndex;
        long published = net.NowUs;
        long committed = net.RunUntil(() => c.Cluster.Log.CommitIndex >= index, published + 21_000_000);
        Assert.True(committed > 0);
        Assert.True(committed - published <= 700_000, $"commit took {committed - published} us"); // one jittered direct period
        Assert.True(net.RunUntil(() => net.Members.All(x => x.Cluster.Log.CommitIndex >= index), net.NowUs + 1_000_000) > 0);
        Assert.Equal(0, c.Cluster.Membership.Suspicions);
        Assert.Same(c, net.Coordinators.Single());
    }

    [Fact]
    public void Slow_group_beat_coordinator_cut_from_its_quorum_steps_down_after_three_direct_periods()
    {
        ClusterNetwork net = SlowGroupBeat(23);
        ClusterNetwork.Member c = net.Coordinators.Single();
        foreach (ClusterNetwork.Member m in net.Members.Where(m => m != c).Take(4))
        {
            m.Crash();
        }

        long crash = net.NowUs;
        long down = net.RunUntil(() => !c.Cluster.IsCoordinator, crash + 63_000_000);
        Assert.True(down > 0);
        Assert.InRange(down - crash, 500_000, 2_500_000); // window 1.5 s, checked every 375 ms (not 3 x 21 s)
        Assert.Equal(1, c.Cluster.Election.QuorumLossStepDowns);
    }

    [Fact]
    public void Slow_group_beat_coordinator_suspects_a_dead_member_after_three_direct_periods()
    {
        ClusterNetwork net = SlowGroupBeat(24);
        ClusterNetwork.Member c = net.Coordinators.Single();
        ClusterNetwork.Member dead = net.Members.First(m => m != c && !c.Cluster.Election.Alternates.Contains(m.Id));
        ClusterNetwork.Member other = net.Members.First(m => m != c && m != dead);
        net.RunUntil(net.NowUs + 5_000_000);
        dead.Crash();
        long crash = net.NowUs;
        long failed = net.RunUntil(() => c.Cluster.Membership.StateOf(dead.Id) == MemberState.Failed, crash + 63_000_000);
        Assert.True(failed > 0);
        Assert.True(failed - crash <= 3_000_000, $"failure declared after {failed - crash} us"); // 3 x 0.5 s (+ jitter) + 10 probes
        Assert.Equal(MemberState.Alive, other.Cluster.Membership.StateOf(dead.Id)); // the others watch the 21 s group beat
        Assert.Equal(0, c.Cluster.Membership.FalseFailures);
        Assert.Equal(1, c.Cluster.Membership.Suspicions);
    }

    [Fact]
    public void Restarted_node_catches_up_the_log_and_does_not_depose_the_coordinator()
    {
        ClusterNetwork net = Bootstrapped(5, 6);
        ClusterNetwork.Member c = net.Coordinators.Single();
        ClusterNetwork.Member late = net.Members.First(m => m != c && !c.Cluster.Election.Alternates.Contains(m.Id));
        late.Crash();
        long unixNow = c.Cluster.UnixMs(net.NowUs);
        for (int i = 0; i < 30; i++)
        {
            c.Cluster.PublishPrice(unixNow + (i * Hour), unixNow + ((i + 1) * Hour), 1000 + i, 1, net.NowUs);
            net.RunUntil(net.NowUs + 10_000);
        }

        ulong term = c.Cluster.Election.CurrentTerm;
        late.Start(net.NowUs); // a new incarnation with an empty log
        Assert.True(net.RunUntil(() => late.Cluster.Log.LastIndex == c.Cluster.Log.LastIndex, net.NowUs + 5_000_000) > 0);
        Assert.True(late.Cluster.CatchUpRequests > 0);
        Assert.Same(c, net.Coordinators.Single());
        Assert.Equal(term, c.Cluster.Election.CurrentTerm);
        Assert.Equal(PriceStatus.Fresh, late.Cluster.GetPriceInForce(net.NowUs, out PriceRecord r));
        Assert.Equal(1000, r.PriceE4);
    }

    [Fact]
    public void Under_ten_percent_loss_the_cluster_stays_stable()
    {
        var net = new ClusterNetwork(7, Ids(7)) { Loss = 0.10 };
        for (uint i = 1; i <= 7; i++)
        {
            net.Add(i);
        }

        Assert.True(net.RunUntil(() => net.Coordinators.Count() == 1, 5_000_000) > 0);
        net.RunUntil(net.NowUs + 2_000_000);
        ClusterNetwork.Member c = net.Coordinators.Single();
        ulong term = c.Cluster.Election.CurrentTerm;
        net.RunUntil(net.NowUs + 60_000_000);
        Assert.Same(c, net.Coordinators.Single());
        Assert.Equal(term, c.Cluster.Election.CurrentTerm);
        Assert.All(net.Members, m => Assert.Equal(0, m.Cluster.Membership.FalseFailures));
    }
}
