using EdgeGovernor.Protocol.Membership;
using EdgeGovernor.Protocol.Tests.Support;

namespace EdgeGovernor.Protocol.Tests.Membership;

/// <summary><see cref="HeartbeatSchedule"/> on its own (the node-level timing: HeartbeatScheduleTests).</summary>
public class HeartbeatScheduleUnitTests
{
    private static readonly NodeId[] Peers = [new(2), new(3)];

    [Fact]
    public void The_group_beat_repeats_every_interval_and_a_shorter_interval_pulls_the_next_beat_in()
    {
        var schedule = new HeartbeatSchedule(new ConstantRandom(0.5), intervalUs: 100, firstUs: 0);
        Assert.True(schedule.GroupDue(0));
        schedule.StartGroupBeat(0);
        Assert.Equal(100, schedule.NextDueUs);
        schedule.IntervalUs = 40;
        Assert.Equal(40, schedule.NextDueUs);
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.IntervalUs = 0);
    }

    [Fact]
    public void Jitter_draws_one_number_per_period_and_none_without_jitter()
    {
        var random = new ConstantRandom(1.0);
        var schedule = new HeartbeatSchedule(random, intervalUs: 1_000, firstUs: 0);
        schedule.StartGroupBeat(0);
        Assert.Equal(0, random.Draws);
        schedule.Jitter = 0.25;
        schedule.StartGroupBeat(1_000);
        Assert.Equal(1, random.Draws);
        Assert.Equal(1_000 + 1_250, schedule.NextDueUs); // the top of [0.75, 1.25] x interval
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Jitter = 0.6);
    }

    [Fact]
    public void Fast_peers_beat_between_group_beats_and_restart_after_each_group_beat()
    {
        var schedule = new HeartbeatSchedule(new ConstantRandom(0.5), intervalUs: 1_000, firstUs: 0);
        schedule.StartGroupBeat(0);
        schedule.GroupBeatSent(0);
        schedule.SetPeers(Peers, 100, long.MinValue);
        Assert.Equal(Peers, schedule.Peers.ToArray());
        Assert.Equal(100, schedule.NextDueUs); // one fast period after the last group beat
        Assert.True(schedule.PeerDue(100));
        schedule.StartPeerBeat(100);
        schedule.PeerBeatSent();
        Assert.Equal(200, schedule.NextDueUs);

        schedule.SetPeers(Peers, 50, long.MinValue); // running: the next fast beat keeps its time
        Assert.Equal(200, schedule.NextDueUs);
        schedule.StartGroupBeat(150);
        schedule.GroupBeatSent(150);
        Assert.Equal(200, schedule.NextDueUs); // restarted: 150 + 50
    }

    [Fact]
    public void An_interval_not_shorter_than_the_group_one_or_no_peers_turns_the_fast_beat_off()
    {
        var schedule = new HeartbeatSchedule(new ConstantRandom(0.5), intervalUs: 1_000, firstUs: 0);
        schedule.StartGroupBeat(0);
        schedule.SetPeers(Peers, 1_000, firstBeatUs: 10);
        Assert.Equal(1_000, schedule.NextDueUs);
        schedule.SetPeers(Peers, 100, firstBeatUs: 10); // starting at a given phase
        Assert.Equal(10, schedule.NextDueUs);
        schedule.StartPeerBeat(10);
        schedule.SetPeers([], 100, long.MinValue); // turned off while writing the beat
        schedule.PeerBeatSent();
        Assert.Equal(1_000, schedule.NextDueUs);
        Assert.Throws<ArgumentException>(() => schedule.SetPeers(new NodeId[HeartbeatSchedule.MaxPeers + 1], 100, long.MinValue));
    }
}
