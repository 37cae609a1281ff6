using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Cluster;

/// <summary>
/// A roster member that holds the cluster key but sends nonsense (a compromised or buggy board, node 6, never started
/// here): five real nodes must neither store it, nor adopt an absurd term, nor follow a silent fake coordinator for long.
/// </summary>
public sealed class HostileInputTests
{
    private const uint Forger = 6;
    private ulong _sequence;

    private static ClusterNetwork Bootstrapped(int seed)
    {
        var net = new ClusterNetwork(seed, [.. Enumerable.Range(1, 6).Select(i => new NodeId((uint)i))]);
        for (uint i = 1; i <= 5; i++)
        {
            net.Add(i);
        }

        Assert.True(net.RunUntil(() => net.Coordinators.Count() == 1 && net.Members.All(m => m.Cluster.Election.Leader.IsValid), 5_000_000) > 0);
        net.RunUntil(net.NowUs + 500_000);
        return net;
    }

    private void Inject(ClusterNetwork net, MessageType type, byte[] payload, ulong term)
    {
        byte[] datagram = Datagrams.Craft(TestKeys.Key(1), Forger, sequence: ++_sequence, type: type, payload: payload, term: term);
        foreach (ClusterNetwork.Member m in net.Members)
        {
            m.Cluster.Receive(datagram, net.NowUs);
        }
    }

    [Theory]
    [InlineData(TestTimes.T0, long.MaxValue)]
    [InlineData(long.MinValue, TestTimes.T0)]
    [InlineData(long.MinValue, long.MaxValue)]
    [InlineData(TestTimes.T0, TestTimes.T0 + (8L * 24 * 3600 * 1000))] // 8 days
    [InlineData(100, 200)] // 1970
    public void A_catch_up_record_with_implausible_times_is_dropped_counted_and_never_stored(long startMs, long endMs)
    {
        ClusterNetwork net = Bootstrapped(1);
        ulong term = net.Coordinators.Single().Cluster.Election.CurrentTerm;
        PriceLog log = net[1].Cluster.Log;
        var record = new PriceRecord(startMs, endMs, 42, 1, term + 1, log.LastIndex + 1);
        byte[] reply = new byte[CatchUpReplyFrame.SizeOf(1)];
        Assert.True(CatchUpReplyFrame.TryWrite(reply, [new PriceRecordFrame(record, log.LastTerm)], out _));
        long[] malformedBefore = [.. net.Members.Select(m => m.Cluster.Malformed)];

        Inject(net, MessageType.PriceRecord, reply, term + 1);
        net.RunUntil(net.NowUs + 1_000_000);

        for (int i = 0; i < net.Members.Count; i++)
        {
            ClusterNetwork.Member m = net.Members[i];
            Assert.Equal(malformedBefore[i] + 1, m.Cluster.Malformed);
            Assert.DoesNotContain(m.Held, r => r.IntervalStartMs == startMs && r.IntervalEndMs == endMs);
            Assert.Equal(term, m.Cluster.Election.CurrentTerm); // the forger's term was not adopted either
            Assert.Equal(PriceStatus.None, m.Cluster.GetPriceInForce(net.NowUs, out _));
        }
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData((ulong)long.MaxValue)]
    [InlineData(TermGuard.MaxTermStep + 100)]
    public void A_heartbeat_or_vote_request_with_a_huge_term_is_not_adopted(ulong hostileTerm)
    {
        ClusterNetwork net = Bootstrapped(2);
        ClusterNetwork.Member c = net.Coordinators.Single();
        ulong term = c.Cluster.Election.CurrentTerm;
        // Signed with the forger's own key (a roster member), so the messages pass the signature check and meet the term guard.
        var section = new ClusterHeartbeatSectionFrame(true, 1000, 100, 0, 100, new NodeId(Forger), 0, 0, 0, Beat: 1);
        Inject(net, MessageType.Heartbeat, Frames.SignedHeartbeat(section, Forger, Forger, hostileTerm), hostileTerm);
        Inject(net, MessageType.VoteRequest, Frames.SignedVoteRequest(new VoteRequestFrame(hostileTerm, 1_000, hostileTerm, PreVote: false), Forger, Forger, hostileTerm), hostileTerm);
        net.RunUntil(net.NowUs + 2_000_000);

        Assert.Same(c, net.Coordinators.Single());
        Assert.All(net.Members, m =>
        {
            Assert.Equal(term, m.Cluster.Election.CurrentTerm);
            Assert.Equal(c.Id, m.Cluster.Election.Leader);
            // A term above WireLimits.MaxTerm is malformed before the guard sees it; a valid one too far ahead is a refused jump.
            Assert.True(hostileTerm > WireLimits.MaxTerm || m.Cluster.GuardCounters.TermJumpsRefused >= 1, "the refused term shows in the public counters");
        });
    }

    [Fact]
    public void A_fake_coordinator_claiming_a_period_of_0xFFFFFFFF_ms_is_replaced_within_seconds()
    {
        ClusterNetwork net = Bootstrapped(3);
        ulong term = net.Coordinators.Single().Cluster.Election.CurrentTerm;
        var section = new ClusterHeartbeatSectionFrame(true, 1000, 100, 0, uint.MaxValue, new NodeId(Forger), 0, 0, 0, Beat: 1);
        Inject(net, MessageType.Heartbeat, Frames.SignedHeartbeat(section, Forger, Forger, term + 1), term + 1); // signed with its own key
        Assert.All(net.Members, m => Assert.Equal(new NodeId(Forger), m.Cluster.Election.Leader)); // a valid step: followed
        Assert.All(net.Members, m => Assert.True(m.Cluster.PeriodLimit.PeriodsClamped >= 1));
        Assert.All(net.Members, m => Assert.Equal(m.Cluster.PeriodLimit.PeriodsClamped, m.Cluster.GuardCounters.AnnouncedPeriodsClamped));

        // The fake coordinator says nothing more: the real nodes must elect one of them within a few seconds.
        Assert.True(net.RunUntil(() => net.Coordinators.Count() == 1 && net.Members.All(m => m.Cluster.Election.Leader == net.Coordinators.Single().Id), net.NowUs + 5_000_000) > 0);
        Assert.True(net.Coordinators.Single().Cluster.Election.CurrentTerm > term + 1);
    }
}
