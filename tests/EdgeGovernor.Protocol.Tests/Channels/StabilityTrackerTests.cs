using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Channels;

public class StabilityTrackerTests
{
    private static readonly NodeId Origin = new(2);

    [Fact]
    public void The_stable_point_is_the_lowest_report_of_the_live_members_and_a_silent_member_blocks_it()
    {
        var rig = new ChannelRig(null, 1, 2, 3, 4);
        MulticastStream stream = Filled(rig, 5);
        stream.Stability.Record(new NodeId(3), 4);
        Assert.Equal(0UL, stream.Stability.StablePoint()); // member 4 has not reported: the floor

        stream.Stability.Record(new NodeId(4), 2);
        stream.Stability.Record(new NodeId(4), 1); // an older report does not lower it
        Assert.Equal(2UL, stream.Stability.StablePoint());

        rig.Membership.Live.Remove(new NodeId(4)); // failed members no longer count
        stream.Stability.Forget(new NodeId(4));
        Assert.Equal(4UL, stream.Stability.StablePoint());
    }

    [Fact]
    public void Freeing_releases_retained_messages_up_to_what_we_delivered_and_forgets_their_repairs()
    {
        var rig = new ChannelRig();
        MulticastStream stream = Filled(rig, 3);
        stream.Repairs.OnNack(new NackFrame(Origin, 1, 2, 1), 0);
        Assert.Equal(1, stream.Repairs.Pending);

        stream.Stability.FreeUpTo(10); // capped at delivered (3)
        Assert.Equal(3UL, stream.Floor);
        Assert.Equal(0, rig.Counters.RetainedMessages);
        Assert.Equal(0, rig.Counters.RetentionEvictions);
        Assert.Equal(0, stream.Repairs.Pending);
    }

    [Fact]
    public void Eviction_is_counted_and_looks_at_one_ring_at_most()
    {
        var rig = new ChannelRig();
        MulticastStream stream = Filled(rig, 4);
        stream.Stability.ReleaseUpTo(2, evicted: true);
        Assert.Equal(2, rig.Counters.RetentionEvictions);
        Assert.Equal(2, rig.Counters.RetainedMessages);

        stream.Stability.ReleaseUpTo(1UL << 40, evicted: true); // far: one ring of slots, then the floor moves
        Assert.Equal(1UL << 40, stream.Floor);
        Assert.Equal(0, rig.Counters.RetainedMessages);
    }

    private static MulticastStream Filled(ChannelRig rig, ulong count)
    {
        MulticastStream stream = rig.Remote();
        for (ulong s = 1; s <= count; s++)
        {
            stream.Receive(new MulticastDataFrame(Origin, 1, s, 0, 0), [(byte)s], isRepair: false, 0);
        }

        return stream;
    }
}
