using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests;

/// <summary>Heartbeat timing of the node: fast unicast beats to a few peers between group beats, and jitter.</summary>
public sealed class HeartbeatScheduleTests
{
    private sealed class Capture : IDatagramSink, IDeliveryHandler
    {
        public List<(long At, Destination To)> Heartbeats { get; } = [];

        public long NowUs { get; set; }

        public void Send(Destination destination, ReadOnlySpan<byte> datagram)
        {
            if (WireCodec.TryDecode(datagram, TestKeys.Options(1).ClusterId, out MessageHeader header, out _) == DropReason.None
                && header.Type == MessageType.Heartbeat)
            {
                Heartbeats.Add((NowUs, destination));
            }
        }

        public void OnMulticast(NodeId sender, ulong sequence, ReadOnlySpan<byte> payload)
        {
        }

        public void OnUnicast(NodeId sender, ReadOnlySpan<byte> payload)
        {
        }
    }

    private static void RunUntil(ProtocolNode node, Capture c, long untilUs)
    {
        while (node.NextDeadlineUs <= untilUs)
        {
            c.NowUs = Math.Max(c.NowUs, node.NextDeadlineUs);
            node.Tick(c.NowUs);
        }
    }

    [Fact]
    public void Fast_peers_get_unicast_beats_between_group_beats_and_stop_when_removed()
    {
        var c = new Capture();
        using var node = new ProtocolNode(TestKeys.Options(1) with { HeartbeatIntervalUs = 1_000_000, FailureTimeoutUs = 5_000_000 }, c, c, new SplitMix64Random(1), 0);
        NodeId p2 = new(2), p3 = new(3);
        node.SetHeartbeatPeers([p2, p3], 100_000);
        RunUntil(node, c, 1_999_999);

        Assert.Equal(2, c.Heartbeats.Count(h => h.To.IsGroup));                       // at 0 and 1 s
        Assert.Equal(18, c.Heartbeats.Count(h => !h.To.IsGroup && h.To.Peer == p2));  // 0.1 .. 0.9 and 1.1 .. 1.9 s
        Assert.Equal(18, c.Heartbeats.Count(h => !h.To.IsGroup && h.To.Peer == p3));
        Assert.DoesNotContain(c.Heartbeats, h => !h.To.IsGroup && h.At % 1_000_000 == 0); // the group beat covers the peers

        c.Heartbeats.Clear();
        node.SetHeartbeatPeers([], 100_000);
        RunUntil(node, c, 2_999_999);
        Assert.Equal([(2_000_000L, Destination.Group)], c.Heartbeats);

        // A fast interval not shorter than the group interval means no separate fast beats.
        node.SetHeartbeatPeers([p2], 1_000_000);
        c.Heartbeats.Clear();
        RunUntil(node, c, 3_999_999);
        Assert.All(c.Heartbeats, h => Assert.True(h.To.IsGroup));
        Assert.Throws<ArgumentException>(() => node.SetHeartbeatPeers(new NodeId[ProtocolNode.MaxHeartbeatPeers + 1], 100_000));
    }

    [Fact]
    public void Jitter_spreads_the_periods_within_the_stated_bounds()
    {
        var c = new Capture();
        using var node = new ProtocolNode(TestKeys.Options(1) with { HeartbeatIntervalUs = 1_000_000, FailureTimeoutUs = 5_000_000 }, c, c, new SplitMix64Random(7), 0);
        node.HeartbeatJitter = 0.25;
        RunUntil(node, c, 200_000_000);
        long[] gaps = [.. c.Heartbeats.Zip(c.Heartbeats.Skip(1), (a, b) => b.At - a.At)];
        Assert.True(gaps.Length > 150);
        Assert.All(gaps, g => Assert.InRange(g, 750_000, 1_250_000));
        Assert.True(gaps.Distinct().Count() > gaps.Length / 2, "periods are drawn, not fixed");
        Assert.InRange(gaps.Average(), 950_000, 1_050_000);
        Assert.Throws<ArgumentOutOfRangeException>(() => node.HeartbeatJitter = 0.6);
    }
}
