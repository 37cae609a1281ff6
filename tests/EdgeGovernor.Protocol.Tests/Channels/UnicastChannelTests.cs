using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Channels;

/// <summary>The peer table: routing of data and acks, its bound, argument checks, failures.</summary>
public class UnicastChannelTests
{
    private static readonly NodeId Two = new(2);

    [Fact]
    public void Acks_for_another_incarnation_or_an_unknown_peer_are_ignored()
    {
        var (channel, sink, _) = Create(TestKeys.Options(1));
        channel.TrySend(Two, 0, [1], 0);
        Assert.Equal(DropReason.None, channel.OnAck(Two, new UnicastAckFrame(2, 1, 0)));
        Assert.Equal(DropReason.None, channel.OnAck(new NodeId(3), new UnicastAckFrame(1, 1, 0)));
        Assert.Equal(1, channel.UnackedCount(Two));
        channel.OnAck(Two, new UnicastAckFrame(1, 1, 0));
        Assert.Equal(0, channel.UnackedCount(Two));
        Assert.Single(sink.Unicast);
    }

    [Fact]
    public void The_peer_table_is_bounded()
    {
        var (channel, sink, _) = Create(TestKeys.Options(1) with { MaxSenders = 1 });
        Assert.True(channel.TrySend(Two, 0, [1], 0));
        Assert.False(channel.TrySend(new NodeId(3), 0, [1], 0));
        Assert.Equal(DropReason.TooManySenders, channel.OnData(new NodeId(3), 1, new UnicastDataFrame(0, 1, 1), [1], 0));
        Assert.Empty(sink.UnicastDelivered);
    }

    [Fact]
    public void A_failed_peer_abandons_what_we_owed_it()
    {
        var (channel, _, counters) = Create(TestKeys.Options(1));
        channel.TrySend(Two, 0, [1], 0);
        channel.TrySend(Two, 0, [2], 0);
        channel.OnMemberFailed(Two);
        Assert.Equal(0, channel.UnackedCount(Two));
        Assert.Equal(2, counters.UnicastAbandoned);
    }

    [Fact]
    public void Sending_to_ourselves_an_invalid_peer_or_too_much_is_a_programming_error()
    {
        var (channel, _, _) = Create(TestKeys.Options(1));
        Assert.Throws<ArgumentException>(() => channel.TrySend(new NodeId(1), 0, [1], 0));
        Assert.Throws<ArgumentException>(() => channel.TrySend(NodeId.None, 0, [1], 0));
        Assert.Throws<ArgumentException>(() => channel.TrySend(Two, 0, new byte[UnicastDataFrame.MaxMessage + 1], 0));
    }

    private static (UnicastChannel Channel, RecordingChannelSink Sink, ProtocolCounters Counters) Create(NodeOptions options)
    {
        var sink = new RecordingChannelSink();
        var counters = new ProtocolCounters();
        return (new UnicastChannel(options, sink, counters), sink, counters);
    }
}
