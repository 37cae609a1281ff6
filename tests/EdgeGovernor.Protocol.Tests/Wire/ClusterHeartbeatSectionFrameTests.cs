using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Protocol.Tests.Wire;

public sealed class ClusterHeartbeatSectionFrameTests
{
    private static readonly ClusterHeartbeatSectionFrame Sample =
        new(IsCoordinator: true, UtilizationBp: 4200, Capacity: 800, Health: 0, PeriodMs: 100, CoordinatorSeen: new NodeId(7),
            LastLogIndex: 12, LastLogTerm: 3, CommitIndex: 11);

    [Fact]
    public void Round_trip_with_alternates()
    {
        Span<byte> b = stackalloc byte[64];
        Assert.True(Sample.TryWrite(b, [new NodeId(2), new NodeId(5)], out int written));
        Assert.Equal(ClusterHeartbeatSectionFrame.SizeOf(2), written);
        Assert.Equal(49, written);
        Assert.True(ClusterHeartbeatSectionFrame.TryRead(b[..written], out ClusterHeartbeatSectionFrame back));
        Assert.Equal(Sample with { AlternateCount = 2 }, back);
        Span<NodeId> alternates = stackalloc NodeId[8];
        Assert.Equal(2, ClusterHeartbeatSectionFrame.ReadAlternates(b[..written], alternates));
        Assert.Equal([new NodeId(2), new NodeId(5)], alternates[..2].ToArray());
        Assert.Equal(1, ClusterHeartbeatSectionFrame.ReadAlternates(b[..written], alternates[..1])); // capped by the caller
    }

    [Fact]
    public void Alternates_that_do_not_fit_are_left_out_and_a_destination_below_the_fixed_part_writes_nothing()
    {
        Span<byte> b = stackalloc byte[ClusterHeartbeatSectionFrame.FixedSize + 5];
        Assert.True(Sample.TryWrite(b, [new NodeId(2), new NodeId(5)], out int written));
        Assert.Equal(ClusterHeartbeatSectionFrame.SizeOf(1), written);
        Assert.Equal(1, b[40]);
        Assert.False(Sample.TryWrite(b[..(ClusterHeartbeatSectionFrame.FixedSize - 1)], [], out written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Short_sections_and_unknown_flags_are_rejected()
    {
        Span<byte> b = stackalloc byte[64];
        Assert.True(Sample.TryWrite(b, [new NodeId(2)], out int written));
        Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..(written - 1)], out _)); // K says one alternate, not all there
        Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..40], out _));
        Assert.True(ClusterHeartbeatSectionFrame.TryRead(b[..(written + 3)], out _)); // trailing bytes are ignored
        b[0] = 2;
        Assert.False(ClusterHeartbeatSectionFrame.TryRead(b[..written], out _));
    }
}
