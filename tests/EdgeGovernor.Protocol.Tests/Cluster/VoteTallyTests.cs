using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class VoteTallyTests
{
    [Fact]
    public void Nothing_counts_before_the_first_round()
    {
        var tally = new VoteTally(3);
        Assert.False(tally.TryGrant(0));
        Assert.Equal(0, tally.Grants);
    }

    [Fact]
    public void Each_voter_counts_once_per_round_and_a_new_round_starts_from_zero()
    {
        var tally = new VoteTally(3);
        tally.StartRound();
        Assert.True(tally.TryGrant(1));
        Assert.False(tally.TryGrant(1));
        Assert.True(tally.TryGrant(2));
        Assert.Equal(2, tally.Grants);

        tally.StartRound();
        Assert.Equal(0, tally.Grants);
        Assert.True(tally.TryGrant(1));
        Assert.Equal(1, tally.Grants);
    }
}
