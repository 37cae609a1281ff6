using EdgeGovernor.Protocol.Cluster;

namespace EdgeGovernor.Protocol.Tests.Cluster;

public sealed class VoterRosterTests
{
    [Fact]
    public void Sorts_the_voters_and_finds_their_positions()
    {
        var roster = new VoterRoster([new NodeId(9), new NodeId(3), new NodeId(5)]);
        Assert.Equal([new NodeId(3), new NodeId(5), new NodeId(9)], roster.Ids.ToArray());
        Assert.Equal(0, roster.PositionOf(new NodeId(3)));
        Assert.Equal(2, roster.PositionOf(new NodeId(9)));
        Assert.Equal(-1, roster.PositionOf(new NodeId(4)));
        Assert.Equal(-1, roster.PositionOf(NodeId.None));
        Assert.True(roster.Contains(new NodeId(5)));
        Assert.False(roster.Contains(new NodeId(10)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    public void Quorum_is_a_majority_of_the_roster(int voters, int quorum)
    {
        NodeId[] ids = [.. Enumerable.Range(1, voters).Select(i => new NodeId((uint)i))];
        Assert.Equal(quorum, new VoterRoster(ids).Quorum);
    }

    [Fact]
    public void Empty_duplicate_or_zero_ids_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new VoterRoster([]));
        Assert.Throws<ArgumentException>(() => new VoterRoster([new NodeId(2), new NodeId(2)]));
        Assert.Throws<ArgumentException>(() => new VoterRoster([NodeId.None, new NodeId(2)]));
    }
}
