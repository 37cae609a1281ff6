using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Tests.Support;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class DirectBeatTests
{
    private static readonly NodeId N1 = new(1), N2 = new(2), N3 = new(3);

    private sealed class Counting : IRandomSource
    {
        public int Draws { get; private set; }

        public double NextDouble()
        {
            Draws++;
            return 0.5;
        }

        public ulong NextUInt64() => throw new NotSupportedException();
    }

    private static (DirectBeat Beat, ProtocolNode Node, ClusterMembership View, ElectionState Election, Counting Random) Make(int expectedMembers)
    {
        var view = new ClusterMembership(N1, 1, new MembershipOptions()) { ExpectedMembers = expectedMembers };
        var node = new ProtocolNode(TestKeys.Options(1), Datagrams.NullPeer.Instance, Datagrams.NullPeer.Instance, new SplitMix64Random(1), 0, view)
        {
            HeartbeatIntervalUs = view.MemberPeriodUs,
        };
        var election = new ElectionState(N1, [N1, N2, N3], new ElectionOptions(), new InMemoryVoteStore(), new SplitMix64Random(2), new PriceLog());
        var random = new Counting();
        return (new DirectBeat(node, view, election, new ElectionOptions(), random), node, view, election, random);
    }

    [Fact]
    public void In_a_large_cluster_a_member_beats_its_coordinator_directly_from_a_random_phase()
    {
        (DirectBeat beat, ProtocolNode node, ClusterMembership view, ElectionState election, Counting random) = Make(expectedMembers: 100);
        Assert.True(view.DirectPeriodUs < view.MemberPeriodUs); // 500 ms against 4.95 s
        beat.Update(1_000, N2);
        Assert.Equal(N2, beat.Peer);
        Assert.Equal([N2], node.HeartbeatPeers.ToArray());
        Assert.Equal(1, random.Draws);
        Assert.Equal(Math.Max(new ElectionOptions().CheckQuorumWindowUs, 3 * view.DirectPeriodUs), election.CheckQuorumWindowUs);
        Assert.Equal(long.MaxValue, view.DirectWatchPeriodUs);

        beat.Update(2_000, N2); // nothing changed: no new phase
        Assert.Equal(1, random.Draws);

        beat.Update(3_000, NodeId.None); // coordinator lost
        Assert.Equal(NodeId.None, beat.Peer);
        Assert.True(node.HeartbeatPeers.IsEmpty);

        beat.Reset();
        beat.Update(4_000, N3);
        Assert.Equal([N3], node.HeartbeatPeers.ToArray());
        Assert.Equal(2, random.Draws);
    }

    [Fact]
    public void The_coordinator_watches_the_direct_beats_and_sends_none()
    {
        (DirectBeat beat, ProtocolNode node, ClusterMembership view, _, Counting random) = Make(expectedMembers: 100);
        beat.Update(1_000, N1);
        Assert.Equal(view.DirectPeriodUs, view.DirectWatchPeriodUs);
        Assert.Equal(NodeId.None, beat.Peer);
        Assert.True(node.HeartbeatPeers.IsEmpty);
        Assert.Equal(0, random.Draws);
    }

    [Fact]
    public void A_small_cluster_sends_no_direct_beat()
    {
        (DirectBeat beat, ProtocolNode node, ClusterMembership view, ElectionState election, Counting random) = Make(expectedMembers: 5);
        beat.Update(1_000, N2);
        Assert.Equal(NodeId.None, beat.Peer);
        Assert.True(node.HeartbeatPeers.IsEmpty);
        Assert.Equal(0, random.Draws);
        Assert.Equal(Math.Max(new ElectionOptions().CheckQuorumWindowUs, 3 * view.MemberPeriodUs), election.CheckQuorumWindowUs);
        beat.Update(1_000, N1);
        Assert.Equal(long.MaxValue, view.DirectWatchPeriodUs);
    }
}
