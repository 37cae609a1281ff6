using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Channels;

public class RetransmitHandlerTests
{
    private static readonly NodeId Origin = new(2);

    [Fact]
    public void The_origin_repairs_at_once_but_at_most_once_per_rtt()
    {
        var rig = new ChannelRig();
        MulticastStream local = rig.Local();
        local.TryPublish(0, [1], window: 8, 0);
        local.TryPublish(0, [2], window: 8, 0);
        rig.Sink.Multicast.Clear();

        local.Repairs.OnNack(new NackFrame(new NodeId(1), 1, 1, 0b11), 5_000);
        Assert.Equal(new ulong[] { 1, 2 }, rig.Sink.Multicast.Select(m => m.Frame.Sequence));
        Assert.All(rig.Sink.Multicast, m => Assert.Equal(MessageType.Repair, m.Type));

        local.Repairs.OnNack(new NackFrame(new NodeId(1), 1, 1, 0b01), 5_000 + rig.Options.RttEstimateUs - 1); // crossed the repair
        Assert.Equal(2, rig.Sink.Multicast.Count);
        Assert.Equal(1, rig.Counters.RepairsSuppressed);

        local.Repairs.OnNack(new NackFrame(new NodeId(1), 1, 1, 0b01), 5_000 + rig.Options.RttEstimateUs);
        Assert.Equal(3, rig.Sink.Multicast.Count);
        Assert.Equal(3, rig.Counters.RepairsSent);
        Assert.Equal(0, rig.Random.Draws); // the origin does not back off
    }

    [Fact]
    public void A_holder_schedules_the_repair_after_a_backoff_and_cancels_it_on_hearing_another_holder()
    {
        var rig = new ChannelRig();
        MulticastStream stream = rig.Remote();
        stream.Receive(new MulticastDataFrame(Origin, 1, 1, 0, 0), [1], isRepair: false, 0);
        stream.Receive(new MulticastDataFrame(Origin, 1, 2, 0, 0), [2], isRepair: false, 0);

        stream.Repairs.OnNack(new NackFrame(Origin, 1, 1, 0b11), 1_000);
        Assert.Equal(2, stream.Repairs.Pending);
        Assert.Equal(1_000 + rig.BackoffUs, rig.Sink.WakeUs);
        Assert.Empty(rig.Sink.Multicast);

        stream.Receive(new MulticastDataFrame(Origin, 1, 1, 0, 0), [1], isRepair: true, 1_500); // another holder repaired 1
        Assert.Equal(1, stream.Repairs.Pending);
        Assert.Equal(1, rig.Counters.RepairsSuppressed);

        stream.Repairs.Tick(1_000 + rig.BackoffUs);
        Assert.Equal((MessageType.Repair, 2UL), (Assert.Single(rig.Sink.Multicast).Type, rig.Sink.Multicast[0].Frame.Sequence));
        Assert.Equal(0, stream.Repairs.Pending);
    }

    [Fact]
    public void A_nack_for_messages_not_held_or_already_freed_schedules_nothing()
    {
        var rig = new ChannelRig();
        MulticastStream stream = rig.Remote();
        stream.Receive(new MulticastDataFrame(Origin, 1, 1, 0, 0), [1], isRepair: false, 0);
        stream.Stability.FreeUpTo(1);
        stream.Repairs.OnNack(new NackFrame(Origin, 1, 1, ulong.MaxValue), 1_000);
        Assert.Equal(0, stream.Repairs.Pending);
        Assert.Equal(0, rig.Random.Draws);
    }
}
