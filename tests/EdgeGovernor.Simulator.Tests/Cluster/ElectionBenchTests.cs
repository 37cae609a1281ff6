using EdgeGovernor.Protocol.Cluster;
using EdgeGovernor.Simulator.Cluster;

namespace EdgeGovernor.Simulator.Tests.Cluster;

public sealed class ElectionBenchTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(50)]
    [InlineData(300)]
    public void Bully_counts_match_the_textbook_cases(int n)
    {
        // Best case: the highest live node notices: one ELECTION to the dead coordinator, then n - 2 COORDINATOR messages.
        ElectionCost best = ElectionBench.Bully(n, n - 1);
        Assert.True(best.Completed);
        Assert.Equal(n - 1, best.Datagrams);

        // Worst case: the lowest node notices; every node holds an election: n(n-1)/2 ELECTION, (n-1)(n-2)/2 OK, n-2 COORDINATOR.
        ElectionCost worst = ElectionBench.Bully(n, 1);
        Assert.True(worst.Completed);
        Assert.Equal(((long)n * (n - 1) / 2) + ((long)(n - 1) * (n - 2) / 2) + (n - 2), worst.Datagrams);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(60)]
    public void Failover_with_an_alternate_costs_one_pre_vote_and_one_vote_round_plus_the_announcement(int n)
    {
        var bench = new ElectionBench(n, new ElectionOptions(), seed: 3);
        ElectionCost cost = bench.Failover();
        Assert.True(cost.Completed);
        int live = n - 1;
        Assert.Equal((2L * live) + 1, cost.Datagrams); // 2 multicasts + 2 (live - 1) answers + 1 announcement
        Assert.Equal(5L * (live - 1), cost.Deliveries);
        Assert.InRange(cost.DurationUs, new ElectionOptions().LeaderTimeoutUs - new ElectionOptions().CoordinatorHeartbeatPeriodUs, 2 * new ElectionOptions().LeaderTimeoutUs);
    }

    [Fact]
    public void Plain_raft_is_never_cheaper_than_ranked_alternates_at_scale()
    {
        ElectionCost edge = new ElectionBench(300, new ElectionOptions(), 1).Failover();
        ElectionCost raft = new ElectionBench(300, ElectionOptions.PlainRaft, 1).Failover();
        Assert.True(edge.Completed && raft.Completed);
        Assert.True(raft.Datagrams >= edge.Datagrams, $"raft {raft.Datagrams}, edge {edge.Datagrams}");
        Assert.Equal(2 * 150 + 300 - 1, ElectionBench.ParmceaFormula(150, 300));
    }
}
