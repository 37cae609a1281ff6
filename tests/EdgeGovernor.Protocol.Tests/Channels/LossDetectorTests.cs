using EdgeGovernor.Protocol.Channels;
using EdgeGovernor.Protocol.Tests.Support;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Channels;

public class LossDetectorTests
{
    private static readonly NodeId Origin = new(2);

    [Fact]
    public void A_gap_is_nacked_to_the_live_origin_after_the_backoff_and_again_after_the_repair_wait()
    {
        var rig = new ChannelRig();
        MulticastStream stream = rig.Remote();
        stream.Receive(new MulticastDataFrame(Origin, 1, 3, 0, 0), [3], isRepair: false, 1_000);
        long due = 1_000 + rig.BackoffUs;
        Assert.Equal(due, stream.Loss.DueUs);
        Assert.Equal(due, rig.Sink.WakeUs);

        stream.Loss.Tick(due - 1);
        Assert.Empty(rig.Sink.Nacks);
        stream.Loss.Tick(due);
        Assert.Equal((Destination.To(Origin), new NackFrame(Origin, 1, 1, 0b11)), Assert.Single(rig.Sink.Nacks)); // 1 and 2 missing
        Assert.Equal(1, stream.Loss.Rounds);
        long rtt = rig.Options.RttEstimateUs;
        Assert.Equal(due + (2 * rtt) + rig.BackoffUs, stream.Loss.DueUs);

        stream.Loss.Tick(stream.Loss.DueUs);
        Assert.Equal(2, rig.Sink.Nacks.Count);
        Assert.Equal(due + (2 * rtt) + rig.BackoffUs + (4 * rtt) + rig.BackoffUs, stream.Loss.DueUs); // the wait doubles
    }

    [Fact]
    public void An_overheard_nack_for_our_first_missing_message_holds_ours_back()
    {
        var rig = new ChannelRig();
        MulticastStream stream = rig.Remote();
        stream.Receive(new MulticastDataFrame(Origin, 1, 3, 0, 0), [3], isRepair: false, 0);
        long armed = stream.Loss.DueUs;

        stream.Loss.OnNackHeard(new NackFrame(Origin, 1, 2, 1), 500); // asks for 2 only: ours starts at 1
        Assert.Equal(armed, stream.Loss.DueUs);
        Assert.Equal(0, rig.Counters.NacksSuppressed);

        stream.Loss.OnNackHeard(new NackFrame(Origin, 1, 1, 1), 500);
        Assert.Equal(500 + (2 * rig.Options.RttEstimateUs) + rig.BackoffUs, stream.Loss.DueUs);
        Assert.Equal(1, rig.Counters.NacksSuppressed);
    }

    [Fact]
    public void After_the_origin_failed_nacks_go_to_the_group_and_the_gap_is_given_up_after_the_last_round()
    {
        var rig = new ChannelRig(TestKeys.Options(1) with { MaxNackRoundsAfterFailure = 2 }, 1, 3);
        MulticastStream stream = rig.Remote();
        stream.Receive(new MulticastDataFrame(Origin, 1, 2, 0, 0), [2], isRepair: false, 0);
        stream.OriginFailed = true;
        stream.Loss.OnOriginFailed();

        stream.Loss.Tick(stream.Loss.DueUs);
        stream.Loss.Tick(stream.Loss.DueUs);
        Assert.Equal(2, rig.Sink.Nacks.Count);
        Assert.All(rig.Sink.Nacks, n => Assert.True(n.To.IsGroup));
        Assert.Empty(rig.Sink.MulticastDelivered);

        stream.Loss.Tick(stream.Loss.DueUs); // third round: 1 is given up, 2 delivered, no gap left
        Assert.Equal(2, rig.Sink.Nacks.Count);
        Assert.Equal(1, rig.Counters.MessagesAbandoned);
        Assert.Equal(new ulong[] { 2 }, rig.Sink.MulticastDelivered.Select(d => d.Sequence));
        Assert.False(stream.Loss.IsArmed);
    }

    [Fact]
    public void Without_a_gap_arming_disarms_and_draws_nothing()
    {
        var rig = new ChannelRig();
        MulticastStream stream = rig.Remote();
        stream.Loss.Arm(0);
        Assert.False(stream.Loss.IsArmed);
        Assert.Equal(0, rig.Random.Draws);
    }
}
