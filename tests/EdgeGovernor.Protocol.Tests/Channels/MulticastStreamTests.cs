using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Channels;

public class MulticastStreamTests
{
    private static readonly NodeId Origin = new(2);

    [Fact]
    public void Out_of_order_messages_are_held_back_then_delivered_in_order_once()
    {
        var rig = new ChannelRig();
        MulticastStream stream = rig.Remote();
        Assert.Equal(DropReason.None, stream.Receive(Data(3), [3], isRepair: false, 0));
        Assert.Equal(DropReason.None, stream.Receive(Data(2), [2], isRepair: false, 0));
        Assert.Empty(rig.Sink.MulticastDelivered);
        Assert.True(stream.HasGap);
        Assert.True(stream.Loss.IsArmed);

        stream.Receive(Data(1), [1], isRepair: false, 0);
        stream.Receive(Data(2), [2], isRepair: false, 0);
        Assert.Equal(new ulong[] { 1, 2, 3 }, rig.Sink.MulticastDelivered.Select(d => d.Sequence));
        Assert.Equal(new byte[] { 3 }, rig.Sink.MulticastDelivered[2].Message);
        Assert.Equal(1, rig.Counters.MulticastDuplicates);
        Assert.False(stream.HasGap);
        Assert.False(stream.Loss.IsArmed); // the gap closed: the timer is disarmed
        Assert.Equal(3, rig.Counters.RetainedMessages); // delivered, retained until stable
    }

    [Fact]
    public void An_announced_stable_point_beyond_us_skips_the_missing_and_delivers_the_held()
    {
        var rig = new ChannelRig();
        MulticastStream stream = rig.Remote();
        stream.Receive(Data(2), [2], isRepair: false, 0);
        stream.OnAnnouncement(highest: 5, stable: 3, 0);
        Assert.Equal(new ulong[] { 2 }, rig.Sink.MulticastDelivered.Select(d => d.Sequence));
        Assert.Equal(2, rig.Counters.MessagesSkipped); // 1 and 3
        Assert.Equal(3UL, stream.Delivered);
        Assert.Equal(5UL, stream.Highest);
        Assert.True(stream.Loss.IsArmed); // 4 and 5 are still missing
    }

    [Fact]
    public void A_stable_point_a_ring_or_more_ahead_clears_the_stream_and_jumps()
    {
        var rig = new ChannelRig();
        MulticastStream stream = rig.Remote(capacity: 8);
        stream.Receive(Data(3), [3], isRepair: false, 0);
        stream.OnAnnouncement(highest: 20, stable: 20, 0);
        Assert.Empty(rig.Sink.MulticastDelivered);
        Assert.Equal(19, rig.Counters.MessagesSkipped); // 20 skipped minus the one held (dropped with the ring)
        Assert.Equal(0, rig.Counters.RetainedMessages);
        Assert.Equal(20UL, stream.Floor);
        Assert.False(stream.HasGap);
    }

    [Fact]
    public void Data_beyond_the_ring_evicts_retained_messages_and_otherwise_is_refused()
    {
        var rig = new ChannelRig();
        MulticastStream stream = rig.Remote(capacity: 4);
        for (ulong s = 1; s <= 4; s++)
        {
            stream.Receive(Data(s), [(byte)s], isRepair: false, 0);
        }

        Assert.Equal(DropReason.None, stream.Receive(Data(6), [6], isRepair: false, 0)); // evicts 1 and 2
        Assert.Equal(2, rig.Counters.RetentionEvictions);
        Assert.Equal(2UL, stream.Floor);
        Assert.Equal(DropReason.HoldbackFull, stream.Receive(Data(12), [12], isRepair: false, 0)); // 5 is missing: no room
        Assert.Equal(4UL, stream.Delivered);
    }

    [Fact]
    public void Abandoning_the_first_gap_skips_to_the_next_held_message()
    {
        var rig = new ChannelRig();
        MulticastStream stream = rig.Remote();
        stream.Receive(Data(3), [3], isRepair: false, 0);
        stream.OnAnnouncement(highest: 6, stable: 0, 0);
        stream.AbandonFirstGap(0);
        Assert.Equal(2, rig.Counters.MessagesAbandoned); // 1 and 2
        Assert.Equal(new ulong[] { 3 }, rig.Sink.MulticastDelivered.Select(d => d.Sequence));
        Assert.Equal(3UL, stream.Delivered);
        Assert.True(stream.HasGap); // 4..6 stay: one gap at a time
    }

    [Fact]
    public void Publishing_stores_sends_and_delivers_to_self_until_the_window_is_full()
    {
        var rig = new ChannelRig();
        MulticastStream local = rig.Local();
        Assert.True(local.TryPublish(7, [1, 2], window: 2, 0));
        Assert.True(local.TryPublish(7, [3], window: 2, 0));
        Assert.False(local.TryPublish(7, [4], window: 2, 0));
        Assert.Equal(2, rig.Counters.MulticastPublished);
        Assert.Equal(new MulticastDataFrame(new NodeId(1), 1, 2, 0, 7), rig.Sink.Multicast[1].Frame);
        Assert.Equal(MessageType.MulticastData, rig.Sink.Multicast[1].Type);
        Assert.Equal(new ulong[] { 1, 2 }, rig.Sink.MulticastDelivered.Select(d => d.Sequence));
    }

    private static MulticastDataFrame Data(ulong sequence, ulong stable = 0) => new(Origin, 1, sequence, stable, 0);
}
