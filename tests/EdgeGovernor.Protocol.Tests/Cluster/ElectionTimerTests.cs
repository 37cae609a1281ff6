using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class ElectionTimerTests
{
    /// <summary>A random source that returns fixed values in turn and counts the draws.</summary>
    private sealed class Fixed(params double[] values) : IRandomSource
    {
        public int Draws { get; private set; }

        public double NextDouble() => values[Draws++ % values.Length];

        public ulong NextUInt64() => throw new NotSupportedException();
    }

    [Fact]
    public void Nothing_is_scheduled_at_first_or_after_clear()
    {
        var timer = new ElectionTimer(new ElectionOptions(), new Fixed(0));
        Assert.Equal(long.MaxValue, timer.DeadlineUs(0));
        timer.ScheduleAt(5);
        Assert.Equal(5, timer.DeadlineUs(0));
        timer.Clear();
        Assert.Equal(long.MaxValue, timer.DeadlineUs(0));
    }

    [Fact]
    public void The_ranked_election_follows_the_rank_after_the_alternates_slots_with_two_draws()
    {
        var o = new ElectionOptions();
        var random = new Fixed(0.5, 0.25);
        var timer = new ElectionTimer(o, random);
        timer.ScheduleFull(1_000_000, alternatesAhead: 2);
        Assert.Equal(2, random.Draws);
        long jitter = (long)(0.5 * (o.RankStaggerUs / 4));
        long at = 1_000_000 + (2 * o.AlternateDelayUs) + o.ElectionBaseUs + jitter;
        Assert.Equal(at, timer.DeadlineUs(0));
        Assert.Equal(at + (3 * o.RankStaggerUs), timer.DeadlineUs(3)); // follows the rank as it changes
        long shared = o.MaxStaggeredRanks + (long)(0.25 * o.MaxStaggeredRanks);
        Assert.Equal(at + (shared * o.RankStaggerUs), timer.DeadlineUs(o.MaxStaggeredRanks + 100)); // past 16: a shared random slot
    }

    [Fact]
    public void Plain_raft_draws_one_timeout_in_t_to_2t()
    {
        var o = ElectionOptions.PlainRaft;
        var random = new Fixed(0.5);
        var timer = new ElectionTimer(o, random);
        timer.ScheduleFull(1_000_000, alternatesAhead: 0);
        Assert.Equal(1, random.Draws);
        Assert.Equal(1_000_000 + o.PlainElectionTimeoutUs + (long)(0.5 * o.PlainElectionTimeoutUs), timer.DeadlineUs(7)); // rank ignored
    }

    [Fact]
    public void An_explicit_slot_before_the_ranked_one_wins()
    {
        var o = new ElectionOptions();
        var timer = new ElectionTimer(o, new Fixed(0));
        timer.ScheduleAt(7);
        Assert.Equal(7, timer.DeadlineUs(0));
        timer.ScheduleFull(0, 0); // replaces the explicit slot
        Assert.Equal(o.ElectionBaseUs, timer.DeadlineUs(0));
    }
}
