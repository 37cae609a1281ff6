using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Channels;

public class UnicastPeerTests
{
    private static readonly NodeId Peer = new(2);

    [Fact]
    public void The_send_window_fills_and_cumulative_and_selective_acks_free_it()
    {
        var (peer, sink, _) = Create(TestKeys.Options(1) with { UnicastWindow = 4 });
        for (int i = 0; i < 4; i++)
        {
            Assert.True(peer.TrySend(0, [(byte)i], 0));
        }

        Assert.False(peer.TrySend(0, [9], 0));
        Assert.Equal(new UnicastDataFrame(0, 4, 1), sink.Unicast[3].Frame);

        peer.OnAck(new UnicastAckFrame(1, 1, 0b10)); // 1 received, and 4 (= 1 + 2 + 1)
        Assert.Equal(2, peer.Unacked);
        Assert.Equal(1UL, peer.AckedUpTo);
        Assert.True(peer.TrySend(0, [5], 0));
        Assert.Equal(new UnicastDataFrame(0, 5, 2), sink.Unicast[^1].Frame); // first unacked rides along

        peer.OnAck(new UnicastAckFrame(1, 99, 0)); // beyond what was sent: capped
        Assert.Equal(0, peer.Unacked);
        Assert.Equal(5UL, peer.AckedUpTo);
    }

    [Fact]
    public void Unacked_messages_are_retransmitted_with_a_doubling_rto_then_abandoned()
    {
        NodeOptions options = TestKeys.Options(1) with { UnicastMaxRetransmits = 2 };
        var (peer, sink, counters) = Create(options);
        long rto = options.EffectiveUnicastRtoUs;
        peer.TrySend(3, [1], 0);
        Assert.Equal(rto, sink.WakeUs);

        peer.Tick(rto - 1);
        Assert.Single(sink.Unicast);
        peer.Tick(rto);
        Assert.Equal(2, sink.Unicast.Count);
        Assert.Equal(rto + Math.Min(2 * rto, options.UnicastMaxRtoUs), peer.NextDueUs);

        peer.Tick(peer.NextDueUs);
        Assert.Equal(3, sink.Unicast.Count);
        Assert.Equal(2, counters.UnicastRetransmits);
        peer.Tick(peer.NextDueUs); // the third time it is due: given up
        Assert.Equal(3, sink.Unicast.Count);
        Assert.Equal(1, counters.UnicastAbandoned);
        Assert.Equal(0, peer.Unacked);
        Assert.Equal(1UL, peer.AckedUpTo);
    }

    [Fact]
    public void Received_messages_are_delivered_in_order_exactly_once_and_every_frame_is_acked()
    {
        var (peer, sink, counters) = Create(TestKeys.Options(1));
        peer.OnData(1, new UnicastDataFrame(0, 2, 1), [2], 0);
        Assert.Empty(sink.UnicastDelivered);
        Assert.Equal(new UnicastAckFrame(1, 0, 0b01), sink.Acks[^1].Frame); // 2 = 0 + 2 + 0 held

        peer.OnData(1, new UnicastDataFrame(0, 1, 1), [1], 0);
        peer.OnData(1, new UnicastDataFrame(0, 1, 1), [1], 0); // duplicate
        Assert.Equal(new byte[][] { [1], [2] }, sink.UnicastDelivered.Select(d => d.Message));
        Assert.Equal(1, counters.UnicastDuplicates);
        Assert.Equal(3, sink.Acks.Count);
        Assert.Equal(new UnicastAckFrame(1, 2, 0), sink.Acks[^1].Frame);
    }

    [Fact]
    public void A_new_incarnation_restarts_the_receive_side_and_an_old_one_is_ignored()
    {
        var (peer, sink, _) = Create(TestKeys.Options(1));
        peer.OnData(1, new UnicastDataFrame(0, 1, 1), [1], 0);
        peer.OnData(2, new UnicastDataFrame(0, 1, 1), [7], 0);
        Assert.Equal(2UL, peer.ReceiveIncarnation);
        Assert.Equal(2, sink.UnicastDelivered.Count);

        Assert.Equal(DropReason.None, peer.OnData(1, new UnicastDataFrame(0, 2, 1), [2], 0));
        Assert.Equal(2, sink.UnicastDelivered.Count);
        Assert.Equal(2, sink.Acks.Count); // no ack for a dead incarnation
    }

    [Fact]
    public void Data_beyond_the_receive_window_is_refused_but_acked_and_first_unacked_skips_ahead()
    {
        var (peer, sink, _) = Create(TestKeys.Options(1) with { UnicastWindow = 4 });
        Assert.Equal(DropReason.HoldbackFull, peer.OnData(1, new UnicastDataFrame(0, 9, 1), [9], 0));
        Assert.Single(sink.Acks);

        peer.OnData(1, new UnicastDataFrame(0, 9, 9), [9], 0); // 1..8 were acked or abandoned by the sender
        Assert.Equal(9UL, peer.Expected);
        Assert.Equal(new byte[][] { [9] }, sink.UnicastDelivered.Select(d => d.Message));
    }

    private static (UnicastPeer Peer, RecordingChannelSink Sink, ProtocolCounters Counters) Create(NodeOptions options)
    {
        var sink = new RecordingChannelSink();
        var counters = new ProtocolCounters();
        return (new UnicastPeer(Peer, options, sink, counters), sink, counters);
    }
}
