using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Protocol.Tests.Support;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class ClusterAllocationTests
{
    /// <summary>A node's outbox of preallocated datagram slots: the harness itself allocates nothing.</summary>
    private sealed class Outbox : IDatagramSink, IDeliveryHandler
    {
        private readonly byte[][] _slots = Enumerable.Range(0, 256).Select(_ => new byte[1300]).ToArray();
        private readonly int[] _lengths = new int[256];
        private readonly NodeId[] _to = new NodeId[256];
        private int _count;

        public void Send(Destination destination, ReadOnlySpan<byte> datagram)
        {
            if (_count < _slots.Length)
            {
                datagram.CopyTo(_slots[_count]);
                _lengths[_count] = datagram.Length;
                _to[_count++] = destination.Peer;
            }
        }

        /// <summary>Delivers every datagram to its peer, or to all of <paramref name="others"/> for the group.</summary>
        public void Drain(ClusterNode[] others, long nowUs)
        {
            for (int i = 0; i < _count; i++)
            {
                foreach (ClusterNode n in others)
                {
                    if (!_to[i].IsValid || _to[i] == n.Node.Id)
                    {
                        n.Receive(_slots[i].AsSpan(0, _lengths[i]), nowUs);
                    }
                }
            }

            _count = 0;
        }

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Heartbeats_membership_election_and_price_records_allocate_nothing_in_steady_state(bool directBeats)
    {
        NodeId[] roster = [new(1), new(2), new(3)];
        ClusterOptions options = TestKeys.ClusterOptions(1, roster);
        if (directBeats)
        {
            // The large-cluster path scaled down: the group beat every 12 s, the direct beat to the coordinator every 0.5 s.
            options = options with { Membership = new MembershipOptions { MemberHeartbeatDeliveriesPerSecond = 0.5, DirectBeatsPerSecond = 6 } };
        }

        var outboxes = new Outbox[3];
        var nodes = new ClusterNode[3];
        for (int i = 0; i < 3; i++)
        {
            outboxes[i] = new Outbox();
            // Small channel rings: their slot buffers are allocated once, on first use, so warm-up fills them.
            NodeOptions nodeOptions = TestKeys.Options((uint)i + 1) with { MulticastSendWindow = 16, MulticastRetention = 32 };
            nodes[i] = new ClusterNode(options with { Signer = TestKeys.Signer((uint)i + 1) }, nodeOptions, outboxes[i], outboxes[i], new SplitMix64Random((ulong)i + 5), new InMemoryVoteStore(), 0)
            {
                UnixEpochOffsetUs = ClusterNetwork.UnixEpochUs, // prices carry plausible unix times (2024)
            };
            nodes[i].SetLoad((ushort)(3000 + (i * 1000)), 500);
        }

        ClusterNode[][] others = [[nodes[1], nodes[2]], [nodes[0], nodes[2]], [nodes[0], nodes[1]]];
        long now = 0;
        void Run(int steps)
        {
            for (int s = 0; s < steps; s++)
            {
                now += 1_000;
                foreach (ClusterNode n in nodes)
                {
                    if (n.NextDeadlineUs <= now)
                    {
                        n.Tick(now);
                    }
                }

                for (int i = 0; i < 3; i++)
                {
                    outboxes[i].Drain(others[i], now);
                }
            }
        }

        Run(20_000);
        ClusterNode c = nodes.Single(n => n.IsCoordinator);
        long unix = c.UnixMs(now);
        for (int k = 0; k < 50; k++)
        {
            Assert.Equal(PriceLogResult.Appended, c.PublishPrice(unix + (k * 60_000), unix + ((k + 1) * 60_000), 1000 + k, 1, now));
            Run(600);
        }

        // Windows of 30 prices each.
        AllocationAssert.NothingInSteadyState("30 prices", w =>
        {
            for (int k = 50 + (30 * w); k < 80 + (30 * w); k++)
            {
                c.PublishPrice(unix + (k * 60_000), unix + ((k + 1) * 60_000), 1000 + k, 1, now);
                Run(1_000);
            }
        });
        Assert.Same(c, nodes.Single(n => n.IsCoordinator));
        Assert.All(nodes.Where(n => n != c), n => Assert.Equal(directBeats ? [c.Node.Id] : [], n.Node.HeartbeatPeers.ToArray()));
        Assert.All(nodes, n => Assert.Equal(c.Log.LastIndex, n.Log.LastIndex));
        Assert.All(nodes, n => Assert.True(n.Log.CommitIndex + 1 >= c.Log.LastIndex));
    }
}
