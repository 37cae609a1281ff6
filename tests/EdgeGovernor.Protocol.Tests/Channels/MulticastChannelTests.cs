using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Channels;

/// <summary>The stream table: which frames create, reset or reach a stream, reports, stability, membership events.</summary>
public class MulticastChannelTests
{
    private static readonly NodeId Two = new(2);

    [Fact]
    public void Data_creates_the_stream_at_its_stable_point_and_an_older_incarnation_is_ignored()
    {
        var rig = new ChannelRig();
        MulticastChannel channel = Create(rig);
        Assert.Equal(DropReason.None, channel.OnData(new MulticastDataFrame(Two, 2, 6, 5, 0), [6], isRepair: false, 0));
        Assert.Equal((6UL, 2UL), (Assert.Single(rig.Sink.MulticastDelivered).Sequence, Assert.Single(channel.Streams).Incarnation));

        channel.OnData(new MulticastDataFrame(Two, 1, 7, 5, 0), [7], isRepair: false, 0);
        Assert.Single(rig.Sink.MulticastDelivered);
        Assert.Equal(1, rig.Counters.MulticastDuplicates);

        channel.OnData(new MulticastDataFrame(Two, 3, 2, 1, 0), [2], isRepair: false, 0); // a restart: a new stream state
        Assert.Equal(3UL, channel.Streams[0].Incarnation);
        Assert.Equal(2UL, channel.Streams[0].Delivered);
    }

    [Fact]
    public void A_repair_of_our_own_stream_is_ignored_and_the_table_is_bounded()
    {
        var rig = new ChannelRig(TestKeys.Options(1) with { MaxSenders = 1 });
        MulticastChannel channel = Create(rig);
        Assert.Equal(DropReason.None, channel.OnData(new MulticastDataFrame(new NodeId(1), 1, 1, 0, 0), [1], isRepair: true, 0));
        Assert.Empty(channel.Streams);

        channel.OnData(new MulticastDataFrame(Two, 1, 1, 0, 0), [1], isRepair: false, 0);
        channel.OnData(new MulticastDataFrame(new NodeId(3), 1, 1, 0, 0), [1], isRepair: false, 0);
        Assert.Single(channel.Streams);
        Assert.Equal(1, rig.Counters.MulticastDuplicates); // counted, not tracked
    }

    [Fact]
    public void A_quiet_announcement_of_an_untracked_stream_creates_nothing()
    {
        var rig = new ChannelRig();
        MulticastChannel channel = Create(rig);
        channel.OnAnnouncement(Two, 1, highest: 4, stable: 4, 0);
        Assert.Empty(channel.Streams);
        channel.OnAnnouncement(Two, 1, highest: 6, stable: 4, 0);
        Assert.True(Assert.Single(channel.Streams).HasGap);
        Assert.True(channel.AnyGap());
    }

    [Fact]
    public void Reports_are_written_round_robin_and_read_back_into_stability()
    {
        var rig = new ChannelRig(null, 1, 2, 3);
        MulticastChannel channel = Create(rig);
        channel.OnData(new MulticastDataFrame(Two, 1, 1, 0, 0), [1], isRepair: false, 0);
        channel.OnData(new MulticastDataFrame(new NodeId(3), 1, 1, 0, 0), [1], isRepair: false, 0);
        byte[] buffer = new byte[2 * StabilityReport.Size];
        Assert.Equal(1, channel.WriteReports(buffer, maxReports: 1));
        Assert.True(StabilityReport.TryRead(buffer, out StabilityReport first));
        Assert.Equal(new StabilityReport(new NodeId(3), 1, 1), first); // the cursor moved on from the first stream
        Assert.Equal(2, channel.WriteReports(buffer, maxReports: 5));

        channel.TryPublish(0, [9], 0);
        byte[] entries = new byte[StabilityReport.Size];
        new StabilityReport(new NodeId(1), 1, 1).TryWrite(entries, out _);
        channel.OnReports(Two, entries, 0);
        Assert.Equal(1, channel.Local.Stability.ReportCount);
    }

    [Fact]
    public void Nothing_is_freed_during_the_first_failure_timeout_then_the_local_stable_point_is_announced()
    {
        var rig = new ChannelRig(null, 1, 2);
        MulticastChannel channel = Create(rig);
        channel.TryPublish(0, [1], 0);
        byte[] entries = new byte[StabilityReport.Size];
        new StabilityReport(new NodeId(1), 1, 1).TryWrite(entries, out _);
        channel.OnReports(Two, entries, 0);

        channel.UpdateStability(rig.Options.FailureTimeoutUs - 1);
        Assert.Equal(0UL, channel.Local.AnnouncedStable);
        channel.UpdateStability(rig.Options.FailureTimeoutUs);
        Assert.Equal(1UL, channel.Local.AnnouncedStable);
        Assert.Equal(0, rig.Counters.RetainedMessages);
    }

    [Fact]
    public void A_failed_origin_sends_its_nacks_to_the_group_and_alive_again_to_it()
    {
        var rig = new ChannelRig(null, 1, 3);
        MulticastChannel channel = Create(rig);
        channel.OnData(new MulticastDataFrame(Two, 1, 2, 0, 0), [2], isRepair: false, 0);
        channel.OnMemberFailed(Two);
        Assert.True(channel.Streams[0].OriginFailed);
        channel.Tick(channel.Streams[0].Loss.DueUs, gapCheck: false);
        Assert.True(Assert.Single(rig.Sink.Nacks).To.IsGroup);

        channel.OnMemberAlive(Two, 1);
        Assert.False(channel.Streams[0].OriginFailed);
    }

    [Fact]
    public void A_nack_for_another_incarnation_is_counted_and_ignored()
    {
        var rig = new ChannelRig();
        MulticastChannel channel = Create(rig);
        channel.TryPublish(0, [1], 0);
        rig.Sink.Multicast.Clear();
        Assert.Equal(DropReason.None, channel.OnNack(new NackFrame(new NodeId(1), 2, 1, 1), 0));
        Assert.Empty(rig.Sink.Multicast);
        channel.OnNack(new NackFrame(new NodeId(1), 1, 1, 1), 0);
        Assert.Equal(MessageType.Repair, Assert.Single(rig.Sink.Multicast).Type);
        Assert.Equal(2, rig.Counters.NacksReceived);
    }

    [Fact]
    public void Publishing_more_than_a_datagram_holds_is_a_programming_error()
    {
        MulticastChannel channel = Create(new ChannelRig());
        Assert.Throws<ArgumentException>(() => channel.TryPublish(0, new byte[MulticastDataFrame.MaxMessage + 1], 0));
    }

    private static MulticastChannel Create(ChannelRig rig) => new(rig.Options, rig.Context, startUs: 0);
}
